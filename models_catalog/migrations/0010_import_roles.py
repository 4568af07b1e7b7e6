"""Editors and reviewers decide on imported changes and keep the LiteLLM mappings."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

IMPORT_PERMISSIONS = [
    "view_importrun",
    "view_proposedchange",
    # Accepting or rejecting a proposed change is changing it.
    "change_proposedchange",
    *[
        f"{action}_{model}"
        for model in ("litellmprovidermapping", "litellmmodelmapping")
        for action in ("view", "add", "change", "delete")
    ],
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="models_catalog", codename__in=IMPORT_PERMISSIONS
        )
    )
    if len(permissions) != len(IMPORT_PERMISSIONS):
        raise RuntimeError("Import permissions not found.")
    for group in Group.objects.filter(name__in=["Editors", "Reviewers"]):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="models_catalog", codename__in=IMPORT_PERMISSIONS
    )
    for group in Group.objects.filter(name__in=["Editors", "Reviewers"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("models_catalog", "0009_litellm_import")]

    operations = [migrations.RunPython(grant, revoke)]
