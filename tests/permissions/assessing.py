"""Permission-matrix rows of the assessing part of grant-round assessment (issue 4); see
tests/test_permission_matrix.py.

A round "vertesana" (DK-2025) has closed and is in assessment; "vertetajs" (people["assessor"])
and another assessor are assigned to it, and the other has submitted an assessment of the Preiļu
member's application. A second closed round, "vertesana-cita", has no assessors of ours. An
assessor reaches only the assess page of an application of their own round; coordinators and
superusers read every assessment but assess only where assigned; centre managers hold no
assessment permission at all, so the admin forbids them everything here.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from communities.models import Community
from tests.factories import with_totp
from tests.factories.grants import closed_round, submitted_application, submitted_assessment
from tests.permissions.roles import FORBIDDEN, NOT_FOUND, OK, admin_only

ASSESSMENTS = "/admin/grants/assessment/"
ASSESS = ASSESSMENTS + "vertet/{assessing_application_pk}/"
ASSESS_UNASSIGNED = ASSESSMENTS + "vertet/{assessing_unassigned_pk}/"
OTHERS_ASSESSMENT = ASSESSMENTS + "{assessing_others_assessment_pk}/change/"

MATRIX: dict = {}
ADMIN_MATRIX = {
    # Assessors get "Mani vērtējumi"; coordinators and superusers the list of every assessment.
    "admin:grants_assessment_changelist": [
        (
            ASSESSMENTS,
            admin_only(
                ASSESSMENTS,
                centre_manager=FORBIDDEN,
                assessor=OK,
                coordinator=OK,
                superuser=OK,
            ),
        )
    ],
    "admin:grants_assessment_assess": [
        (
            ASSESS,
            admin_only(
                ASSESS,
                centre_manager=FORBIDDEN,
                assessor=OK,
                # Only the round's assigned assessors assess; the others are told "not found".
                coordinator=NOT_FOUND,
                superuser=NOT_FOUND,
            ),
        ),
        (
            ASSESS_UNASSIGNED,
            admin_only(
                ASSESS_UNASSIGNED,
                centre_manager=FORBIDDEN,
                assessor=NOT_FOUND,
                coordinator=NOT_FOUND,
                superuser=NOT_FOUND,
            ),
        ),
    ],
    "admin:grants_assessment_change": [
        (
            OTHERS_ASSESSMENT,
            admin_only(
                OTHERS_ASSESSMENT,
                centre_manager=FORBIDDEN,
                # Not a redirect saying "does not exist": simply not found.
                assessor=NOT_FOUND,
                coordinator=OK,
                superuser=OK,
            ),
        )
    ],
}


def setup(people) -> dict[str, object]:
    """Make the objects the paths above name; return their "{placeholder}" values."""
    other = with_totp(
        get_user_model().objects.create_user("cits-vertetajs", "cits-vertetajs@example.lv")
    )
    other.is_staff = True
    other.save(update_fields=["is_staff"])
    other.groups.add(Group.objects.get(name="Vērtētāji"))
    grant_round = closed_round(
        slug="vertesana",
        reference_code="DK-2025",
        criteria=[(10, "1")],
        assessors=[people["assessor"], other],
    )
    application = submitted_application(
        grant_round,
        applicant=people["member"],
        community=Community.objects.get(slug="preili"),
    )
    unassigned = closed_round(slug="vertesana-cita", reference_code="DK-2025-C")
    return {
        "assessing_application_pk": application.pk,
        "assessing_unassigned_pk": submitted_application(
            unassigned, applicant=people["leader"], community=Community.objects.get(slug="preili")
        ).pk,
        "assessing_others_assessment_pk": submitted_assessment(application, other, [7]).pk,
    }
