"""Initiatives entered before the final reports keep their meaning: a completed one was done
and is published (its own counts become the published ones), a planned one is planned; every
initiative of a supported application gets its round's report due date. Coordinators keep
the reports, milestones, institutions and history; centre managers see nothing new here."""

import datetime

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

from core.text import fold

COORDINATOR_PERMISSIONS = [
    "view_initiative",
    "add_initiative",
    "change_initiative",
    "view_finalreport",
    "change_finalreport",
    "view_milestone",
    "add_milestone",
    "change_milestone",
    "delete_milestone",
    "view_institution",
    "change_institution",
    "view_initiativehistory",
    "view_reportspending",
    "view_reportreach",
    "view_reportreceipt",
    "view_reportphoto",
]


def grant_roles(Group, Permission):
    """Idempotent; tests that flush the database call it again with the real models."""
    coordinators, _ = Group.objects.get_or_create(name="Koordinatori")
    coordinators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="initiatives", codename__in=COORDINATOR_PERMISSIONS
        )
    )


def forward(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    grant_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
    Initiative = apps.get_model("initiatives", "Initiative")
    now = timezone.now()
    for initiative in Initiative.objects.select_related("application__round"):
        if initiative.status == "completed":
            initiative.status = "published"
            initiative.published_at = initiative.updated_at or now
        application = initiative.application
        if application is not None and initiative.report_due_on is None:
            grant_round = application.round
            initiative.starts_on = grant_round.implementation_starts
            initiative.ends_on = grant_round.implementation_ends
            initiative.report_due_on = grant_round.implementation_ends + datetime.timedelta(
                days=grant_round.report_due_days
            )
        initiative.search_text = fold(" ".join([initiative.title, initiative.summary]))
        initiative.save()


def backward(apps, schema_editor):
    Initiative = apps.get_model("initiatives", "Initiative")
    Initiative.objects.filter(status="published").update(status="completed", published_at=None)
    Initiative.objects.filter(status__in=["supported", "report_due"]).update(status="planned")
    Initiative.objects.filter(status__in=["submitted", "returned", "accepted"]).update(
        status="in_progress"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0003_reports"),
        ("grants", "0011_round_report_due_days"),
    ]

    operations = [migrations.RunPython(forward, backward)]
