"""Atom feeds of catalog changes: site-wide, per model and per provider.

New models, price changes, deprecations and retirements, and reviews, newest first; each
entry is dated and links to the page it concerns.
"""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from comparisons import selectors
from comparisons.selectors import ChangeEvent
from llmref.site import absolute_url
from models_catalog.models import LanguageModel, Provider


class ChangesFeed(Feed):
    # Every link is absolute from SITE_URL: the feed framework would otherwise prefix the
    # request's Host header, which a client chooses.
    feed_type = Atom1Feed
    title = "LLM Reference: changes"
    subtitle = (
        "New models, price changes, deprecations and retirements, and reviews in the catalog."
    )
    author_name = "LLM Reference"

    def link(self) -> str:
        return absolute_url(reverse("home"))

    def feed_url(self) -> str:
        return absolute_url(reverse("feed_changes"))

    def items(self) -> list[ChangeEvent]:
        return selectors.change_events(today=timezone.localdate())

    def item_title(self, item: ChangeEvent) -> str:
        return item.title

    def item_description(self, item: ChangeEvent) -> str:
        return item.text

    def item_link(self, item: ChangeEvent) -> str:
        anchor = "#prices" if item.kind == "price-change" else ""
        return absolute_url(reverse("model_detail", args=[item.model.slug]) + anchor)

    def item_guid(self, item: ChangeEvent) -> str:
        # Atom ids must be absolute IRIs, and stay the same for the same change.
        return absolute_url(f"{reverse('model_detail', args=[item.model.slug])}#{item.key}")

    def item_pubdate(self, item: ChangeEvent) -> datetime.datetime:
        return datetime.datetime.combine(item.on, datetime.time(), tzinfo=datetime.UTC)

    item_updateddate = item_pubdate

    def item_categories(self, item: ChangeEvent) -> tuple[str, ...]:
        return (item.kind,)


class ModelChangesFeed(ChangesFeed):
    def get_object(self, request: HttpRequest, slug: str) -> LanguageModel:
        found = LanguageModel.objects.published().filter(slug=slug).first()
        if found is None:
            raise Http404("No such published model.")
        return found

    def title(self, obj: LanguageModel) -> str:
        return f"LLM Reference: changes to {obj.name}"

    def subtitle(self, obj: LanguageModel) -> str:
        return f"Price changes, lifecycle and reviews of {obj.name}."

    def link(self, obj: LanguageModel) -> str:
        return absolute_url(reverse("model_detail", args=[obj.slug]))

    def feed_url(self, obj: LanguageModel) -> str:
        return absolute_url(reverse("feed_model", args=[obj.slug]))

    def items(self, obj: LanguageModel) -> list[ChangeEvent]:
        return selectors.change_events(today=timezone.localdate(), model=obj.slug)


class ProviderChangesFeed(ChangesFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Provider:
        found = Provider.objects.filter(slug=slug).first()
        if found is None:
            raise Http404("No such provider.")
        return found

    def title(self, obj: Provider) -> str:
        return f"LLM Reference: price changes on {obj.name}"

    def subtitle(self, obj: Provider) -> str:
        return f"Price changes, deprecations and retirements of the models {obj.name} serves."

    def link(self, obj: Provider) -> str:
        return absolute_url(reverse("provider_detail", args=[obj.slug]))

    def feed_url(self, obj: Provider) -> str:
        return absolute_url(reverse("feed_provider", args=[obj.slug]))

    def items(self, obj: Provider) -> list[ChangeEvent]:
        return selectors.change_events(today=timezone.localdate(), provider=obj.slug)
