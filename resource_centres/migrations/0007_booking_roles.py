"""The role groups' permissions on bookings, instructions and maintenance: coordinators and
centre managers see and decide bookings (the admin neither adds nor deletes them), record
instructions and close items for maintenance; which centres each sees is
resource_centres.permissions' decision."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

BOOKING_PERMISSIONS = [
    "view_booking",
    "change_booking",
    "view_instruction",
    "add_instruction",
    "view_maintenance",
    "add_maintenance",
]


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    grant_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def grant_roles(Group, Permission):
    """Idempotent; tests that flush the database call it again with the real models."""
    for name in ("Koordinatori", "Centru vadītāji"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="resource_centres", codename__in=BOOKING_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("resource_centres", "0006_booking_no_overlap"),
        ("communities", "0002_roles"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
