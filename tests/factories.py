"""factory_boy factories for catalog rows."""

from __future__ import annotations

import datetime
import importlib
from decimal import Decimal

import factory

from models_catalog.models import (
    Benchmark,
    DataSource,
    LanguageModel,
    Offering,
    Organization,
    Provider,
    Score,
)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organization {n}")
    website = "https://example.com"


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    slug = factory.Sequence(lambda n: f"provider-{n}")
    name = factory.Sequence(lambda n: f"Provider {n:03d}")
    website = "https://example.com/pricing"
    kind = Provider.Kind.INFERENCE


class LanguageModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LanguageModel

    slug = factory.Sequence(lambda n: f"model-{n}")
    name = factory.Sequence(lambda n: f"Model {n}")
    organization = factory.SubFactory(OrganizationFactory)
    family = "Family"
    released_on = datetime.date(2025, 1, 15)
    context_window = 128_000
    license = "Apache-2.0"
    open_weights = True
    input_modalities = ["text"]
    output_modalities = ["text"]
    sources = ["https://example.com/model-card"]


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    language_model = factory.SubFactory(LanguageModelFactory)
    provider = factory.SubFactory(ProviderFactory)
    input_usd_per_mtok = Decimal("1.00")
    output_usd_per_mtok = Decimal("2.00")
    source_url = "https://example.com/pricing"


class BenchmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Benchmark

    slug = factory.Sequence(lambda n: f"bench-{n}")
    name = factory.Sequence(lambda n: f"Benchmark {n:03d}")
    description = "A test."
    url = "https://example.com/benchmark"


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    language_model = factory.SubFactory(LanguageModelFactory)
    benchmark = factory.SubFactory(BenchmarkFactory)
    value = Decimal("50.0")
    provenance = Score.Provenance.INDEPENDENT
    source_url = "https://example.com/scores"


class DataSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataSource

    name = factory.Sequence(lambda n: f"Source {n}")
    url = "https://example.com/source"
    license = "CC BY 4.0"
    used_for = "scores"


def staff_user(username: str, group: str | None = None, **extra):
    """A staff login in one of the role groups the migrations create (Editors, Reviewers)."""
    from django.apps import apps
    from django.contrib.auth.models import Group, User

    if group and not Group.objects.filter(name=group).exists():
        # A transactional test's flush removes what the data migration made; make it again.
        roles = importlib.import_module("models_catalog.migrations.0005_roles")
        roles.create_groups(apps, None)
        importlib.import_module("models_catalog.migrations.0010_import_roles").grant(apps, None)
    user = User.objects.create_user(username, password="pw-for-tests-only", is_staff=True, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user
