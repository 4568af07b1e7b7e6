"""Sitemaps of every public page, including every pair of published models.

N models make N·(N−1)/2 pairs (two million at 2,000 models), so pairs are never built as a
list: `Pairs` answers `len()` and slices by index arithmetic over the ordered slug list, and
Django's paginator asks it only for the 50,000 of one sitemap file.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator, Sequence

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import escape

from llmref.site import absolute_url
from models_catalog.catalog_version import catalog_state, per_catalog_version
from models_catalog.models import Benchmark, LanguageModel, Organization, Provider
from models_catalog.vocabulary import PAIR_SEPARATOR

URLS_PER_FILE = 50_000


def pair_count(n: int) -> int:
    return n * (n - 1) // 2


def pair_row_start(i: int, n: int) -> int:
    """Index of the first pair whose first slug is slugs[i] (pairs ordered row by row)."""
    return i * (n - 1) - i * (i - 1) // 2


def pair_at(k: int, n: int) -> tuple[int, int]:
    """The (i, j), i < j, of the k-th pair in row order, without counting up to it."""
    # Row i starts at i·(n−1) − i·(i−1)/2; solve for the last row starting at or before k.
    b = 2 * n - 1
    i = int((b - math.sqrt(b * b - 8 * k)) // 2)
    i = max(0, min(i, n - 2))
    while pair_row_start(i + 1, n) <= k:
        i += 1
    while pair_row_start(i, n) > k:
        i -= 1
    return i, i + 1 + (k - pair_row_start(i, n))


class Pairs(Sequence):
    """Every pair of `slugs` (sorted), each once, as canonical pair slugs."""

    def __init__(self, slugs: Sequence[str]) -> None:
        self.slugs = sorted(slugs)

    def __len__(self) -> int:
        return pair_count(len(self.slugs))

    def _walk(self, start: int, stop: int) -> Iterator[str]:
        n = len(self.slugs)
        if start >= stop:
            return
        i, j = pair_at(start, n)
        for _ in range(stop - start):
            yield f"{self.slugs[i]}{PAIR_SEPARATOR}{self.slugs[j]}"
            j += 1
            if j == n:
                i += 1
                j = i + 1

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                raise ValueError("Pairs are sliced in order only.")
            return list(self._walk(start, stop))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return next(self._walk(index, index + 1))


def _last_change() -> datetime.datetime:
    return catalog_state().changed_at


class CatalogSitemap(Sitemap):
    """lastmod is when the catalog last changed: any edit can change any page's figures."""

    limit = URLS_PER_FILE

    def lastmod(self, item) -> datetime.datetime:
        return _last_change()

    def get_latest_lastmod(self) -> datetime.datetime:
        return _last_change()


class SlugSitemap(CatalogSitemap):
    url_name = ""

    def location(self, item: str) -> str:
        return reverse(self.url_name, args=[item])


class ModelSitemap(SlugSitemap):
    url_name = "model_detail"

    def items(self) -> list[str]:
        return published_slugs()


class OrganizationSitemap(SlugSitemap):
    url_name = "organization_detail"

    def items(self) -> list[str]:
        return list(Organization.objects.order_by("slug").values_list("slug", flat=True))


class ProviderSitemap(SlugSitemap):
    url_name = "provider_detail"

    def items(self) -> list[str]:
        return list(Provider.objects.order_by("slug").values_list("slug", flat=True))


class BenchmarkSitemap(SlugSitemap):
    url_name = "benchmark_detail"

    def items(self) -> list[str]:
        return list(Benchmark.objects.order_by("slug").values_list("slug", flat=True))


class PairSitemap(CatalogSitemap):
    def items(self) -> Pairs:
        return per_catalog_version("sitemap-pairs", lambda: Pairs(published_slugs()))

    def location(self, item: str) -> str:
        # reverse() for each of 50,000 URLs would be most of the file's cost: reverse once.
        prefix, _, suffix = reverse("compare", args=["_"]).rpartition("_")
        self.location = lambda item: f"{prefix}{item}{suffix}"
        return self.location(item)


def published_slugs() -> list[str]:
    return list(LanguageModel.objects.published().order_by("slug").values_list("slug", flat=True))


SITEMAPS = {
    "models": ModelSitemap,
    "organizations": OrganizationSitemap,
    "providers": ProviderSitemap,
    "benchmarks": BenchmarkSitemap,
    "pairs": PairSitemap,
}


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One sitemap file: what django.contrib.sitemaps' view sends, written directly, because
    its template takes seconds over 50,000 URLs."""
    if section not in SITEMAPS:
        raise Http404("No such sitemap.")
    sitemap = SITEMAPS[section]()
    try:
        page = sitemap.paginator.page(request.GET.get("p", 1))
    except InvalidPage as error:
        raise Http404("No such sitemap page.") from error
    # SITE_URL, never the request's Host header, which a client chooses.
    base = escape(settings.SITE_URL)
    lastmod = sitemap.get_latest_lastmod().date().isoformat()
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    ]
    # Locations are built from slugs, which every way in validates as SlugFields (letters,
    # digits, hyphens, underscores): nothing in them needs escaping, and escaping 50,000 of
    # them would cost most of the file's time.
    parts.extend(
        f"<url><loc>{base}{sitemap.location(item)}</loc><lastmod>{lastmod}</lastmod></url>\n"
        for item in page.object_list
    )
    parts.append("</urlset>\n")
    response = HttpResponse("".join(parts), content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


def sitemap_index(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: django.contrib.sitemaps' index, with every file's address built from
    SITE_URL rather than the request's Host header."""
    lastmod = _last_change().isoformat()
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    ]
    for section, sitemap_class in SITEMAPS.items():
        url = absolute_url(reverse("sitemap_section", args=[section]))
        for page in range(1, sitemap_class().paginator.num_pages + 1):
            loc = url if page == 1 else f"{url}?p={page}"
            parts.append(
                f"<sitemap><loc>{escape(loc)}</loc><lastmod>{lastmod}</lastmod></sitemap>\n"
            )
    parts.append("</sitemapindex>\n")
    return HttpResponse("".join(parts), content_type="application/xml")
