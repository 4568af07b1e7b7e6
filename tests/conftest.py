from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # Manifest storage needs collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def bundled_catalog(db):
    """The real catalog shipped with the project, loaded."""
    call_command("load_catalog", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def empty_caches():
    # Cached pages and per-version figures must not carry over from one test to the next.
    from django.core.cache import caches

    from models_catalog.catalog_version import forget_computed

    for cache in caches.all():
        cache.clear()
    forget_computed()
    yield
    forget_computed()
