"""Write the catalog out in the format load_catalog reads."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from models_catalog.importers.catalog import export_catalog


class Command(BaseCommand):
    help = "Export the catalog as JSON to PATH (standard output when omitted)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", type=Path)

    def handle(self, *args, path: Path | None, **options) -> None:
        data = export_catalog(compiled_on=timezone.localdate())
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        if path is None:
            sys.stdout.write(text)
            return
        path.write_text(text, encoding="utf-8")
        self.stderr.write(
            f"Wrote {len(data['models'])} models, {len(data['offerings'])} offerings and "
            f"{len(data['scores'])} scores to {path}."
        )
