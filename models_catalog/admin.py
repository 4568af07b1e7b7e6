"""The editors' admin: every curated table, with its sources one click away."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import update_change_reason

from comparisons import formatting
from models_catalog.importers.litellm import describe
from models_catalog.models import (
    CAPABILITIES,
    INPUT_MODALITIES,
    OUTPUT_MODALITIES,
    Benchmark,
    DataSource,
    ErrorReport,
    ImportRun,
    LanguageModel,
    LiteLLMModelMapping,
    LiteLLMProviderMapping,
    Offering,
    Organization,
    PriceHistory,
    ProposedChange,
    Provider,
    Review,
    Score,
)
from models_catalog.services import (
    ImportDecisionError,
    RecoveryError,
    accept_proposed_change,
    deleted_models,
    mark_model_reviewed,
    recover_deleted_model,
    reject_proposed_change,
)
from models_catalog.validators import is_http_url, validate_http_url
from models_catalog.vocabulary import SCORE_CONDITIONS


def source_link(url: str):
    if not is_http_url(url):
        return format_html('<span title="{}">no source yet</span>', "Find and add a source")
    return format_html('<a href="{}" target="_blank" rel="noopener">source ↗</a>', url)


class URLListField(forms.CharField):
    """A list of URLs edited as text, one per line."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 100})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value) -> list[str]:
        lines = [line.strip() for line in (value or "").splitlines()]
        urls = [line for line in lines if line]
        for number, url in enumerate(urls, start=1):
            try:
                validate_http_url(url)
            except ValidationError as error:
                raise ValidationError(f"Line {number} is not an http(s) URL: {url}") from error
        return urls


def plain_decimal(value: Decimal, min_places: int = 0) -> str:
    """A stored Decimal as a person would type it: 1.100000 → "1.10" (prices keep cents),
    0.075000 → "0.075", 88.400 → "88.4"."""
    whole, _, decimals = f"{value:f}".partition(".")
    decimals = decimals.rstrip("0").ljust(min_places, "0")
    return f"{whole}.{decimals}" if decimals else whole


