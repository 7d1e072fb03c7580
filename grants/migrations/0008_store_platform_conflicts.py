"""The figures used to add the platform's conflicts of interest from today's memberships, so a
membership begun after a round was published changed its figures. From now on an assessment
stores the conflict decided when it was opened or submitted, and the figures read only that.

Backfill: every assessment without a stored conflict gets the one the figures showed until now
(from the current data), and so does every assessor who never opened an application of a round
already past assessment, so no figure changes with this migration."""

from django.db import migrations


def store_current_conflicts(apps, schema_editor):
    Assessment = apps.get_model("grants", "Assessment")
    Membership = apps.get_model("communities", "Membership")
    rows = Assessment.objects.filter(auto_conflict="", assessor__isnull=False).values_list(
        "pk", "assessor_id", "application__applicant_id", "application__community_id"
    )
    applicant, member = [], []
    for pk, assessor_pk, applicant_pk, community_pk in rows.iterator():
        if assessor_pk == applicant_pk:
            applicant.append(pk)
        elif Membership.objects.filter(user_id=assessor_pk, community_id=community_pk).exists():
            member.append(pk)
    Assessment.objects.filter(pk__in=applicant).update(auto_conflict="applicant")
    Assessment.objects.filter(pk__in=member).update(auto_conflict="member")

    # Rounds past assessment: a conflict of an assessor who never opened the application is
    # stored as an empty assessment, as grants.services.store_unopened_conflicts does when
    # assessment ends.
    GrantRound = apps.get_model("grants", "GrantRound")
    Application = apps.get_model("grants", "Application")
    for grant_round in GrantRound.objects.filter(status__in=["decisions", "results"]):
        assessors = set(grant_round.assessors.values_list("pk", flat=True))
        opened = set(
            Assessment.objects.filter(application__round=grant_round).values_list(
                "assessor_id", "application_id"
            )
        )
        members: dict[int, set[int]] = {}
        for user_pk, community_pk in Membership.objects.filter(user__in=assessors).values_list(
            "user_id", "community_id"
        ):
            members.setdefault(community_pk, set()).add(user_pk)
        new = []
        for application_pk, community_pk, applicant_pk in Application.objects.filter(
            round=grant_round, status__in=["submitted", "decided"]
        ).values_list("pk", "community_id", "applicant_id"):
            found = {}
            if applicant_pk in assessors:
                found[applicant_pk] = "applicant"
            for user_pk in members.get(community_pk, ()):
                found.setdefault(user_pk, "member")
            new += [
                Assessment(application_id=application_pk, assessor_id=user_pk, auto_conflict=why)
                for user_pk, why in found.items()
                if (user_pk, application_pk) not in opened
            ]
        Assessment.objects.bulk_create(new)


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0007_budget_line_category_chosen"),
        ("communities", "0006_language"),
    ]

    operations = [migrations.RunPython(store_current_conflicts, migrations.RunPython.noop)]
