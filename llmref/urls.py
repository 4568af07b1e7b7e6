from django.conf import settings
from django.contrib import admin
from django.urls import path

from comparisons import browse, downloads, feeds
from comparisons import views as comparison_views
from comparisons.api import api
from models_catalog import review
from models_catalog import views as catalog_views

urlpatterns = [
    path("", comparison_views.home, name="home"),
    path("compare/", comparison_views.pick, name="pick"),
    path("compare/<slug:pair>/", comparison_views.compare, name="compare"),
    path("compare/<slug:pair>.md", comparison_views.compare, {"markdown": True}, name="compare_md"),
    path("embed/compare/<slug:pair>/", comparison_views.embed_compare, name="embed_compare"),
    path("models/", browse.catalog, name="model_list"),
    path("models/<slug:slug>/", browse.model_detail, name="model_detail"),
    path("models/<slug:slug>.md", browse.model_detail, {"markdown": True}, name="model_detail_md"),
    path("providers/<slug:slug>/", browse.provider_detail, name="provider_detail"),
    path("organizations/<slug:slug>/", browse.organization_detail, name="organization_detail"),
    path("benchmarks/<slug:slug>/", browse.benchmark_detail, name="benchmark_detail"),
    path("models/<slug:slug>/report/", catalog_views.report_error, name="report_error"),
    path("search/", browse.search_page, name="search"),
    path("search/suggest.json", browse.suggest, name="suggest"),
    path("credits/", catalog_views.credits, name="credits"),
    path("healthz", catalog_views.healthz, name="healthz"),
    path("review/", review.review_queue, name="review_queue"),
    path("review/<slug:slug>/reviewed/", review.mark_reviewed, name="mark_reviewed"),
    path("review/reports/<int:pk>/resolved/", review.resolve_report, name="resolve_report"),
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