class PlainDecimalInput(forms.NumberInput):
    """Shows a stored Decimal without the padding of its column's decimal places."""

    def __init__(self, *args, min_places: int = 0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.min_places = min_places

    def format_value(self, value):
        if isinstance(value, Decimal):
            return plain_decimal(value, self.min_places)
        return super().format_value(value)


PRICE_FIELDS = ("input_usd_per_mtok", "output_usd_per_mtok", "cached_input_usd_per_mtok")


class EditorWidgets:
    """Decimals as entered, and inputs sized so an inline row fits a 1280 px screen."""

    # Inline rows show a plain URL box: the admin's "Currently: <link> Change:" doubles its width.
    plain_urls = False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        from django.db import models as db

        if self.plain_urls and isinstance(db_field, db.URLField):
            kwargs["widget"] = forms.URLInput(attrs={"class": "url"})
        if isinstance(db_field, db.DecimalField):
            places = 2 if db_field.name in PRICE_FIELDS else 0
            kwargs["widget"] = PlainDecimalInput(min_places=places, attrs={"class": "num"})
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(db_field, db.URLField):
            field.widget.attrs.setdefault("class", "url")
        return field


def price_text(value: Decimal | None) -> str:
    return "—" if value is None else formatting.usd(value)


CONFLICT_MESSAGE = (
    "Someone else saved this entry after you opened it, so nothing was saved. "
    "Open it again to see their changes, then make yours."
)


class VersionCheckedForm(forms.ModelForm):
    """Refuses a save made on a copy that someone else has saved since it was opened."""

    # The row's version when the form was opened (the model field itself is not editable).
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Set on the history page's form: reverting is a change even when no field was touched.
    is_revert = False

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and self.is_revert:
            # A past version carries no version number of its own: take the row's, so the
            # check below compares with what was current when the page was opened, and the
            # save counts on from it.
            current = (
                type(self.instance)
                ._default_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            self.instance.version = current or self.instance.version
        if self.instance.pk is not None:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or (not self.has_changed() and not self.is_revert):
            return cleaned
        # Lock the row until this save commits, so two saves cannot both pass the check.
        current = (
            type(self.instance)
            ._default_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current is not None and cleaned.get("loaded_version") != current:
            raise ValidationError(CONFLICT_MESSAGE, code="conflict")
        return cleaned


class LanguageModelForm(VersionCheckedForm):
    input_modalities = forms.MultipleChoiceField(
        choices=[(m, m) for m in INPUT_MODALITIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    output_modalities = forms.MultipleChoiceField(
        choices=[(m, m) for m in OUTPUT_MODALITIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sources = URLListField(
        required=False, help_text="URLs that support this spec sheet, one per line."
    )

    class Meta:
        model = LanguageModel
        fields = [f.name for f in LanguageModel._meta.fields if f.editable and not f.primary_key]


class ReviewStatusFilter(admin.SimpleListFilter):
    title = "review status"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("never", "Never reviewed"),
            ("stale", f"Stale (over {settings.STALE_AFTER_DAYS} days or never)"),
            ("fresh", "Reviewed recently"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "never":
            return queryset.filter(last_reviewed_on__isnull=True)
        if self.value() == "stale":
            return queryset.stale()
        if self.value() == "fresh":
            return queryset.exclude(pk__in=queryset.stale().values("pk"))
        return queryset


class CatalogAdmin(EditorWidgets, SimpleHistoryAdmin):
    """Every curated table: edit history with revert, and saves checked for conflicts."""

    form = VersionCheckedForm

    class Media:
        css = {"all": ["css/admin.css"]}

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            # Another editor's save landed between this form's checks and its own (two adds
            # of one offering at once). The transaction is rolled back; checked again, the
            # form now names the clash as an error instead of failing.
            if request.method != "POST" or getattr(request, "_integrity_retry", False):
                raise
            request._integrity_retry = True
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if getattr(request, "_reverting", False):
            form = type(form.__name__, (form,), {"is_revert": True})
        return form

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request._reverting = True
        # The version check locks the row, which needs a transaction, as the change page has.
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)


def price_changed_without_new_source(form) -> bool:
    """The form changed a price but kept the source URL: the editor should confirm it."""
    changed = set(form.changed_data)
    return (
        form.instance.pk is not None
        and bool(changed & set(PRICE_FIELDS))
        and "source_url" not in changed
    )


def warn_to_confirm_source(request: HttpRequest, offering: Offering) -> None:
    messages.warning(
        request,
        format_html(
            "The price of {} changed but its source URL did not. Check that "
            '<a href="{}" target="_blank" rel="noopener">{}</a> shows the new price, or '
            "replace it with the page that does.",
            offering,
            offering.source_url,
            offering.source_url,
        ),
    )


def inline_change_lines(formsets) -> list[str]:
    """What a save changed in its inline rows, as 'Offering at X: input $/1M 1.10 → 1.20'."""
    lines = []
    for formset in formsets:
        deleted = set(map(id, formset.deleted_forms))
        for form in formset.forms:
            instance = form.instance
            label = f"{instance._meta.verbose_name.capitalize()} {instance}"
            if id(form) in deleted:
                lines.append(f"{label}: deleted")
                continue
            names = [n for n in form.changed_data if n not in ("loaded_version", "DELETE")]
            if not names:
                continue
            if form.initial.get("id") is None and not form.initial:
                lines.append(f"{label}: added")
                continue
            details = []
            for name in names:
                field = instance._meta.get_field(name)
                before, after = form.initial.get(name), form.cleaned_data.get(name)
                if isinstance(before, Decimal):
                    before = plain_decimal(before)
                if isinstance(after, Decimal):
                    after = plain_decimal(after)
                if hasattr(field, "remote_field") and field.remote_field is not None:
                    before = before if before is None else str(before)
                details.append(f"{field.verbose_name} {before or '—'} → {after or '—'}")
            lines.append(f"{label}: {'; '.join(details)}")
    return lines


class OfferingInline(EditorWidgets, admin.TabularInline):
    model = Offering
    form = VersionCheckedForm
    extra = 0
    autocomplete_fields = ["provider"]
    # What an editor changes most; the rest (context, free tier, end date, checks) is one
    # click away on the offering's own page, so a row fits a 1280 px screen.
    plain_urls = True
    fields = [
        "provider",
        "input_usd_per_mtok",
        "output_usd_per_mtok",
        "cached_input_usd_per_mtok",
        "price_since",
        "is_current",
        "source_url",
        "loaded_version",
    ]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("provider")


class ScoreInline(EditorWidgets, admin.TabularInline):
    model = Score
    form = VersionCheckedForm
    extra = 0
    autocomplete_fields = ["benchmark"]
    # The conditions that most often decide comparability; the rest is on the score's page.
    plain_urls = True
    fields = [
        "benchmark",
        "value",
        "provenance",
        "shots",
        "reasoning",
        "attempts",
        "source_url",
        "loaded_version",
    ]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("benchmark")


@admin.register(LanguageModel)
class LanguageModelAdmin(CatalogAdmin):
    form = LanguageModelForm
    list_display = [
        "name",
        "organization",
        "released_on",
        "context",
        "open_weights",
        "provider_count",
        "published",
        "last_reviewed_on",
    ]
    list_select_related = ["organization"]
    list_filter = [
        "organization",
        ("offerings__provider", admin.RelatedOnlyFieldListFilter),
        "open_weights",
        *[name for name, _ in CAPABILITIES],
        "published",
        ReviewStatusFilter,
    ]
    search_fields = ["name", "slug", "family", "organization__name"]
    autocomplete_fields = ["organization", "successor"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["last_reviewed_on", "last_reviewed_by", "source_links"]
    date_hierarchy = "released_on"
    inlines = [OfferingInline, ScoreInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "short_name",
                    "slug",
                    "organization",
                    "family",
                    "published",
                    "loaded_version",
                ]
            },
        ),
        (
            "Spec sheet",
            {
                "fields": [
                    "released_on",
                    "knowledge_cutoff",
                    "context_window",
                    "max_output_tokens",
                    "parameter_count",
                    "architecture",
                    "license",
                    "open_weights",
                    "input_modalities",
                    "output_modalities",
                ]
            },
        ),
        (
            "Capabilities",
            {
                "fields": [name for name, _ in CAPABILITIES],
                "description": "“Unknown” until a source says yes or no; "
                "pages then say “not yet sourced”.",
            },
        ),
        ("Sources", {"fields": ["sources", "source_links"]}),
        (
            "Lifecycle",
            {"fields": ["deprecated_on", "retired_on", "successor", "lifecycle_source"]},
        ),
        ("Review", {"fields": ["last_reviewed_on", "last_reviewed_by"]}),
    ]

    actions = ["mark_reviewed"]
    change_list_template = "admin/models_catalog/languagemodel/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(provider_total=Count("offerings"))

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("models_catalog.review_languagemodel")

    @admin.action(permissions=["review"], description="Mark the selected models reviewed today")
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet) -> None:
        today = timezone.localdate()
        for model in queryset:
            mark_model_reviewed(
                model=model,
                user=request.user,
                on=today,
                note="Marked reviewed from the admin list.",
            )
        self.message_user(request, f"Marked {len(queryset)} model(s) reviewed.", messages.SUCCESS)

    def get_urls(self):
        extra = [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="models_catalog_languagemodel_deleted",
            ),
        ]
        return extra + super().get_urls()

    def deleted_view(self, request: HttpRequest):
        """Models deleted from the catalog, each recoverable with its offerings and scores."""
        if not self.has_delete_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            try:
                history_id = int(request.POST.get("history_id", "0"))
                model = recover_deleted_model(
                    history_id, reason=f"Recovered by {request.user.get_username()}"
                )
            except (RecoveryError, ValueError) as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                old_slug = LanguageModel.history.get(history_id=history_id).slug
                note = (
                    "."
                    if model.slug == old_slug
                    else (f" as “{model.slug}”: another model now uses “{old_slug}”.")
                )
                self.message_user(
                    request,
                    f"Recovered {model.name} with its offerings and scores{note}",
                    messages.SUCCESS,
                )
                return redirect("admin:models_catalog_languagemodel_change", model.pk)
            return redirect("admin:models_catalog_languagemodel_deleted")
        context = {
            **self.admin_site.each_context(request),
            "title": "Deleted models",
            "opts": self.model._meta,
            "deleted": deleted_models()[:100],
        }
        return TemplateResponse(request, "admin/models_catalog/languagemodel/deleted.html", context)

    @admin.display(description="providers", ordering="provider_total")
    def provider_count(self, obj: LanguageModel) -> int:
        return obj.provider_total

    @admin.display(description="context", ordering="context_window")
    def context(self, obj: LanguageModel) -> str:
        return formatting.tokens(obj.context_window)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The model's History lists its own rows; name what the inline rows changed there.
        lines = inline_change_lines(formsets)
        if lines:
            update_change_reason(form.instance, "\n".join(lines))
        for formset in formsets:
            if formset.model is Offering:
                for inline_form in formset.forms:
                    if inline_form in formset.deleted_forms:
                        continue
                    if price_changed_without_new_source(inline_form):
                        warn_to_confirm_source(request, inline_form.instance)

    @admin.display(description="open sources")
    def source_links(self, obj: LanguageModel):
        if not obj.sources:
            return "No sources yet."
        return format_html_join(
            "",
            '<div><a href="{}" target="_blank" rel="noopener">{}</a></div>',
            ((u, u) for u in obj.sources if is_http_url(u)),
        )


class PriceHistoryInline(admin.TabularInline):
    model = PriceHistory
    extra = 0
    can_delete = False
    fields = ["valid_from", "valid_until", "input_price", "output_price", "cached_input_price"]
    readonly_fields = fields
    verbose_name = "earlier rate card"
    verbose_name_plural = "price history (earlier rate cards, newest first)"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="input $/1M")
    def input_price(self, obj) -> str:
        return price_text(obj.input_usd_per_mtok)

    @admin.display(description="output $/1M")
    def output_price(self, obj) -> str:
        return price_text(obj.output_usd_per_mtok)

    @admin.display(description="cached input $/1M")
    def cached_input_price(self, obj) -> str:
        return price_text(obj.cached_input_usd_per_mtok)


@admin.register(Offering)
class OfferingAdmin(CatalogAdmin):
    list_display = [
        "language_model",
        "provider",
        "input_price",
        "output_price",
        "cached_input_price",
        "price_since",
        "free_tier",
        "is_current",
        "ended_on",
        "checked_on",
        "source",
    ]
    list_select_related = ["language_model", "provider"]
    list_filter = ["provider", "provider__kind", "free_tier", "is_current", "source_shows_price"]
    search_fields = ["language_model__name", "language_model__slug", "provider__name"]
    autocomplete_fields = ["language_model", "provider"]
    inlines = [PriceHistoryInline]

    @admin.display(description="source")
    def source(self, obj: Offering):
        return source_link(obj.source_url)

    @admin.display(description="input $/1M", ordering="input_usd_per_mtok")
    def input_price(self, obj) -> str:
        return price_text(obj.input_usd_per_mtok)

    @admin.display(description="output $/1M", ordering="output_usd_per_mtok")
    def output_price(self, obj) -> str:
        return price_text(obj.output_usd_per_mtok)

    @admin.display(description="cached input $/1M", ordering="cached_input_usd_per_mtok")
    def cached_input_price(self, obj) -> str:
        return price_text(obj.cached_input_usd_per_mtok)

    def save_model(self, request: HttpRequest, obj: Offering, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and price_changed_without_new_source(form):
            warn_to_confirm_source(request, obj)


@admin.register(PriceHistory)
class PriceHistoryAdmin(SimpleHistoryAdmin):
    list_display = [
        "offering",
        "valid_from",
        "valid_until",
        "input_price",
        "output_price",
    ]
    input_price = OfferingAdmin.input_price
    output_price = OfferingAdmin.output_price
    list_select_related = ["offering__language_model", "offering__provider"]
    list_filter = ["offering__provider"]
    search_fields = ["offering__language_model__name", "offering__provider__name"]
    date_hierarchy = "valid_until"
    readonly_fields = [
        "offering",
        "valid_from",
        "valid_until",
        "input_usd_per_mtok",
        "output_usd_per_mtok",
        "cached_input_usd_per_mtok",
    ]

    def has_add_permission(self, request) -> bool:
        # History is written by Offering.save() when prices change, never by hand.
        return False


@admin.register(Score)
class ScoreAdmin(CatalogAdmin):
    list_display = [
        "language_model",
        "benchmark",
        "value",
        "provenance",
        "variant",
        "reasoning",
        "attempts",
        "harness",
        "measured_on",
        "source",
    ]
    list_select_related = ["language_model", "benchmark"]
    list_filter = ["benchmark", "provenance", "reasoning"]
    fieldsets = [
        (
            None,
            {"fields": ["language_model", "benchmark", "value", "provenance", "loaded_version"]},
        ),
        (
            "Conditions",
            {
                "fields": list(SCORE_CONDITIONS),
                "description": "As the source states them; leave empty what it does not say. "
                "Scores are compared only when the conditions their benchmark cares about agree.",
            },
        ),
        ("Source", {"fields": ["source_url", "table", "measured_on", "note"]}),
    ]
    search_fields = ["language_model__name", "benchmark__name", "note"]
    autocomplete_fields = ["language_model", "benchmark"]

    @admin.display(description="source")
    def source(self, obj: Score):
        return source_link(obj.source_url)


@admin.register(Organization)
class OrganizationAdmin(CatalogAdmin):
    list_display = ["name", "slug", "website", "model_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(model_total=Count("language_models"))

    @admin.display(description="models", ordering="model_total")
    def model_count(self, obj: Organization) -> int:
        return obj.model_total


@admin.register(Provider)
class ProviderAdmin(CatalogAdmin):
    list_display = ["name", "slug", "kind", "first_party_for", "website", "offering_count"]
    list_select_related = ["first_party_for"]
    list_filter = ["kind"]
    autocomplete_fields = ["first_party_for"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(offering_total=Count("offerings"))

    @admin.display(description="offerings", ordering="offering_total")
    def offering_count(self, obj: Provider) -> int:
        return obj.offering_total


class BenchmarkForm(VersionCheckedForm):
    conditions_that_matter = forms.MultipleChoiceField(
        choices=[(name, name.replace("_", " ")) for name in SCORE_CONDITIONS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Conditions that must agree for two scores to be compared. None ticked: all.",
    )

    class Meta:
        model = Benchmark
        fields = [f.name for f in Benchmark._meta.fields if f.editable and not f.primary_key]

    def clean_conditions_that_matter(self):
        # Stored as None (every condition matters) rather than an empty list.
        return self.cleaned_data["conditions_that_matter"] or None


@admin.register(Benchmark)
class BenchmarkAdmin(CatalogAdmin):
    form = BenchmarkForm
    list_display = [
        "name",
        "slug",
        "task",
        "unit",
        "higher_is_better",
        "noise_threshold",
        "saturated",
        "link",
    ]
    list_filter = ["task", "saturated"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description="URL")
    def link(self, obj: Benchmark):
        return source_link(obj.url) if obj.url else "—"


@admin.register(DataSource)
class DataSourceAdmin(CatalogAdmin):
    # Not list_editable: the list's formset would bypass the version check and lose edits.
    list_display = ["name", "license", "used_for", "position"]
    search_fields = ["name", "license"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["language_model", "reviewed_on", "reviewed_by", "note"]
    list_select_related = ["language_model", "reviewed_by"]
    list_filter = ["reviewed_on"]
    search_fields = ["language_model__name", "note"]
    readonly_fields = ["language_model", "reviewed_by", "reviewed_on", "note"]

    def has_add_permission(self, request) -> bool:
        # Reviews are recorded by "Mark reviewed", never typed in.
        return False


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    list_display = ["language_model", "short_message", "created_at", "status", "source"]
    list_select_related = ["language_model"]
    list_filter = [("resolved_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["language_model__name", "message", "email"]
    readonly_fields = ["language_model", "message", "source_url", "email", "page", "created_at"]
    fields = [*readonly_fields, "resolved_at", "resolved_by"]
    actions = ["resolve"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="report")
    def short_message(self, obj: ErrorReport) -> str:
        return obj.message[:80]

    @admin.display(description="status")
    def status(self, obj: ErrorReport) -> str:
        return "open" if obj.is_open else "resolved"

    @admin.display(description="source")
    def source(self, obj: ErrorReport):
        return source_link(obj.source_url) if obj.source_url else "—"

    @admin.action(permissions=["change"], description="Mark the selected reports resolved")
    def resolve(self, request: HttpRequest, queryset: QuerySet) -> None:
        for report in queryset.filter(resolved_at__isnull=True):
            report.resolve(request.user)


# --- LiteLLM import: mappings, runs and the proposed changes editors decide on -------------


@admin.register(LiteLLMProviderMapping)
class LiteLLMProviderMappingAdmin(SimpleHistoryAdmin):
    list_display = ["name", "provider", "batch_provider"]
    list_select_related = ["provider", "batch_provider"]
    list_filter = [("provider", admin.EmptyFieldListFilter)]
    search_fields = ["name", "provider__name"]
    autocomplete_fields = ["provider", "batch_provider"]


@admin.register(LiteLLMModelMapping)
class LiteLLMModelMappingAdmin(SimpleHistoryAdmin):
    list_display = ["key", "language_model"]
    list_select_related = ["language_model"]
    list_filter = [("language_model", admin.EmptyFieldListFilter)]
    search_fields = ["key", "language_model__name", "language_model__slug"]
    autocomplete_fields = ["language_model"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "source", "entry_count", "pending", "review"]
    readonly_fields = [
        "source",
        "source_url",
        "as_of",
        "file_sha256",
        "entry_count",
        "created_at",
        "changes_by_kind",
    ]

    def has_add_permission(self, request) -> bool:
        return False  # runs are made by `manage.py import_litellm`

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        pending = Count("changes", filter=Q(changes__status=ProposedChange.Status.PENDING))
        return super().get_queryset(request).annotate(pending_total=pending)

    @admin.display(description="pending", ordering="pending_total")
    def pending(self, obj: ImportRun) -> int:
        return obj.pending_total

    @admin.display(description="proposed changes")
    def review(self, obj: ImportRun):
        url = reverse("admin:models_catalog_proposedchange_changelist")
        return format_html('<a href="{}?run__id__exact={}">review</a>', url, obj.pk)

    @admin.display(description="proposed changes by kind")
    def changes_by_kind(self, obj: ImportRun):
        url = reverse("admin:models_catalog_proposedchange_changelist")
        rows = obj.changes.values("kind", "status").annotate(total=Count("pk")).order_by("kind")
        labels = dict(ProposedChange.Kind.choices)
        return format_html_join(
            "",
            '<div><a href="{}?run__id__exact={}&kind__exact={}&status__exact={}">'
            "{}: {} {}</a></div>",
            (
                (url, obj.pk, r["kind"], r["status"], labels[r["kind"]], r["total"], r["status"])
                for r in rows
            ),
        )


@admin.register(ProposedChange)
class ProposedChangeAdmin(admin.ModelAdmin):
    """The review queue of an import: old → new with the source; accept or reject, in bulk."""

    list_display = [
        "kind",
        "subject",
        "field",
        "old_to_new",
        "conflict_flag",
        "status",
        "source",
    ]
    list_select_related = ["language_model", "provider", "run"]
    list_filter = [
        "status",
        "kind",
        ("conflict", admin.EmptyFieldListFilter),
        "run",
        ("provider", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["language_model__name", "provider__name", "field", "litellm_keys"]
    list_per_page = 200
    actions = ["accept", "reject", "accept_overwriting"]
    readonly_fields = [
        "run",
        "kind",
        "status",
        "language_model",
        "provider",
        "field",
        "old_to_new",
        "litellm_provider",
        "litellm_keys",
        "source",
        "conflict",
        "decided_by",
        "decided_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False  # proposed by `manage.py import_litellm` only

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the record of what was decided stays

    @admin.display(description="model / key")
    def subject(self, obj: ProposedChange) -> str:
        if obj.language_model and obj.provider:
            return f"{obj.language_model} at {obj.provider}"
        return str(obj.language_model or (obj.litellm_keys[0] if obj.litellm_keys else ""))

    @admin.display(description="old → new")
    def old_to_new(self, obj: ProposedChange):
        # Kept on one line each, so a rate card reads as one figure.
        return format_html(
            '<span style="white-space:nowrap">{}</span> → '
            '<span style="white-space:nowrap">{}</span>',
            describe(obj.old_value),
            describe(obj.new_value),
        )

    @admin.display(description="conflict", boolean=True)
    def conflict_flag(self, obj: ProposedChange) -> bool:
        return bool(obj.conflict)

    @admin.display(description="source")
    def source(self, obj: ProposedChange):
        return source_link(obj.source_url)

    def _decide(self, request, queryset, decide, verb: str) -> None:
        done, refused = 0, []
        for change in queryset.select_related("language_model", "provider"):
            try:
                decide(change)
            except ImportDecisionError as error:
                refused.append(f"{self.subject(change)} ({change.field}): {error}")
            else:
                done += 1
        if done:
            self.message_user(request, f"{verb} {done} change(s).", messages.SUCCESS)
        for line in refused[:20]:
            self.message_user(request, f"Not {verb.lower()}: {line}", messages.WARNING)
        if len(refused) > 20:
            self.message_user(
                request, f"…and {len(refused) - 20} more not {verb.lower()}.", messages.WARNING
            )

    @admin.action(permissions=["change"], description="Accept the selected changes (not conflicts)")
    def accept(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(
            request,
            queryset,
            lambda c: accept_proposed_change(change=c, user=request.user),
            "Accepted",
        )

    @admin.action(
        permissions=["change"],
        description="Accept the selected changes, overwriting editors' changes (conflicts too)",
    )
    def accept_overwriting(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(
            request,
            queryset,
            lambda c: accept_proposed_change(change=c, user=request.user, overwrite_conflict=True),
            "Accepted",
        )

    @admin.action(permissions=["change"], description="Reject the selected changes")
    def reject(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(
            request,
            queryset,
            lambda c: reject_proposed_change(change=c, user=request.user),
            "Rejected",
        )
