"""The curated catalog: who makes models, the models, who serves them at what price, and scores.

Every curated fact carries its source. A missing value is stored as NULL ("unknown"), never
as 0, so pages can say "not yet sourced" instead of inventing a number.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.expressions import DatabaseDefault
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from models_catalog.lifecycle import LifecycleStatus, has_ended, lifecycle_status
from models_catalog.validators import (
    is_local_path,
    kind,
    text_problem,
    validate_http_url,
    validate_source_list,
)
from models_catalog.vocabulary import (
    CAPABILITY_VOCABULARY,
    PAIR_SEPARATOR,
    SCORE_CONDITIONS,
    TASKS,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def validate_catalog_slug(value: str) -> None:
    """Slugs appear in pair URLs (`<a>-vs-<b>`), so `-vs-` inside one would be ambiguous."""
    RegexValidator(
        SLUG_PATTERN,
        "Use lowercase letters, digits and single hyphens (e.g. llama-3-2-1b-instruct).",
    )(value)
    if PAIR_SEPARATOR in value:
        raise ValidationError(
            "A slug may not contain “-vs-”: pair pages use it to separate two slugs."
        )


class CatalogVersion(models.Model):
    """The one row that names the catalog's current state; every catalog write changes it.

    Pages and figures computed from the catalog are cached under `stamp`, so a write makes
    every cached copy unreachable at once, on every host sharing the database. The stamp is
    random rather than a counter because a rolled-back write must never reuse a stamp that
    something was cached under. See models_catalog/catalog_version.py.
    """

    number = models.PositiveBigIntegerField(default=1, help_text="Writes so far.")
    stamp = models.CharField(max_length=32, help_text="Random; new with every write.")
    changed_at = models.DateTimeField(help_text="When the catalog last changed.")

    def __str__(self) -> str:
        return f"catalog version {self.number}"


def type_problem(field: models.Field, value: object) -> str | None:
    """Why `value` is the wrong type for `field` (text with control characters included), or
    None. Django's fields would quietly turn 12345 into "12345" and "yes" into True."""
    if value is None or field.is_relation or field.primary_key:
        return None
    if isinstance(field, models.CharField | models.TextField):
        if not isinstance(value, str):
            return f"Expected text, not {kind(value)}."
        return text_problem(value, single_line=not isinstance(field, models.TextField))
    if isinstance(field, models.BooleanField):
        if not isinstance(value, bool):
            return f"Expected true or false, not {kind(value)}."
    elif isinstance(field, models.IntegerField):
        if isinstance(value, bool) or not isinstance(value, int):
            return f"Expected a whole number, not {kind(value)}."
    return None


def clean_field_value(field: models.Field, value: object, instance: models.Model) -> object:
    """The value `field` stores for `value`, or ValidationError: what TextChecked.clean_fields
    does for one field (the type rule above, then Django's own clean of the field, skipped
    for an empty optional value as Model.clean_fields skips it).

    The result depends on the field and the value only, so a bulk importer may check each
    distinct value once (see importers/catalog.py)."""
    problem = type_problem(field, value)
    if problem:
        raise ValidationError(problem)
    if (field.blank and value in field.empty_values) or isinstance(value, DatabaseDefault):
        return value
    return field.clean(value, instance)


class TextChecked(models.Model):
    """Field values of the right type, and text free of control characters, on every way in.

    Django's fields quietly turn 12345 into "12345" and "yes" into True; a catalog file (or any
    other caller of full_clean) must say what it means, so a wrong type is refused instead.
    """

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None) -> None:
        # Model.clean_fields with clean_field_value in place of Field.clean, so the loader's
        # set-based check and this one are one rule.
        exclude = set(exclude or ())
        errors: dict[str, list] = {}
        for field in self._meta.fields:
            if field.name in exclude or field.generated:
                continue
            try:
                value = clean_field_value(field, getattr(self, field.attname), self)
            except ValidationError as error:
                errors[field.name] = error.error_list
            else:
                setattr(self, field.attname, value)
        if errors:
            raise ValidationError(errors)


class Versioned(TextChecked):
    """A row that counts its saves, so an edit made on a stale copy can be refused.

    Forms carry the version they were opened at (see admin.VersionCheckedForm); a save bumps it.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


class SourceURLField(models.URLField):
    """A URL field for links readers follow: http(s) only (no javascript:, data: or ftp:),
    and its form assumes https:// when an editor pastes a bare host."""

    default_validators = [validate_http_url]

    def formfield(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)


