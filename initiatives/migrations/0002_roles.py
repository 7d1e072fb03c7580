"""Coordinators keep the initiatives that supported applications start."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATOR_PERMISSIONS = ["view_initiative", "add_initiative", "change_initiative"]


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    grant_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def grant_roles(Group, Permission):
    """Idempotent; tests that flush the database call it again with the real models."""
    coordinators, _ = Group.objects.get_or_create(name="Koordinatori")
    coordinators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="initiatives", codename__in=COORDINATOR_PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0001_initial"),
        ("grants", "0004_assessment_roles"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
