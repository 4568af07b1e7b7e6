"""The catalog page's filters: a plain GET form, so filter state lives in the URL."""

from __future__ import annotations

from collections.abc import Callable

from django import forms

from comparisons.facts import CAPABILITY_LABELS

SORTS = [
    ("newest", "Release date, newest first"),
    ("name", "Name"),
    ("context", "Context window, largest first"),
    ("price", "Blended price, cheapest first"),
    ("score", "Benchmark score, best first"),
]


PROVIDER_SORTS = [
    ("price", "Blended price, cheapest first"),
    ("newest", "Release date, newest first"),
    ("name", "Name"),
]


class ProviderFilterForm(forms.Form):
    """A provider page's filters: a plain GET form like the catalog's."""

    q = forms.CharField(required=False, max_length=100, label="Name contains")
    organization = forms.ChoiceField(required=False)
    max_price = forms.DecimalField(
        required=False, min_value=0, max_digits=10, decimal_places=4, label="Max blended $/1M"
    )
    current_only = forms.BooleanField(required=False, label="Still listed only")
    sort = forms.ChoiceField(required=False, choices=PROVIDER_SORTS)

    def __init__(self, *args, organizations: Callable[[], list[tuple[str, str]]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Called only when the choices are read (to render the form, or to check a chosen
        # organization): a provider serving hundreds of models need not list them per view.
        self.fields["organization"].choices = lambda: [("", "Any organization"), *organizations()]


class CatalogFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Name or family contains")
    organization = forms.ChoiceField(required=False)
    provider = forms.ChoiceField(required=False)
    open_weights = forms.BooleanField(required=False, label="Open weights only")
    capabilities = forms.MultipleChoiceField(
        required=False,
        choices=CAPABILITY_LABELS,
        widget=forms.CheckboxSelectMultiple,
        label="Has every one of",
    )
    min_context = forms.IntegerField(
        required=False, min_value=1, label="Min context (tokens)", widget=forms.NumberInput
    )
    max_price = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=4,
        label="Max blended price ($/1M)",
    )
    released_after = forms.DateField(
        required=False, label="Released on or after", widget=forms.DateInput(attrs={"type": "date"})
    )
    hide_deprecated = forms.BooleanField(required=False, label="Hide deprecated")
    sort = forms.ChoiceField(required=False, choices=SORTS)
    benchmark = forms.ChoiceField(required=False, label="Benchmark (for sorting by score)")

    def __init__(self, *args, choices: dict[str, list[tuple[str, str]]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Lists of the whole catalog: read only when the form is drawn or a choice checked.
        self.fields["organization"].choices = lambda: [
            ("", "Any organization"),
            *choices["organizations"],
        ]
        self.fields["provider"].choices = lambda: [("", "Any provider"), *choices["providers"]]
        self.fields["benchmark"].choices = lambda: [("", "None"), *choices["benchmarks"]]
