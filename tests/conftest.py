from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model
from django.template import engines
from django.test.signals import template_rendered

from comparisons import jinja
from models_catalog.catalog_version import bump_catalog_version


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # Manifest storage needs collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The real hasher costs a few hundred milliseconds per login; tests check roles, not hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def view_counts_written_at_once(settings):
    # Production gathers pair views for a few seconds; tests read the counter right away.
    settings.VIEW_COUNT_FLUSH_SECONDS = 0


@pytest.fixture(autouse=True)
def jinja2_pages_seen_by_test_client(monkeypatch):
    # Django's test set-up makes its own templates report each render, so that the test
    # client's responses carry .templates and .context; the comparison pages are Jinja2
    # templates (comparisons/jinja.py), so their draws are reported the same way.
    draw = jinja.draw

    def reported(template_name, context, request):
        template = engines["jinja2"].env.get_template(template_name)
        template_rendered.send(sender=template, template=template, context=context)
        return draw(template_name, context, request)

    monkeypatch.setattr(jinja, "draw", reported)


Rows = list[tuple[type[Model], list[dict]]]


@pytest.fixture(scope="session")
def bundled_catalog_rows(django_db_setup, django_db_blocker) -> Rows:
    """Every row the bundled catalog's import writes, captured once per test run.

    load_catalog validates each record and writes its history, which takes seconds; the import
    runs once here inside a transaction that is rolled back, and tests get the same rows back
    with a plain bulk insert.
    """
    # The catalog version row is the restore's to bump, not to copy.
    every_model = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label != "models_catalog.CatalogVersion"
    ]
    with django_db_blocker.unblock():
        existing = {
            model: set(model._base_manager.values_list("pk", flat=True)) for model in every_model
        }
        rows: Rows = []
        with transaction.atomic():
            call_command("load_catalog", stdout=io.StringIO())
            for model in every_model:
                pk = model._meta.pk.attname
                old = existing[model]
                new = [row for row in model._base_manager.values() if row[pk] not in old]
                if new:
                    rows.append((model, new))
            transaction.set_rollback(True)
    return rows


def restore_rows(rows: Rows) -> None:
    # Foreign keys are deferred to commit on SQLite and PostgreSQL, so the order is free.
    with transaction.atomic():
        for model, records in rows:
            model._base_manager.bulk_create([model(**record) for record in records])
        # Rows came back with their ids; move PostgreSQL's sequences past them.
        reset = connection.ops.sequence_reset_sql(no_style(), [model for model, _ in rows])
        if reset:
            with connection.cursor() as cursor:
                for statement in reset:
                    cursor.execute(statement)
        # bulk_create sends no signals; cached pages must see the restored catalog.
        bump_catalog_version()


@pytest.fixture
def bundled_catalog(db, bundled_catalog_rows):
    """The real catalog shipped with the project, as load_catalog leaves it."""
    restore_rows(bundled_catalog_rows)


@pytest.fixture(autouse=True)
def site_url(settings):
    # Canonical links come from SITE_URL; tests read them as the test client's host.
    settings.SITE_URL = "http://testserver"


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
