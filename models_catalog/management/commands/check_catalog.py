"""Run the data-quality checks on a catalog file, or on the database when no file is given."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from models_catalog.catalog_checks import ERROR, check
from models_catalog.importers.catalog import CatalogError, export_catalog, read_catalog_file


class Command(BaseCommand):
    help = (
        "Check a catalog for contradictions and gaps: errors fail the command, warnings are "
        "listed. Checks PATH (a catalog JSON file) or, without it, the database."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", type=Path)
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help=(
                "The day retirements are judged against (default: a file's compiled_on, so a "
                "file checks the same every day; today for the database)."
            ),
        )
        parser.add_argument(
            "--errors-only", action="store_true", help="List errors only; count warnings."
        )

    def handle(
        self, *args, path: Path | None, today: datetime.date | None, errors_only: bool, **options
    ) -> None:
        if path is None:
            today = today or timezone.localdate()
            data, what = export_catalog(compiled_on=today), "the database"
        else:
            try:
                data, what = read_catalog_file(path), str(path)
            except CatalogError as error:
                raise CommandError(str(error)) from error
            if today is None:
                try:
                    today = datetime.date.fromisoformat(str(data.get("compiled_on")))
                except ValueError:
                    today = timezone.localdate()
        findings = check(data, today=today)
        errors = [f for f in findings if f.severity == ERROR]
        for finding in findings:
            if errors_only and finding.severity != ERROR:
                continue
            label = "ERROR  " if finding.severity == ERROR else "warning"
            self.stdout.write(f"{label} [{finding.rule}] {finding.message}")
        summary = f"{what}: {len(errors)} errors, {len(findings) - len(errors)} warnings."
        if errors:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
