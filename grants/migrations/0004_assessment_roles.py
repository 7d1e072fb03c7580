"""Assessors score in the admin; coordinators read the scores and the history."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Koordinatori": {
        "grants": {
            "assessment": ["view"],
            "score": ["view"],
            "historyentry": ["view"],
        },
    },
    # Object-level limits (assigned rounds, closed rounds, own assessments) live in
    # grants.permissions; these only let the admin show assessors their part.
    "Vērtētāji": {"grants": {"assessment": ["view", "add", "change"]}},
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    grant_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def grant_roles(Group, Permission):
    """Idempotent; tests that flush the database call it again with the real models."""
    for group_name, apps in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, models in apps.items():
            for model, actions in models.items():
                group.permissions.add(
                    *Permission.objects.filter(
                        content_type__app_label=app_label,
                        codename__in=[f"{action}_{model}" for action in actions],
                    )
                )


class Migration(migrations.Migration):
    dependencies = [("grants", "0003_assessment")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
