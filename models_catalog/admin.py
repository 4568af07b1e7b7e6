"""The editors' admin: every curated table, with its sources one click away."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from models_catalog.models import (
    CAPABILITIES,
    INPUT_MODALITIES,
    OUTPUT_MODALITIES,
    Benchmark,
    DataSource,
    LanguageModel,
    Offering,
    Organization,
    PriceHistory,
    Provider,
    Score,
)


def source_link(url: str):
    if not url:
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
        validate = URLValidator()
        for number, url in enumerate(urls, start=1):
            try:
                validate(url)
            except ValidationError as error:
                raise ValidationError(f"Line {number} is not a URL: {url}") from error
        return urls


class LanguageModelForm(forms.ModelForm):
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


class OfferingInline(admin.TabularInline):
    model = Offering
    extra = 0
    autocomplete_fields = ["provider"]
    fields = [
        "provider",
        "input_usd_per_mtok",
        "output_usd_per_mtok",
        "cached_input_usd_per_mtok",
        "price_since",
        "context_window",
        "free_tier",
        "is_current",
        "source_url",
    ]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("provider")


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    autocomplete_fields = ["benchmark"]
    fields = ["benchmark", "value", "provenance", "note", "measured_on", "source_url"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("benchmark")


@admin.register(LanguageModel)
class LanguageModelAdmin(admin.ModelAdmin):
    form = LanguageModelForm
    list_display = [
        "name",
        "organization",
        "released_on",
        "context_window",
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
        (None, {"fields": ["name", "slug", "organization", "family", "published"]}),
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
        ("Lifecycle", {"fields": ["deprecated_on", "retired_on", "successor"]}),
        ("Review", {"fields": ["last_reviewed_on", "last_reviewed_by"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(provider_total=Count("offerings"))

    @admin.display(description="providers", ordering="provider_total")
    def provider_count(self, obj: LanguageModel) -> int:
        return obj.provider_total

    @admin.display(description="open sources")
    def source_links(self, obj: LanguageModel):
        if not obj.sources:
            return "No sources yet."
        return format_html_join(
            "",
            '<div><a href="{}" target="_blank" rel="noopener">{}</a></div>',
            ((u, u) for u in obj.sources),
        )


class PriceHistoryInline(admin.TabularInline):
    model = PriceHistory
    extra = 0
    can_delete = False
    fields = [
        "valid_from",
        "valid_until",
        "input_usd_per_mtok",
        "output_usd_per_mtok",
        "cached_input_usd_per_mtok",
    ]
    readonly_fields = fields
    verbose_name = "earlier rate card"
    verbose_name_plural = "price history (earlier rate cards, newest first)"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = [
        "language_model",
        "provider",
        "input_usd_per_mtok",
        "output_usd_per_mtok",
        "cached_input_usd_per_mtok",
        "price_since",
        "free_tier",
        "is_current",
        "source",
    ]
    list_select_related = ["language_model", "provider"]
    list_filter = ["provider", "provider__kind", "free_tier", "is_current"]
    search_fields = ["language_model__name", "language_model__slug", "provider__name"]
    autocomplete_fields = ["language_model", "provider"]
    inlines = [PriceHistoryInline]

    @admin.display(description="source")
    def source(self, obj: Offering):
        return source_link(obj.source_url)


@admin.register(PriceHistory)
class PriceHistoryAdmin(admin.ModelAdmin):
    list_display = [
        "offering",
        "valid_from",
        "valid_until",
        "input_usd_per_mtok",
        "output_usd_per_mtok",
    ]
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
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["language_model", "benchmark", "value", "provenance", "measured_on", "source"]
    list_select_related = ["language_model", "benchmark"]
    list_filter = ["benchmark", "provenance"]
    search_fields = ["language_model__name", "benchmark__name", "note"]
    autocomplete_fields = ["language_model", "benchmark"]

    @admin.display(description="source")
    def source(self, obj: Score):
        return source_link(obj.source_url)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "website", "model_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(model_total=Count("language_models"))

    @admin.display(description="models", ordering="model_total")
    def model_count(self, obj: Organization) -> int:
        return obj.model_total


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "website", "offering_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(offering_total=Count("offerings"))

    @admin.display(description="offerings", ordering="offering_total")
    def offering_count(self, obj: Provider) -> int:
        return obj.offering_total


@admin.register(Benchmark)
class BenchmarkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "unit", "higher_is_better", "min_score", "max_score", "link"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description="URL")
    def link(self, obj: Benchmark):
        return source_link(obj.url) if obj.url else "—"


@admin.register(DataSource)
class DataSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "license", "used_for", "position"]
    list_editable = ["position"]
    search_fields = ["name", "license"]
