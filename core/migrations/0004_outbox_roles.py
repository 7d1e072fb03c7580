"""Coordinators see the outbox in the admin and may send a failed mail again (the admin's
"Sūtīt vēlreiz" needs the change permission; nobody adds or deletes mails there)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OUTBOX_PERMISSIONS = ["view_outgoingmail", "change_outgoingmail"]


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    grant_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def grant_roles(Group, Permission):
    """Idempotent; tests that flush the database call it again with the real models."""
    group, _ = Group.objects.get_or_create(name="Koordinatori")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="core", codename__in=OUTBOX_PERMISSIONS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_outgoingmail"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
