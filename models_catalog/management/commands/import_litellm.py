"""Propose catalog changes from LiteLLM's model_prices_and_context_window.json (MIT)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from models_catalog.importers.litellm import diff_lines, import_file
from models_catalog.importers.litellm_file import LiteLLMFileError
from models_catalog.models import ProposedChange


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--as-of {value!r} is not a date of the form YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = (
        "Compare LiteLLM's price file (a path or an http(s) URL) with the catalog and record "
        "the differences as proposed changes for editors to accept or reject in the admin. "
        "Nothing in the catalog changes until they do."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path_or_url")
        parser.add_argument(
            "--as-of",
            required=True,
            type=_date,
            help="Date the file's prices took effect (YYYY-MM-DD); price history ends old "
            "rate cards on it.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the proposed changes; write nothing."
        )

    def handle(self, *args, path_or_url: str, as_of: datetime.date, dry_run: bool, **options):
        try:
            plan, run = import_file(path_or_url, as_of=as_of, dry_run=dry_run)
        except LiteLLMFileError as error:
            raise CommandError(f"Nothing was imported. {error}") from error
        for line in diff_lines(plan):
            self.stdout.write(line)
        counts = plan.counts()
        summary = ", ".join(
            f"{counts[kind]} {label.lower()}" for kind, label in ProposedChange.Kind.choices
        )
        conflicts = sum(1 for p in plan.proposals if p.conflict)
        self.stdout.write(
            f"{plan.entry_count} language-model entries read; proposed: {summary}; "
            f"{conflicts} in conflict with an editor's change."
        )
        if run is None:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Recorded {run} with {len(plan.proposals)} proposed changes: review them in "
                    f"the admin under “Proposed changes” (filter by run {run.pk})."
                )
            )
