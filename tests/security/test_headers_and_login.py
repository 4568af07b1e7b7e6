"""Login throttling, security headers, error pages and settings that must hold in production."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from tests.factories import LanguageModelFactory, staff_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def test_login_is_locked_after_the_failure_limit_before_hashing(monkeypatch, settings):
    staff_user("editor", "Editors")
    client = Client(REMOTE_ADDR="203.0.113.5")
    checked: list[str] = []
    original = AbstractBaseUser.check_password

    def spy(self, raw):
        checked.append(raw)
        return original(self, raw)

    monkeypatch.setattr(AbstractBaseUser, "check_password", spy)
    statuses = [
        client.post(LOGIN, {"username": "editor", "password": f"wrong-{attempt}"}).status_code
        for attempt in range(settings.AXES_FAILURE_LIMIT)
    ]
    # The form again with its error, until the last allowed failure locks the pair out.
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert len(checked) == settings.AXES_FAILURE_LIMIT
    # Locked: the next guesses, and even the right password, are refused unhashed.
    for password in ("wrong-again", "pw-for-tests-only"):
        response = client.post(LOGIN, {"username": "editor", "password": password})
        assert response.status_code == 429
        assert "Too many attempts" in response.content.decode()
        assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert len(checked) == settings.AXES_FAILURE_LIMIT
    # Another client is not locked out of the same account.
    other = Client(REMOTE_ADDR="203.0.113.6")
    response = other.post(LOGIN, {"username": "editor", "password": "pw-for-tests-only"})
    assert response.status_code == 302


def test_login_throttle_reads_the_client_through_the_proxy_setting(settings):
    settings.NUM_PROXIES = 1
    staff_user("editor", "Editors")
    # Behind one proxy every request comes from the proxy's address; the client is in XFF.
    guesser = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    for attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        response = guesser.post(LOGIN, {"username": "editor", "password": f"no-{attempt}"})
    assert response.status_code == 429
    colleague = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8")
    response = colleague.post(LOGIN, {"username": "editor", "password": "pw-for-tests-only"})
    assert response.status_code == 302


def test_admin_path_is_configurable():
    from django.conf import settings

    assert reverse("admin:index") == f"/{settings.ADMIN_URL}"


@pytest.mark.parametrize("path", ["/", "/models/", "/credits/", "/search/?q=x", "/nope/"])
def test_public_pages_carry_the_strict_policy(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert "camera=()" in response["Permissions-Policy"]


def test_admin_has_a_policy_of_its_own(client):
    csp = client.get(LOGIN)["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "object-src 'none'" in csp


def test_branded_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_branded_403_on_a_forbidden_page(client):
    client.force_login(staff_user("ed", "Editors"))
    response = client.get(reverse("review_queue"))
    assert response.status_code == 403


def test_database_outage_gives_a_branded_503_with_retry_after(monkeypatch):
    from comparisons import browse

    def outage(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(browse, "render", outage)
    response = Client(raise_request_exception=False).get("/models/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Back in a moment" in response.content.decode()


def test_other_errors_give_the_branded_500(monkeypatch):
    from comparisons import browse

    def bug(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(browse, "render", bug)
    response = Client(raise_request_exception=False).get("/models/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_canonical_and_og_url_ignore_the_host_header(client, settings):
    settings.SITE_URL = "https://llmref.example.com"
    settings.ALLOWED_HOSTS = ["*"]
    LanguageModelFactory(slug="alpha")
    html = client.get("/models/alpha/", HTTP_HOST="evil.example").content.decode()
    assert '<link rel="canonical" href="https://llmref.example.com/models/alpha/">' in html
    assert 'content="https://llmref.example.com/models/alpha/"' in html
    assert "evil.example" not in html


def test_healthz_is_exempt_from_the_ssl_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/models/").status_code == 301


def _settings_under(env: dict[str, str], expression: str) -> str:
    code = (
        f"import django, os; django.setup(); from django.conf import settings; print({expression})"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "llmref.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_hsts_preload_is_opt_in():
    base = {"DEBUG": "off", "SECRET_KEY": "x" * 50, "HTTPS": "on"}
    assert _settings_under(base, "settings.SECURE_HSTS_PRELOAD") == "False"
    assert (
        _settings_under({**base, "SECURE_HSTS_PRELOAD": "on"}, "settings.SECURE_HSTS_PRELOAD")
        == "True"
    )


def test_deploy_check_warns_about_https_without_proxies():
    env = {**os.environ, "DEBUG": "off", "SECRET_KEY": "x" * 50, "HTTPS": "on"}
    env["ALLOWED_HOSTS"] = "llmref.example.com"
    run = [sys.executable, "manage.py", "check", "--deploy"]
    warned = subprocess.run(run, env={**env, "NUM_PROXIES": "0"}, capture_output=True, text=True)
    assert "llmref.W001" in warned.stderr + warned.stdout
    quiet = subprocess.run(run, env={**env, "NUM_PROXIES": "1"}, capture_output=True, text=True)
    assert "llmref.W001" not in quiet.stderr + quiet.stdout


def test_database_timeouts_are_set_for_postgresql():
    env = {"DATABASE_URL": "postgres://u@127.0.0.1:5432/x", "DEBUG": "on"}
    options = _settings_under(env, "settings.DATABASES['default']['OPTIONS']")
    assert "'connect_timeout': 3" in options
    assert "statement_timeout=15000" in options


def test_feed_links_ignore_the_host_header(client, settings):
    settings.SITE_URL = "https://llmref.example.com"
    settings.ALLOWED_HOSTS = ["*"]
    LanguageModelFactory(slug="alpha")
    for url in ("/feeds/changes.atom", "/feeds/models/alpha.atom"):
        body = client.get(url, HTTP_HOST="evil.example").content.decode()
        assert "evil.example" not in body, url
        assert "https://llmref.example.com/" in body, url
