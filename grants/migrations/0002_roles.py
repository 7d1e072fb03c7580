"""Coordinators run the grant rounds: they get the permissions of the grant models."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATOR_PERMISSIONS = {
    "grants": {
        "grantround": ["view", "add", "change", "delete"],
        "criterion": ["view", "add", "change", "delete"],
        # Applications are the applicants' own: coordinators read them and record decisions.
        "application": ["view", "change"],
        "budgetline": ["view"],
        "attachment": ["view"],
        "applicationrevision": ["view"],
    },
    "communities": {"profile": ["view", "change"]},
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    grant_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def grant_roles(Group, Permission):
    """Idempotent; tests that flush the database call it again with the real models."""
    coordinators, _ = Group.objects.get_or_create(name="Koordinatori")
    for app_label, models in COORDINATOR_PERMISSIONS.items():
        for model, actions in models.items():
            coordinators.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0003_profile"),
        ("grants", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