def slug_field(help_text: str) -> models.SlugField:
    return models.SlugField(
        max_length=100, unique=True, validators=[validate_catalog_slug], help_text=help_text
    )


def slug_constraint(model_name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=~Q(slug="") & ~Q(slug__contains=PAIR_SEPARATOR),
        name=f"{model_name}_slug_not_pair_like",
        violation_error_message="A slug may not be empty or contain “-vs-”.",
    )


class Organization(Versioned):
    """Who makes models (Meta, OpenAI)."""

    slug = slug_field("URL name, e.g. “meta”. Lowercase letters, digits and hyphens.")
    name = models.CharField(max_length=200, help_text="As the organization writes it.")
    website = SourceURLField(blank=True, help_text="The organization's home page.")
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["name"]
        constraints = [slug_constraint("organization")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organization_detail", args=[self.slug])


class Provider(Versioned):
    """Who serves models. A provider's batch API is a provider of its own (kind `batch`)."""

    class Kind(models.TextChoices):
        FIRST_PARTY = "first-party", "First-party API"
        CLOUD = "cloud", "Cloud platform"
        INFERENCE = "inference", "Inference host"
        AGGREGATOR = "aggregator", "Aggregator / router"
        BATCH = "batch", "Batch API"

    slug = slug_field("URL name, e.g. “openai-batch”.")
    name = models.CharField(max_length=200, help_text="E.g. “OpenAI Batch API”.")
    website = SourceURLField(blank=True, help_text="The provider's pricing or home page.")
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        help_text="Batch APIs are kept apart: their prices are never compared with real-time ones.",
    )
    first_party_for = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="first_party_providers",
        verbose_name="first-party API of",
        help_text="The organization whose own API this is (OpenAI API for OpenAI). On a price "
        "tie, the maker's own API is named first.",
    )
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["name"]
        constraints = [slug_constraint("provider")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("provider_detail", args=[self.slug])

    @property
    def is_batch(self) -> bool:
        return self.kind == self.Kind.BATCH


class LanguageModelQuerySet(models.QuerySet):
    def published(self) -> LanguageModelQuerySet:
        return self.filter(published=True)

    def stale(self, today: datetime.date | None = None) -> LanguageModelQuerySet:
        """Never reviewed, or last reviewed more than STALE_AFTER_DAYS before `today`."""
        today = today or timezone.localdate()
        cutoff = today - datetime.timedelta(days=settings.STALE_AFTER_DAYS)
        return self.filter(Q(last_reviewed_on__isnull=True) | Q(last_reviewed_on__lt=cutoff))


class TriState(models.BooleanField):
    """A capability flag: yes, no, or unknown (NULL) until someone finds a source."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", None)
        super().__init__(*args, **kwargs)


CAPABILITIES: tuple[tuple[str, str], ...] = tuple(
    (name, label) for name, label, _words in CAPABILITY_VOCABULARY
)

INPUT_MODALITIES = ("text", "image", "audio", "video", "pdf")
OUTPUT_MODALITIES = ("text", "image", "audio", "video")


class LanguageModel(Versioned):
    """One large language model as its maker names it: its spec sheet, capabilities and lifecycle.

    Prices live on Offering (one per provider) and benchmark results on Score.
    """

    class Architecture(models.TextChoices):
        DECODER_ONLY = "decoder-only", "Decoder-only"
        MIXTURE_OF_EXPERTS = "mixture-of-experts", "Mixture of experts"

    slug = slug_field("URL name, e.g. “llama-3-2-1b-instruct”. Never contains “-vs-”.")
    name = models.CharField(max_length=200, help_text="As the maker writes it.")
    short_name = models.CharField(
        max_length=100,
        blank=True,
        help_text="What prose calls the model after first mentioning its full name, e.g. "
        "“Sonnet 4” for “Claude Sonnet 4”. Empty: the full name.",
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="language_models"
    )
    family = models.CharField(
        max_length=200, blank=True, help_text="E.g. “Llama 3.2”; models of one family are linked."
    )
    released_on = models.DateField(
        null=True, blank=True, help_text="First public release (model card or announcement)."
    )
    knowledge_cutoff = models.DateField(
        null=True,
        blank=True,
        help_text="Month of the training-data cutoff; enter the first day of that month.",
    )
    context_window = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Maximum tokens of prompt plus output, from the model card. Empty if unknown.",
    )
    max_output_tokens = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text="Tokens."
    )
    parameter_count = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Total parameters as a whole number (1.23B = 1230000000). Empty if undisclosed.",
    )
    architecture = models.CharField(
        max_length=30, choices=Architecture.choices, blank=True, help_text="Empty if unknown."
    )
    license = models.CharField(
        max_length=200,
        blank=True,
        help_text="E.g. “Apache-2.0”, “Proprietary”. Empty if unknown.",
    )
    open_weights = models.BooleanField(
        default=False, help_text="Weights downloadable (under any license)."
    )
    input_modalities = models.JSONField(
        default=list, blank=True, help_text="What the model accepts."
    )
    output_modalities = models.JSONField(
        default=list, blank=True, help_text="What the model produces."
    )

    vision = TriState(help_text="Understands images. Unknown until sourced.")
    multimodal = TriState(help_text="Accepts more than one kind of input.")
    reasoning = TriState(help_text="Has a reasoning (thinking) mode.")
    function_calling = TriState(help_text="Calls functions declared in the request.")
    tool_use = TriState(help_text="Uses tools (built-in or declared).")
    structured_outputs = TriState(help_text="Guarantees JSON that matches a schema.")
    code_execution = TriState(help_text="Runs code in a sandbox as a built-in tool.")

    sources = models.JSONField(
        default=list,
        blank=True,
        help_text="URLs that support this spec sheet, one per line.",
    )

    deprecated_on = models.DateField(
        null=True, blank=True, help_text="When the maker announced deprecation."
    )
    retired_on = models.DateField(
        null=True,
        blank=True,
        help_text="When it stops being served. Not before deprecation.",
    )
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text="The model the maker recommends instead.",
    )
    lifecycle_source = SourceURLField(
        max_length=500,
        blank=True,
        help_text="The maker's deprecation notice or page that states these dates.",
    )

    published = models.BooleanField(
        default=True, help_text="Unpublished models have no public pages."
    )
    last_reviewed_on = models.DateField(null=True, blank=True, editable=False)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = LanguageModelQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["name"]
        permissions = [("review_languagemodel", "Can mark a model reviewed")]
        constraints = [
            slug_constraint("languagemodel"),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | ~Q(successor=F("pk")),
                name="languagemodel_not_own_successor",
                violation_error_message="A model cannot be its own successor.",
            ),
            models.CheckConstraint(
                condition=Q(retired_on__isnull=True)
                | Q(deprecated_on__isnull=True)
                | Q(retired_on__gte=F("deprecated_on")),
                name="languagemodel_retired_after_deprecated",
                violation_error_message="Retirement cannot come before deprecation.",
            ),
            models.CheckConstraint(
                condition=Q(context_window__isnull=True) | Q(context_window__gt=0),
                name="languagemodel_context_window_positive",
            ),
            models.CheckConstraint(
                condition=Q(max_output_tokens__isnull=True) | Q(max_output_tokens__gt=0),
                name="languagemodel_max_output_positive",
            ),
            models.CheckConstraint(
                condition=Q(parameter_count__isnull=True) | Q(parameter_count__gt=0),
                name="languagemodel_parameter_count_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("model_detail", args=[self.slug])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.pk and self.successor_id == self.pk:
            errors["successor"] = "A model cannot be its own successor."
        if self.deprecated_on and self.retired_on and self.retired_on < self.deprecated_on:
            errors["retired_on"] = "Retirement cannot come before deprecation."
        for field, allowed in (
            ("input_modalities", INPUT_MODALITIES),
            ("output_modalities", OUTPUT_MODALITIES),
        ):
            value = getattr(self, field)
            if not isinstance(value, list) or any(v not in allowed for v in value):
                errors[field] = f"Choose from: {', '.join(allowed)}."
        try:
            validate_source_list(self.sources)
        except ValidationError as error:
            errors["sources"] = " ".join(error.messages)
        if errors:
            raise ValidationError(errors)

    @property
    def capabilities(self) -> dict[str, bool | None]:
        return {name: getattr(self, name) for name, _ in CAPABILITIES}

    @property
    def is_deprecated(self) -> bool:
        return self.deprecated_on is not None

    @property
    def display_short_name(self) -> str:
        return self.short_name or self.name

    def lifecycle_on(self, today: datetime.date) -> LifecycleStatus:
        """Active, deprecated (with the day it stops, when announced) or retired on `today`."""
        return lifecycle_status(
            deprecated_on=self.deprecated_on, retired_on=self.retired_on, today=today
        )


@dataclass(frozen=True)
class RateCard:
    """USD per 1M tokens; `cached_input` is None where the provider lists none."""

    input: Decimal
    output: Decimal
    cached_input: Decimal | None


PRICE_FIELDS = ("input_usd_per_mtok", "output_usd_per_mtok", "cached_input_usd_per_mtok")


class OfferingQuerySet(models.QuerySet):
    def current(self) -> OfferingQuerySet:
        return self.filter(is_current=True)

    def headline_candidates(self, today: datetime.date) -> OfferingQuerySet:
        """Offerings that may be quoted as a model's cheapest price on `today`: still listed,
        real-time, paid, sourced from a page that shows the price, not ended, of a model not
        retired. The same rule as comparisons.pricing.can_headline, in SQL."""
        return (
            self.filter(is_current=True, free_tier=False, source_shows_price=True)
            .exclude(provider__kind=Provider.Kind.BATCH)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
            .filter(
                Q(language_model__retired_on__isnull=True) | Q(language_model__retired_on__gt=today)
            )
        )

    def with_price_on(self, day: datetime.date) -> OfferingQuerySet:
        """Annotate `<price field>_on_date` for each price field: the rate card in effect on `day`.

        An archived card applies from its `valid_from` (from the beginning, when unknown) until
        its `valid_until`; the current card from `price_since`, or, when that is unknown, on
        every day no archived card ends after. NULL input means no record covers the day.
        """
        later_archive = PriceHistory.objects.filter(offering=OuterRef("pk"), valid_until__gt=day)
        archived = later_archive.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        archived = archived.order_by("valid_until")
        current_applies = Q(price_since__lte=day) | (
            Q(price_since__isnull=True) & ~Exists(later_archive)
        )
        return self.annotate(
            **{
                f"{field}_on_date": models.Case(
                    models.When(Exists(archived), then=Subquery(archived.values(field)[:1])),
                    models.When(current_applies, then=F(field)),
                    default=None,
                    output_field=models.DecimalField(max_digits=12, decimal_places=6),
                )
                for field in PRICE_FIELDS
            }
        )


def price_field(verbose_name: str, help_text: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=12,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=help_text,
        **kwargs,
    )


def prices_not_negative(model_name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(input_usd_per_mtok__gte=0)
        & Q(output_usd_per_mtok__gte=0)
        & (Q(cached_input_usd_per_mtok__isnull=True) | Q(cached_input_usd_per_mtok__gte=0)),
        name=f"{model_name}_prices_not_negative",
        violation_error_message="Prices cannot be negative.",
    )


class Offering(Versioned):
    """One model at one provider: its current rate card in USD per 1M tokens.

    When the rate card changes, the old one is archived in PriceHistory with the date it ended.
    """

    language_model = models.ForeignKey(
        LanguageModel, on_delete=models.CASCADE, related_name="offerings", verbose_name="model"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="offerings")
    input_usd_per_mtok = price_field(
        "input $/1M", "USD per 1M input tokens at the base tier, from the provider's pricing page."
    )
    output_usd_per_mtok = price_field("output $/1M", "USD per 1M output tokens at the base tier.")
    cached_input_usd_per_mtok = price_field(
        "cached input $/1M",
        "USD per 1M cached input tokens. Empty if the provider lists none.",
        null=True,
        blank=True,
    )
    price_since = models.DateField(
        null=True,
        blank=True,
        help_text="Date this rate card took effect. Set to today automatically when prices change.",
    )
    context_window = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Only if this provider serves a different context window than the model's.",
    )
    max_output_tokens = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Only if this provider allows a different maximum output than the model's.",
    )
    free_tier = models.BooleanField(
        default=False,
        help_text="A free developer or trial tier (price 0). Never counted as the cheapest price.",
    )
    is_current = models.BooleanField(
        default=True,
        verbose_name="still listed",
        help_text="Untick when the provider no longer lists it; the last listed price is kept.",
    )
    ended_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day this provider stopped serving the model (retired there). From then "
        "on it is neither “cheapest” nor counted as available.",
    )
    checked_on = models.DateField(
        null=True, blank=True, help_text="The day this price was last checked against its source."
    )
    note = models.CharField(max_length=500, blank=True)
    source_url = SourceURLField(max_length=500, help_text="The page where this price is listed.")
    source_shows_price = models.BooleanField(
        default=True,
        verbose_name="source shows the price",
        help_text="Untick when the source is not a page that shows this price (e.g. a package "
        "landing page). Such an offering never headlines as the cheapest.",
    )

    objects = OfferingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["language_model__name", "provider__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["language_model", "provider"],
                name="offering_one_per_model_and_provider",
                violation_error_message="This model already has an offering at this provider.",
            ),
            prices_not_negative("offering"),
            models.CheckConstraint(
                condition=Q(context_window__isnull=True) | Q(context_window__gt=0),
                name="offering_context_window_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language_model} at {self.provider}"

    def save(self, *args, **kwargs) -> None:
        """Archive the previous rate card when the prices change, in the same transaction."""
        with transaction.atomic():
            previous = None
            if self.pk:
                previous = (
                    Offering.objects.filter(pk=self.pk)
                    .only("price_since", *PRICE_FIELDS)
                    .select_for_update()
                    .first()
                )
            if previous is not None and previous.rate_card != self.rate_card:
                ended = self.price_since
                if ended is None or ended == previous.price_since:
                    ended = timezone.localdate()
                    self.price_since = ended
                if previous.price_since and ended < previous.price_since:
                    # clean() says so to editors; never let the archive break its constraint.
                    raise ValidationError({"price_since": "Before the current price began."})
                if "update_fields" in kwargs and kwargs["update_fields"] is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "price_since"}
                PriceHistory.objects.create(
                    offering=self,
                    input_usd_per_mtok=previous.input_usd_per_mtok,
                    output_usd_per_mtok=previous.output_usd_per_mtok,
                    cached_input_usd_per_mtok=previous.cached_input_usd_per_mtok,
                    valid_from=previous.price_since,
                    valid_until=ended,
                )
            super().save(*args, **kwargs)

    def clean(self) -> None:
        earlier = self._earlier_start()
        if earlier is not None:
            raise ValidationError(
                {
                    "price_since": f"A new price cannot take effect before the current one did "
                    f"({earlier.isoformat()}). To correct only the date, leave the prices as "
                    "they are."
                }
            )

    def _earlier_start(self) -> datetime.date | None:
        """The current card's start date when this unsaved change gives new prices an earlier
        one (its archived card would end before it began); otherwise None."""
        if self.pk is None or self.price_since is None:
            return None
        previous = Offering.objects.filter(pk=self.pk).only("price_since", *PRICE_FIELDS).first()
        if (
            previous is None
            or previous.price_since is None
            or previous.rate_card == self.rate_card
            or self.price_since >= previous.price_since
        ):
            return None
        return previous.price_since

    def has_ended(self, today: datetime.date) -> bool:
        return has_ended(self.ended_on, today)

    @property
    def rate_card(self) -> RateCard:
        return RateCard(
            self.input_usd_per_mtok, self.output_usd_per_mtok, self.cached_input_usd_per_mtok
        )

    def price_on(self, day: datetime.date) -> RateCard | None:
        """The rate card in effect on `day`, or None when nothing recorded covers it."""
        row = Offering.objects.with_price_on(day).get(pk=self.pk)
        if row.input_usd_per_mtok_on_date is None:
            return None
        return RateCard(*(getattr(row, f"{field}_on_date") for field in PRICE_FIELDS))


class PriceHistory(TextChecked):
    """A rate card an offering no longer charges, with the dates it was in effect."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="price_history")
    input_usd_per_mtok = price_field("input $/1M", "USD per 1M input tokens.")
    output_usd_per_mtok = price_field("output $/1M", "USD per 1M output tokens.")
    cached_input_usd_per_mtok = price_field(
        "cached input $/1M", "USD per 1M cached input tokens.", null=True, blank=True
    )
    valid_from = models.DateField(null=True, blank=True, help_text="Empty when unknown.")
    valid_until = models.DateField(help_text="The day the next rate card took effect.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["offering", "-valid_until"]
        verbose_name_plural = "price history"
        constraints = [
            prices_not_negative("pricehistory"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_from__lte=F("valid_until")),
                name="pricehistory_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering}, until {self.valid_until.isoformat()}"


class Benchmark(Versioned):
    """A test that models are scored on, with the range its scores can take."""

    slug = slug_field("URL name, e.g. “mmlu-pro”.")
    name = models.CharField(max_length=200)
    description = models.TextField(
        blank=True, help_text="What it measures, in a sentence or two, for readers."
    )
    unit = models.CharField(max_length=30, default="percent", help_text="E.g. “percent”, “Elo”.")
    higher_is_better = models.BooleanField(default=True)
    min_score = models.DecimalField(
        max_digits=10, decimal_places=3, default=Decimal("0"), help_text="Lowest possible score."
    )
    max_score = models.DecimalField(
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        default=Decimal("100"),
        help_text="Highest possible score; empty if unbounded (e.g. Elo).",
    )
    url = SourceURLField(blank=True, help_text="The benchmark's paper or home page.")
    task = models.CharField(
        max_length=30,
        choices=[(value, label.capitalize()) for value, label in TASKS],
        blank=True,
        help_text="The reader's task this benchmark speaks to; the FAQ groups by it.",
    )
    noise_threshold = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Gaps smaller than this many points read “about even”.",
    )
    saturated = models.BooleanField(
        default=False,
        help_text="Top models all score near the ceiling: shown, but never decides a verdict.",
    )
    conditions_that_matter = models.JSONField(
        null=True,
        blank=True,
        default=None,
        help_text="Score conditions that must match for two scores to be compared, from: "
        + ", ".join(SCORE_CONDITIONS)
        + ". Empty: all of them.",
    )
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["name"]
        constraints = [
            slug_constraint("benchmark"),
            models.CheckConstraint(
                condition=Q(max_score__isnull=True) | Q(max_score__gt=F("min_score")),
                name="benchmark_range_ordered",
                violation_error_message="The highest score must be above the lowest.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("benchmark_detail", args=[self.slug])

    def contains(self, value: Decimal) -> bool:
        return value >= self.min_score and (self.max_score is None or value <= self.max_score)

    def clean(self) -> None:
        names = self.conditions_that_matter
        if names is not None and (
            not isinstance(names, list) or any(n not in SCORE_CONDITIONS for n in names)
        ):
            raise ValidationError(
                {"conditions_that_matter": f"Choose from: {', '.join(SCORE_CONDITIONS)}."}
            )


class Score(Versioned):
    """One model's result on one benchmark, with who reported it and under what conditions."""

    class Provenance(models.TextChoices):
        MAKER = "maker", "Reported by the maker"
        INDEPENDENT = "independent", "Independent leaderboard"
        THIRD_PARTY = "third-party", "Third-party report"

    class Reasoning(models.TextChoices):
        ON = "on", "On"
        OFF = "off", "Off"

    language_model = models.ForeignKey(
        LanguageModel, on_delete=models.CASCADE, related_name="scores", verbose_name="model"
    )
    benchmark = models.ForeignKey(Benchmark, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(
        max_digits=10, decimal_places=3, help_text="In the benchmark's unit."
    )
    note = models.CharField(
        max_length=500, blank=True, help_text="Setting, e.g. “5-shot CoT”, and where it was cited."
    )
    measured_on = models.DateField(null=True, blank=True)
    provenance = models.CharField(
        max_length=20,
        choices=Provenance.choices,
        help_text="Makers' own numbers are the ones readers trust least; pages label them.",
    )
    source_url = SourceURLField(
        max_length=500, blank=True, help_text="Empty only until a source is found; pages say so."
    )
    # The conditions a score was measured under. Two scores are compared only when the ones
    # their benchmark says matter agree (comparisons/scores.py); empty means not stated.
    variant = models.CharField(
        max_length=100,
        blank=True,
        help_text="Benchmark version or subset, e.g. “Verified”, “2024-08–2025-01”.",
    )
    shots = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Examples in the prompt (0 for zero-shot). Empty if not stated.",
    )
    reasoning = models.CharField(
        max_length=3,
        choices=Reasoning.choices,
        blank=True,
        help_text="Whether a reasoning (thinking) mode was on. Empty if not stated.",
    )
    reasoning_effort = models.CharField(
        max_length=100, blank=True, help_text="E.g. “high”, “64K thinking budget”."
    )
    attempts = models.CharField(
        max_length=100,
        blank=True,
        help_text="E.g. “pass@1”, “best-of-256”, “cons@64”, “parallel test-time compute”.",
    )
    harness = models.CharField(
        max_length=200,
        blank=True,
        help_text="Scaffold for agentic benchmarks, e.g. “OpenHands”, “Agentless”.",
    )
    table = models.CharField(
        max_length=200,
        blank=True,
        help_text="An id naming one source table that reports several models side by side; "
        "scores sharing it are compared first.",
    )
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["benchmark__name", "-value"]
        constraints = [
            # Several scores per model and benchmark are kept when sources or conditions differ
            # (a maker's best-of-N figure next to its single attempt; a rival's paper table).
            models.UniqueConstraint(
                fields=[
                    "language_model",
                    "benchmark",
                    "source_url",
                    "variant",
                    "reasoning",
                    "reasoning_effort",
                    "attempts",
                    "harness",
                ],
                name="score_one_per_source_and_conditions",
                violation_error_message="This model already has this score from this source "
                "under the same conditions.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language_model} on {self.benchmark}: {self.value}"

    def clean(self) -> None:
        # The range lives on the benchmark, so the database cannot check it; the form does.
        if self.benchmark_id and self.value is not None:
            benchmark = self.benchmark
            if not benchmark.contains(self.value):
                upper = benchmark.max_score if benchmark.max_score is not None else "∞"
                raise ValidationError(
                    {
                        "value": f"{benchmark.name} scores run from {benchmark.min_score} "
                        f"to {upper}; {self.value} is outside that range."
                    }
                )


class DataSource(Versioned):
    """A source of catalog data, credited on /credits/ (some licenses require a credit line)."""

    name = models.CharField(max_length=200, unique=True)
    url = SourceURLField()
    license = models.CharField(max_length=100)
    used_for = models.CharField(max_length=500, help_text="Which facts came from it.")
    credit = models.TextField(
        blank=True, help_text="The credit line the license asks for, shown verbatim."
    )
    position = models.PositiveIntegerField(default=0, help_text="Order on the credits page.")
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Review(TextChecked):
    """A reviewer checked a model's spec sheet, offerings and scores against their sources."""

    language_model = models.ForeignKey(
        LanguageModel, on_delete=models.CASCADE, related_name="reviews", verbose_name="model"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_on = models.DateField()
    note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.language_model} reviewed on {self.reviewed_on.isoformat()}"


class ErrorReport(TextChecked):
    """A reader's note that something on a model's pages is wrong."""

    language_model = models.ForeignKey(
        LanguageModel, on_delete=models.CASCADE, related_name="error_reports", verbose_name="model"
    )
    message = models.TextField(max_length=2000, help_text="What is wrong, in the reader's words.")
    source_url = SourceURLField(max_length=500, blank=True, verbose_name="source URL")
    email = models.EmailField(blank=True, help_text="Only for asking the reader a question.")
    page = models.CharField(max_length=300, blank=True, help_text="The page it was sent from.")
    # A keyed hash of the sender's address (never the address itself), to count reports per
    # client in the database: the limit then holds whatever the number of workers or hosts.
    client_key = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Report on {self.language_model}: {self.message[:60]}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    def clean(self) -> None:
        if self.page and not is_local_path(self.page):
            raise ValidationError({"page": "Must be a path on this site, such as /models/x/."})

    def resolve(self, user) -> None:
        self.resolved_at = timezone.now()
        self.resolved_by = user
        self.save(update_fields=["resolved_at", "resolved_by"])


# --- importing from LiteLLM's price file --------------------------------------------------


class LiteLLMProviderMapping(models.Model):
    """Ties one of LiteLLM's provider names to the provider we track (or to none)."""

    name = models.CharField(
        max_length=100,
        unique=True,
        help_text="LiteLLM's `litellm_provider` value, e.g. “bedrock_converse”.",
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Our provider. Empty: LiteLLM's entries for this name are not imported.",
    )
    batch_provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Provider.Kind.BATCH},
        help_text="Where the entries' batch prices go (e.g. OpenAI Batch API). Empty: ignored.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "LiteLLM provider mapping"

    def __str__(self) -> str:
        return f"{self.name} → {self.provider or 'not tracked'}"


class LiteLLMModelMapping(models.Model):
    """Ties a LiteLLM model key, folded, to one of our models (or marks it as not tracked).

    Keys are folded before lookup: the route, region, snapshot date and version suffix are
    removed ("bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0" → “claude-3-5-haiku”), so
    regional and dated duplicates of one model become one offering per provider.
    """

    key = models.CharField(
        max_length=200,
        unique=True,
        help_text="Folded LiteLLM key, lowercase, e.g. “claude-3-5-haiku” or "
        "“meta-llama/llama-3.3-70b-instruct-turbo”. The import lists keys it cannot map.",
    )
    language_model = models.ForeignKey(
        LanguageModel,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="litellm_mappings",
        verbose_name="model",
        help_text="Empty: a model we deliberately do not track (no longer listed as unmapped).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
        verbose_name = "LiteLLM model mapping"

    def __str__(self) -> str:
        return f"{self.key} → {self.language_model or 'not tracked'}"

    def clean(self) -> None:
        if self.key != self.key.strip().lower():
            raise ValidationError({"key": "Keys are folded to lowercase without spaces."})


# Starts the change reason of every edit accepted from an import, so that conflict checks can
# tell an editor's own change from one they accepted.
IMPORT_REASON_PREFIX = "LiteLLM import"


class ImportRun(models.Model):
    """One run of `import_litellm`: the file it read and the changes it proposed."""

    source = models.CharField(max_length=500, help_text="The path or URL that was read.")
    source_url = SourceURLField(
        max_length=500, help_text="Cited for the proposed changes whose entry names no source."
    )
    as_of = models.DateField(help_text="The date the file's prices are taken to be in effect.")
    file_sha256 = models.CharField(max_length=64)
    entry_count = models.PositiveIntegerField(help_text="Language-model entries in the file.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "LiteLLM import run"

    def __str__(self) -> str:
        return f"LiteLLM import #{self.pk} as of {self.as_of.isoformat()}"

    @property
    def change_reason(self) -> str:
        """Recorded in the edit history of every change accepted from this run."""
        return f"{IMPORT_REASON_PREFIX} #{self.pk} (as of {self.as_of.isoformat()})"


class ProposedChange(models.Model):
    """One change an import proposes; nothing is written until an editor accepts it."""

    class Kind(models.TextChoices):
        NEW_OFFERING = "new-offering", "New offering"
        PRICE = "price", "Price change"
        CONTEXT = "context", "Context window"
        MAX_OUTPUT = "max-output", "Max output"
        DEPRECATION = "deprecation", "Deprecation date"
        ENDED = "ended", "No longer listed"
        CAPABILITY = "capability", "Capability flag"
        UNMAPPED = "unmapped", "Unmapped model"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    language_model = models.ForeignKey(
        LanguageModel,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="model",
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    field = models.CharField(
        max_length=200, blank=True, help_text="What changes; for an unmapped model, its key."
    )
    old_value = models.JSONField(null=True, blank=True, help_text="Our value at import time.")
    new_value = models.JSONField(null=True, blank=True, help_text="LiteLLM's value.")
    litellm_keys = models.JSONField(
        default=list,
        blank=True,
        help_text="The LiteLLM entries behind the change, the one used first.",
    )
    litellm_provider = models.CharField(max_length=100, blank=True)
    source_url = SourceURLField(max_length=500, blank=True)
    conflict = models.TextField(
        blank=True,
        help_text="Set when an editor changed this value after the last import: "
        "accepting would overwrite their change.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "kind", "language_model__name", "provider__name", "field", "pk"]
        indexes = [models.Index(fields=["run", "kind", "status"])]

    def __str__(self) -> str:
        subject = " at ".join(str(x) for x in (self.language_model, self.provider) if x)
        return f"{self.get_kind_display()}: {subject or self.field}"


class ComparisonViews(models.Model):
    """How often a comparison page was viewed: one aggregated counter per pair, nothing about
    who viewed it. Feeds the home page's most-viewed comparisons."""

    pair = models.SlugField(max_length=200, unique=True, help_text="The canonical pair slug.")
    views = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "comparison views"
        verbose_name_plural = "comparison views"

    def __str__(self) -> str:
        return f"{self.pair}: {self.views}"
