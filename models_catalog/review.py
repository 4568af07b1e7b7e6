"""The reviewers' queue: stale models oldest first, with their sources, recent edits and reports.

`/review/` and its POST actions are for staff holding the review permission; anyone else gets
the login page (when anonymous) or 403, never the data.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from models_catalog.catalog_checks import ERROR, Finding, check
from models_catalog.catalog_version import per_catalog_version
from models_catalog.importers.catalog import export_catalog
from models_catalog.models import (
    ErrorReport,
    LanguageModel,
    Offering,
    Organization,
    Provider,
    Score,
)
from models_catalog.services import mark_model_reviewed

REVIEW_PERMISSION = "models_catalog.review_languagemodel"
PAGE_SIZE = 20
CHANGES_SHOWN = 8
# Bookkeeping that changes with every save and says nothing to a reviewer.
UNTRACKED = {"version", "last_reviewed_on", "last_reviewed_by"}


def reviewer_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not (request.user.is_staff and request.user.has_perm(REVIEW_PERMISSION)):
            raise PermissionDenied("Reviewing needs the review permission.")
        return view(request, *args, **kwargs)

    return wrapped


@dataclass(frozen=True)
class Change:
    when: datetime.datetime
    who: str
    what: str  # "GPT-4o", "GPT-4o at OpenAI API", "GPT-4o on MMLU-Pro"
    kind: str  # "created", "changed", "deleted"
    fields: tuple[str, ...] = ()  # "input $/1M: 1.000000 → 0.700000"
    # Made by an import or a script (no person): folded away in the queue.
    automatic: bool = False


@dataclass
class QueueEntry:
    model: LanguageModel
    days_since_review: int | None
    sources: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    change_count: int = 0
    reports: list[ErrorReport] = field(default_factory=list)
    # Changes made by imports since the last review, shown folded.
    automatic_changes: list[Change] = field(default_factory=list)
    automatic_count: int = 0

    @property
    def hidden_changes(self) -> int:
        return self.change_count - len(self.changes)

    @property
    def offerings(self) -> list[Offering]:
        return list(self.model.offerings.all())

    @property
    def scores(self) -> list[Score]:
        return list(self.model.scores.all())


HISTORY_KINDS = {"+": "created", "~": "changed", "-": "deleted"}


def field_changes(older, newer, names: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """'label: old → new' for each field whose value differs between two history rows."""
    changes = []
    for name, label in names:
        before, after = getattr(older, name), getattr(newer, name)
        if before != after:
            changes.append(f"{label}: {_shown(before)} → {_shown(after)}")
    return tuple(changes)


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    return str(value)


def _tracked_fields(model) -> list[tuple[str, str]]:
    return [
        (f.attname, str(f.verbose_name))
        for f in model._meta.concrete_fields
        if f.name not in UNTRACKED and not f.primary_key
    ]


def changes_by_model(
    records: Iterable, describe: Callable, fields: Sequence[tuple[str, str]]
) -> dict[int, list[Change]]:
    """Turn history rows (ordered by object, then date) into changes, grouped by model id.

    `describe(record)` gives (model id, what the row is about). A save that changed only
    bookkeeping fields is left out.
    """
    by_model: dict[int, list[Change]] = {}
    previous = None
    for record in records:
        kind = HISTORY_KINDS.get(record.history_type, "changed")
        same_object = previous is not None and previous.id == record.id
        detail = (
            field_changes(previous, record, fields) if same_object and kind == "changed" else ()
        )
        if kind != "changed" or detail:
            if record.history_user:
                who = record.history_user.get_username()
            else:
                who = record.history_change_reason or "system"
            model_id, what = describe(record)
            by_model.setdefault(model_id, []).append(
                Change(
                    record.history_date,
                    who,
                    what,
                    kind,
                    detail,
                    # Imports record who ran them as the change reason, and no user.
                    automatic=record.history_user is None and bool(record.history_change_reason),
                )
            )
        previous = record
    return by_model


@dataclass(frozen=True)
class CheckRow:
    """One finding of check_catalog, with the admin page where it is fixed."""

    severity: str
    rule: str
    message: str
    admin_url: str


@dataclass(frozen=True)
class CheckGroup:
    rule: str
    severity: str
    rows: tuple[CheckRow, ...]


@dataclass(frozen=True)
class ChecksPanel:
    errors: int
    warnings: int
    groups: tuple[CheckGroup, ...]


def checks_panel(today: datetime.date) -> ChecksPanel:
    """Run check_catalog's rules on the database and link each finding to its admin page.

    A fixed number of queries: the export, then one id lookup per kind of record.
    """
    findings = check(export_catalog(compiled_on=today), today=today)
    model_ids = dict(LanguageModel.objects.values_list("slug", "pk"))
    offering_ids = {
        (model, provider): pk
        for pk, model, provider in Offering.objects.values_list(
            "pk", "language_model__slug", "provider__slug"
        )
    }
    score_ids: dict[tuple[str, str, str], int] = {}
    for pk, model, benchmark, source in Score.objects.values_list(
        "pk", "language_model__slug", "benchmark__slug", "source_url"
    ).order_by("pk"):
        score_ids.setdefault((model, benchmark, source or ""), pk)

    def admin_url(finding: Finding) -> str:
        kind, key = finding.target.kind, finding.target.key
        if kind == "offering" and key in offering_ids:
            return reverse("admin:models_catalog_offering_change", args=[offering_ids[key]])
        if kind == "score" and key in score_ids:
            return reverse("admin:models_catalog_score_change", args=[score_ids[key]])
        # A model, or a row of a model that is no longer there: the model's page lists them.
        if key[0] in model_ids:
            return reverse("admin:models_catalog_languagemodel_change", args=[model_ids[key[0]]])
        return reverse("admin:index")

    groups: dict[tuple[str, str], list[CheckRow]] = {}
    for finding in findings:
        row = CheckRow(finding.severity, finding.rule, finding.message, admin_url(finding))
        groups.setdefault((finding.severity, finding.rule), []).append(row)
    errors = sum(1 for f in findings if f.severity == ERROR)
    return ChecksPanel(
        errors=errors,
        warnings=len(findings) - errors,
        groups=tuple(
            CheckGroup(rule=rule, severity=severity, rows=tuple(rows))
            for (severity, rule), rows in groups.items()
        ),
    )


class QueueFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Model name contains")
    organization = forms.ModelChoiceField(
        Organization.objects.all(), required=False, to_field_name="slug", empty_label="Any"
    )
    provider = forms.ModelChoiceField(
        Provider.objects.all(), required=False, to_field_name="slug", empty_label="Any"
    )


def queue_entries(models: Sequence[LanguageModel], today: datetime.date) -> list[QueueEntry]:
    """Entries for one page of stale models: 3 more queries whatever the page holds."""
    ids = [m.pk for m in models]
    oldest = min((m.last_reviewed_on for m in models if m.last_reviewed_on), default=None)
    since_any = None if any(m.last_reviewed_on is None for m in models) else oldest
    history_filter = {} if since_any is None else {"history_date__date__gt": since_any}
    model_rows = (
        LanguageModel.history.filter(id__in=ids, **history_filter)
        .select_related("history_user")
        .order_by("id", "history_date")
    )
    offering_rows = (
        Offering.history.filter(language_model_id__in=ids, **history_filter)
        .select_related("history_user", "provider")
        .order_by("id", "history_date")
    )
    score_rows = (
        Score.history.filter(language_model_id__in=ids, **history_filter)
        .select_related("history_user", "benchmark")
        .order_by("id", "history_date")
    )
    names = {m.pk: m.name for m in models}
    changes: dict[int, list[Change]] = {}
    for rows, describe, model in (
        (model_rows, lambda r: (r.id, names[r.id]), LanguageModel),
        (
            offering_rows,
            lambda r: (r.language_model_id, f"{names[r.language_model_id]} at {r.provider}"),
            Offering,
        ),
        (
            score_rows,
            lambda r: (r.language_model_id, f"{names[r.language_model_id]} on {r.benchmark}"),
            Score,
        ),
    ):
        for model_id, found in changes_by_model(rows, describe, _tracked_fields(model)).items():
            changes.setdefault(model_id, []).extend(found)

    entries = []
    for model in models:
        since = model.last_reviewed_on
        mine = [c for c in changes.get(model.pk, []) if since is None or c.when.date() > since]
        mine.sort(key=lambda c: c.when, reverse=True)
        by_people = [c for c in mine if not c.automatic]
        automatic = [c for c in mine if c.automatic]
        sources = list(
            dict.fromkeys(
                [
                    *model.sources,
                    *(o.source_url for o in model.offerings.all() if o.source_url),
                    *(s.source_url for s in model.scores.all() if s.source_url),
                ]
            )
        )
        entries.append(
            QueueEntry(
                model=model,
                days_since_review=(today - since).days if since else None,
                sources=sources,
                changes=by_people[:CHANGES_SHOWN],
                change_count=len(by_people),
                automatic_changes=automatic[:CHANGES_SHOWN],
                automatic_count=len(automatic),
                reports=list(model.open_reports),
            )
        )
    return entries


@reviewer_required
def review_queue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = QueueFilterForm(request.GET or None)
    open_reports = ErrorReport.objects.filter(resolved_at__isnull=True)
    # Stale models, and any model with an open reader's report: a report stays in the queue
    # until it is resolved, whenever the model was last reviewed.
    stale_ids = LanguageModel.objects.stale(today).values("pk")
    stale = LanguageModel.objects.annotate(
        has_open_report=Exists(open_reports.filter(language_model=OuterRef("pk")))
    ).filter(Q(pk__in=stale_ids) | Q(has_open_report=True))
    filtering = form.is_valid() and any(form.cleaned_data.values())
    if form.is_valid():
        if form.cleaned_data["q"]:
            stale = stale.filter(name__icontains=form.cleaned_data["q"])
        if form.cleaned_data["organization"]:
            stale = stale.filter(organization=form.cleaned_data["organization"])
        if form.cleaned_data["provider"]:
            stale = stale.filter(
                Exists(
                    Offering.objects.filter(
                        language_model=OuterRef("pk"), provider=form.cleaned_data["provider"]
                    )
                )
            )
    counts = stale.aggregate(
        total=Count("pk", filter=Q(pk__in=stale_ids)),
        never=Count("pk", filter=Q(last_reviewed_on__isnull=True)),
        reported=Count("pk", filter=Q(has_open_report=True)),
    )
    ordered = (
        stale.select_related("organization", "last_reviewed_by")
        .prefetch_related(
            Prefetch(
                "offerings",
                queryset=Offering.objects.select_related("provider").order_by("provider__name"),
            ),
            Prefetch(
                "scores", queryset=Score.objects.select_related("benchmark").order_by("benchmark")
            ),
            Prefetch("error_reports", queryset=open_reports, to_attr="open_reports"),
        )
        # Readers' reports first, then the longest unreviewed.
        .order_by(F("has_open_report").desc(), F("last_reviewed_on").asc(nulls_first=True), "name")
    )
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "review/queue.html",
        {
            "form": form,
            "page": page,
            "entries": queue_entries(list(page.object_list), today),
            "counts": counts,
            "open_report_count": open_reports.count(),
            "filtering": filtering,
            # Recomputed only when the catalog changes (or the day does).
            "checks": per_catalog_version(f"review-checks-{today}", lambda: checks_panel(today)),
            "stale_after_days": settings.STALE_AFTER_DAYS,
            "querystring": query.urlencode(),
            "title": "Review queue — LLM Reference",
        },
    )


class MarkReviewedForm(forms.Form):
    note = forms.CharField(required=False, max_length=1000)


@require_POST
@reviewer_required
def mark_reviewed(request: HttpRequest, slug: str) -> HttpResponse:
    model = get_object_or_404(LanguageModel, slug=slug)
    form = MarkReviewedForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("note", ["The note was refused."])))
        return redirect("review_queue")
    try:
        mark_model_reviewed(
            model=model, user=request.user, on=timezone.localdate(), note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("review_queue")
    messages.success(request, f"{model.name} marked reviewed on {model.last_reviewed_on}.")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("review_queue")
    return redirect(next_url)


@require_POST
@reviewer_required
def resolve_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(ErrorReport, pk=pk)
    if report.is_open:
        report.resolve(request.user)
        messages.success(request, f"Report on {report.language_model.name} resolved.")
    return redirect("review_queue")
