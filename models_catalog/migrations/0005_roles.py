"""Editors and Reviewers groups with the least permissions their work needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED = ["organization", "provider", "languagemodel", "offering", "benchmark", "score", "datasource"]

EDITORS = (
    [f"{action}_{model}" for model in CURATED for action in ("view", "add", "change")]
    # An offering's price history goes with it when an editor deletes the offering.
    + ["delete_offering", "delete_score", "delete_pricehistory"]
    + ["view_pricehistory", "view_errorreport", "view_review"]
)
# Reviewers also triage: they mark models reviewed, resolve readers' reports and may delete
# a duplicate model (which can be recovered from its history).
REVIEWERS = EDITORS + [
    "review_languagemodel",
    "change_errorreport",
    "delete_languagemodel",
    # ...and what is deleted with a model.
    "delete_review",
    "delete_errorreport",
    "add_review",
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Editors", EDITORS), ("Reviewers", REVIEWERS)):
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="models_catalog", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions not found for {name}: {sorted(missing)}")
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Reviewers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("models_catalog", "0004_history_versions_reviews_reports"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
