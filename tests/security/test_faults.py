"""Faults of the services around the site: a cache that is down, a database that hangs."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from django.core.cache import caches
from django.test import Client

from tests.factories import LanguageModelFactory

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "llmref.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    yield caches["default"]


def test_a_cache_that_is_down_reads_as_a_miss(redis_down):
    assert redis_down.get("key", "default") == "default"
    redis_down.set("key", 1)
    assert redis_down.add("key", 1) is False
    assert redis_down.get_or_set("key", 5) == 5
    with pytest.raises(ValueError):
        redis_down.incr("key")


def test_pages_and_reports_answer_with_the_cache_down(redis_down):
    LanguageModelFactory(slug="alpha")
    client = Client()
    for path in ("/", "/models/", "/models/alpha/", "/search/?q=alp", "/healthz"):
        assert client.get(path).status_code == 200, path
    response = client.post("/models/alpha/report/", {"message": "The context window is 200K."})
    assert response.status_code == 200


def test_healthz_gives_up_on_a_database_that_never_answers(client, monkeypatch):
    from models_catalog import views

    release = threading.Event()

    def hangs() -> bool:
        release.wait(30)
        return True

    monkeypatch.setattr(views, "HEALTH_TIMEOUT_SECONDS", 0.5)
    monkeypatch.setattr(views, "_database_answers", hangs)
    started = time.monotonic()
    response = client.get("/healthz")
    release.set()
    assert response.status_code == 503
    assert time.monotonic() - started < 5
