"""Coordinators and centre managers keep a centre's opening hours and their exceptions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Koordinatori": ["weeklyhours", "openingexception"],
    "Centru vadītāji": ["weeklyhours", "openingexception"],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    grant_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def grant_roles(Group, Permission):
    """Idempotent; tests that flush the database call it again with the real models."""
    for name, models in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="resource_centres", content_type__model__in=models
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("resource_centres", "0003_opening_hours"),
        ("communities", "0002_roles"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
