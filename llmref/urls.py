from django.conf import settings
from django.contrib import admin
from django.urls import path

from comparisons import browse, downloads, feeds
from comparisons import views as comparison_views
from comparisons.api import api
from comparisons.page_cache import catalog_page
from comparisons.site_files import favicon, robots_txt
from comparisons.sitemaps import sitemap_index, sitemap_section
from models_catalog import review
from models_catalog import views as catalog_views

# catalog_page: the same for every reader, so served from the cache with ETags (see
# comparisons/page_cache.py). Pages with forms that post, and staff pages, are not.
urlpatterns = [
    path("", catalog_page(comparison_views.home), name="home"),
    path("compare/", comparison_views.pick, name="pick"),
    path(
        "compare/<slug:pair>/",
        catalog_page(comparison_views.compare, on_cache_hit=comparison_views.count_cached_view),
        name="compare",
    ),
    path(
        "compare/<slug:pair>.md",
        catalog_page(comparison_views.compare, on_cache_hit=comparison_views.count_cached_view),
        {"markdown": True},
        name="compare_md",
    ),
    path("embed/compare/<slug:pair>/", comparison_views.embed_compare, name="embed_compare"),
    path("models/", catalog_page(browse.catalog), name="model_list"),
    path("models/<slug:slug>/", catalog_page(browse.model_detail), name="model_detail"),
    path(
        "models/<slug:slug>.md",
        catalog_page(browse.model_detail),
        {"markdown": True},
        name="model_detail_md",
    ),
    path("providers/<slug:slug>/", catalog_page(browse.provider_detail), name="provider_detail"),
    path(
        "organizations/<slug:slug>/",
        catalog_page(browse.organization_detail),
        name="organization_detail",
    ),
    path("benchmarks/<slug:slug>/", catalog_page(browse.benchmark_detail), name="benchmark_detail"),
    path("models/<slug:slug>/report/", catalog_views.report_error, name="report_error"),
    path("search/", catalog_page(browse.search_page), name="search"),
    path("search/suggest.json", catalog_page(browse.suggest), name="suggest"),
    path("credits/", catalog_page(catalog_views.credits), name="credits"),
    path("healthz", catalog_views.healthz, name="healthz"),
    path("review/", review.review_queue, name="review_queue"),
    path("review/<slug:slug>/reviewed/", review.mark_reviewed, name="mark_reviewed"),
    path("review/reports/<int:pk>/resolved/", review.resolve_report, name="resolve_report"),
    path(
        "sitemap.xml",
        catalog_page(sitemap_index),
        name="sitemap_index",
    ),
    path(
        "sitemap-<section>.xml",
        catalog_page(sitemap_section),
        name="sitemap_section",
    ),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/v1/", api.urls),
    path("data/", downloads.data_index, name="data_index"),
    path("data/catalog.json", downloads.catalog_json, name="data_catalog_json"),
    path("data/<slug:table>.csv", downloads.catalog_csv, name="data_csv"),
    path("feeds/changes.atom", feeds.ChangesFeed(), name="feed_changes"),
    path("feeds/models/<slug:slug>.atom", feeds.ModelChangesFeed(), name="feed_model"),
    path("feeds/providers/<slug:slug>.atom", feeds.ProviderChangesFeed(), name="feed_provider"),
    path("llms.txt", comparison_views.llms_txt, name="llms_txt"),
    path(settings.ADMIN_URL, admin.site.urls),
]

# A database outage answers a branded 503 with Retry-After instead of a bare 500.
handler500 = "llmref.middleware.server_error"
