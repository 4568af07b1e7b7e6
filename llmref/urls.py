from django.contrib import admin
from django.urls import path

from comparisons import views as comparison_views
from models_catalog import views as catalog_views

urlpatterns = [
    path("", comparison_views.home, name="home"),
    path("compare/", comparison_views.pick, name="pick"),
    path("compare/<slug:pair>/", comparison_views.compare, name="compare"),
    path("credits/", catalog_views.credits, name="credits"),
    path("healthz", catalog_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
