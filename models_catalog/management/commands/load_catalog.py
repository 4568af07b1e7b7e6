"""Load the bundled catalog (or another file of the same format) in one transaction."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from models_catalog.importers.catalog import (
    BUNDLED_CATALOG,
    CatalogError,
    load_catalog,
    read_catalog_file,
)
from models_catalog.models import LanguageModel


class Command(BaseCommand):
    help = "Load a catalog JSON file (the bundled one by default). Idempotent; all or nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", type=Path, default=BUNDLED_CATALOG)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into an empty catalog, so editors' changes are never overwritten.",
        )

    def handle(self, *args, path: Path, if_empty: bool, **options) -> None:
        if if_empty and LanguageModel.objects.exists():
            self.stdout.write("The catalog already has models; nothing loaded (--if-empty).")
            return
        try:
            summary = load_catalog(read_catalog_file(path), source=path.name)
        except CatalogError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        for line in summary.lines():
            self.stdout.write(line)
        if summary.changed:
            self.stdout.write(self.style.SUCCESS(f"Loaded {path}."))
        else:
            self.stdout.write(f"{path}: already loaded; nothing changed.")
