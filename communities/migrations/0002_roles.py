"""The three staff roles as Django groups, with the model permissions each one needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Koordinatori": {
        "resource_centres": ["resourcecentre", "centrephoto", "equipment"],
        "communities": [
            "community",
            "membership",
            "modelelement",
            "targetgroup",
            "glossaryterm",
            "testimonial",
            "capacitydimension",
            "impactfigure",
        ],
    },
    # Assessors get their grant permissions with the assessment work.
    "Vērtētāji": {},
}
# Coordinators make the staff accounts of centre managers and assessors and pick the members of
# communities, so they find, add and edit people; deleting an account stays with superusers. The
# user admin (kopienas/admin.py) keeps superusers, permissions and other groups out of their reach.
COORDINATOR_USER_PERMISSIONS = [
    ("auth", "view_user"),
    ("auth", "add_user"),
    ("auth", "change_user"),
]
CENTRE_MANAGER_PERMISSIONS = [
    ("resource_centres", "view_resourcecentre"),
    ("resource_centres", "change_resourcecentre"),
    ("resource_centres", "view_centrephoto"),
    ("resource_centres", "add_centrephoto"),
    ("resource_centres", "change_centrephoto"),
    ("resource_centres", "delete_centrephoto"),
    ("resource_centres", "view_equipment"),
    ("resource_centres", "add_equipment"),
    ("resource_centres", "change_equipment"),
    ("resource_centres", "delete_equipment"),
]


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    grant_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def grant_roles(Group, Permission):
    """Create the groups with their permissions (idempotent; tests that flush the database
    call it again with the real models)."""
    for name, models_by_app in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, models in models_by_app.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, content_type__model__in=models
                )
            )
    coordinators = Group.objects.get(name="Koordinatori")
    for app_label, codename in COORDINATOR_USER_PERMISSIONS:
        coordinators.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    managers, _ = Group.objects.get_or_create(name="Centru vadītāji")
    for app_label, codename in CENTRE_MANAGER_PERMISSIONS:
        managers.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Koordinatori", "Vērtētāji", "Centru vadītāji"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("resource_centres", "0001_initial"),
        ("communities", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
