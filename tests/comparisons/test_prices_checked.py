"""“Prices checked on D” under every offerings table."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from comparisons.formatting import prices_checked
from tests.factories import LanguageModelFactory, OfferingFactory

D1, D2 = datetime.date(2026, 11, 1), datetime.date(2026, 11, 29)


def test_all_checked_on_one_day():
    assert prices_checked([D2, D2]) == "Prices checked on 2026-11-29."


def test_checked_on_several_days_names_the_span():
    assert prices_checked([D2, D1]) == "Prices checked between 2026-11-01 and 2026-11-29."


def test_some_not_checked():
    assert prices_checked([D2, None, None]) == (
        "1 of 3 prices checked against their sources on 2026-11-29; 2 not yet checked."
    )


def test_none_checked_and_nothing_listed():
    assert prices_checked([None]) == "Prices not yet checked against their sources."
    assert prices_checked([]) == ""


@pytest.mark.django_db
def test_model_page_says_when_prices_were_checked(client):
    model = LanguageModelFactory(slug="checked-model")
    OfferingFactory(language_model=model, checked_on=D2)
    OfferingFactory(language_model=model, checked_on=D1)
    # A price no longer listed is history, not a price the caption speaks for.
    OfferingFactory(language_model=model, checked_on=None, is_current=False)
    html = client.get(reverse("model_detail", args=["checked-model"])).content.decode()
    assert "Prices checked between 2026-11-01 and 2026-11-29." in html
    assert "checked 2026-11-29" in html
