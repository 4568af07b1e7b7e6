"""Who may do what: {anonymous, editor, reviewer, superuser} × the editing and reviewing actions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import LanguageModelFactory, OfferingFactory, staff_user

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor", "reviewer", "superuser"]

# What each role gets back: 200 (or 302 after a successful POST), "login" or 403.
EXPECTED = {
    "changelist": {"anonymous": "login", "editor": 200, "reviewer": 200, "superuser": 200},
    "add": {"anonymous": "login", "editor": 200, "reviewer": 200, "superuser": 200},
    "change": {"anonymous": "login", "editor": 200, "reviewer": 200, "superuser": 200},
    "delete": {"anonymous": "login", "editor": 403, "reviewer": 200, "superuser": 200},
    "delete organization": {"anonymous": "login", "editor": 403, "reviewer": 403, "superuser": 200},
    "history": {"anonymous": "login", "editor": 200, "reviewer": 200, "superuser": 200},
    "revert": {"anonymous": "login", "editor": 200, "reviewer": 200, "superuser": 200},
    "users": {"anonymous": "login", "editor": 403, "reviewer": 403, "superuser": 200},
    "review queue": {"anonymous": "login", "editor": 403, "reviewer": 200, "superuser": 200},
    "mark reviewed": {"anonymous": "login", "editor": 403, "reviewer": 302, "superuser": 302},
}


def client_for(role: str) -> Client:
    client = Client()
    if role == "editor":
        client.force_login(staff_user("ed", "Editors"))
    elif role == "reviewer":
        client.force_login(staff_user("rev", "Reviewers"))
    elif role == "superuser":
        client.force_login(staff_user("root", is_superuser=True))
    return client


def outcome(response) -> int | str:
    if response.status_code == 302 and "/login/" in response["Location"]:
        return "login"
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(EXPECTED))
def test_permission_matrix(role, action):
    model = LanguageModelFactory(slug="m1", name="M1")
    OfferingFactory(language_model=model)
    model.name = "M1 renamed"
    model.save()  # a second history record, to revert to the first
    first_version = model.history.earliest("history_date").history_id
    client = client_for(role)
    urls = {
        "changelist": ("get", reverse("admin:models_catalog_languagemodel_changelist")),
        "add": ("get", reverse("admin:models_catalog_languagemodel_add")),
        "change": ("get", reverse("admin:models_catalog_languagemodel_change", args=[model.pk])),
        "delete": ("get", reverse("admin:models_catalog_languagemodel_delete", args=[model.pk])),
        "delete organization": (
            "get",
            reverse("admin:models_catalog_organization_delete", args=[model.organization_id]),
        ),
        "history": ("get", reverse("admin:models_catalog_languagemodel_history", args=[model.pk])),
        "revert": (
            "get",
            reverse(
                "admin:models_catalog_languagemodel_simple_history",
                args=[model.pk, first_version],
            ),
        ),
        "users": ("get", reverse("admin:auth_user_changelist")),
        "review queue": ("get", reverse("review_queue")),
        "mark reviewed": ("post", reverse("mark_reviewed", args=["m1"])),
    }
    method, url = urls[action]
    response = getattr(client, method)(url)
    assert outcome(response) == EXPECTED[action][role]
    model.refresh_from_db()
    if action == "mark reviewed":
        assert (model.last_reviewed_on is not None) == (EXPECTED[action][role] == 302)


def test_editor_cannot_use_the_bulk_mark_reviewed_action():
    model = LanguageModelFactory()
    client = client_for("editor")
    response = client.post(
        reverse("admin:models_catalog_languagemodel_changelist"),
        {"action": "mark_reviewed", "_selected_action": [model.pk]},
    )
    model.refresh_from_db()
    assert model.last_reviewed_on is None
    assert response.status_code in (200, 302)


def test_reviewer_bulk_marks_reviewed():
    models = [LanguageModelFactory(), LanguageModelFactory()]
    client = client_for("reviewer")
    client.post(
        reverse("admin:models_catalog_languagemodel_changelist"),
        {"action": "mark_reviewed", "_selected_action": [m.pk for m in models]},
    )
    for model in models:
        model.refresh_from_db()
        assert model.last_reviewed_on is not None
        assert model.last_reviewed_by.username == "rev"
