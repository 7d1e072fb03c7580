"""Permission-matrix rows of this area (see tests/test_permission_matrix.py).

An open round "atverts" (DK-2026), a round still in preparation, "sagatavosana", and one whose
results are published, "rezultati" (DK-2022, with one supported idea of the Preiļu leader). The
Preiļu member has a submitted application with an attachment and a draft with one. Only the
applicant sees their own application; coordinators and superusers see submitted ones, never a
draft; anyone else is told "not found", so an application's existence is not confirmed.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from communities.models import Community
from grants.models import Application, GrantRound
from tests.factories.grants import ApplicationFactory, AttachmentFactory, GrantRoundFactory
from tests.permissions.roles import FORBIDDEN, FOUND, NOT_FOUND, OK, admin_only, everyone, login


def only(path: str, *, anonymous_login: bool = True, **allowed) -> dict:
    """Anonymous people log in first; the roles named get their code; everyone else 404."""
    expectations = everyone(NOT_FOUND)
    if anonymous_login:
        expectations["anonymous"] = login(path)
    expectations.update(allowed)
    return expectations


APPLY = "/konkursi/atverts/pieteikties/"
SUBMITTED = "/pieteikumi/{member_application}/"
DRAFT = "/pieteikumi/{member_draft}/"
SUBMITTED_FILE = SUBMITTED + "pielikumi/{member_attachment}/"
DRAFT_FILE = DRAFT + "pielikumi/{member_draft_attachment}/"
OTHER_FILE = SUBMITTED + "pielikumi/{member_draft_attachment}/"

MATRIX = {
    "grants:round_list": [("/konkursi/", everyone(OK)), ("/en/konkursi/", everyone(OK))],
    "grants:round_detail": [
        ("/konkursi/atverts/", everyone(OK)),
        ("/en/konkursi/atverts/", everyone(OK)),
        # A round in preparation is hidden from everyone on the public site, staff included.
        ("/konkursi/sagatavosana/", everyone(NOT_FOUND)),
        ("/konkursi/nav-tada/", everyone(NOT_FOUND)),
    ],
    "grants:round_results": [
        # Published: the supported ideas are public, for everyone.
        ("/konkursi/rezultati/rezultati/", everyone(OK)),
        ("/en/konkursi/rezultati/rezultati/", everyone(OK)),
        # Not yet published (an open round, one in preparation): "not found", staff included.
        ("/konkursi/atverts/rezultati/", everyone(NOT_FOUND)),
        ("/konkursi/sagatavosana/rezultati/", everyone(NOT_FOUND)),
    ],
    "grants:apply": [
        (
            APPLY,
            {
                **everyone(OK),
                "anonymous": login(APPLY),
                # Verify the email address first: a page that says so, with the way to do it.
                "unverified": FORBIDDEN,
                # Verified people without a community (staff included) get the page explaining
                # how to join one; members get the form.
            },
        ),
        ("/konkursi/sagatavosana/pieteikties/", everyone(NOT_FOUND)),
    ],
    "grants:application_detail": [
        (SUBMITTED, only(SUBMITTED, member=OK, coordinator=OK, superuser=OK)),
        (DRAFT, only(DRAFT, member=OK)),
        ("/pieteikumi/DK-2026-999/", only("/pieteikumi/DK-2026-999/")),
    ],
    "grants:application_edit": [
        (SUBMITTED + "labot/", only(SUBMITTED + "labot/", member=OK)),
        (DRAFT + "labot/", only(DRAFT + "labot/", member=OK)),
    ],
    "grants:application_withdraw": [
        (SUBMITTED + "atsaukt/", only(SUBMITTED + "atsaukt/", member=OK)),
        # A draft cannot be withdrawn: its author is sent back to it.
        (DRAFT + "atsaukt/", only(DRAFT + "atsaukt/", member=(FOUND, DRAFT))),
    ],
    "grants:attachment_download": [
        (SUBMITTED_FILE, only(SUBMITTED_FILE, member=OK, coordinator=OK, superuser=OK)),
        (DRAFT_FILE, only(DRAFT_FILE, member=OK)),
        # An attachment of another application under this one's address.
        (OTHER_FILE, only(OTHER_FILE)),
    ],
}

APPLICATIONS = "/admin/grants/application/"
SUBMITTED_ADMIN = APPLICATIONS + "{member_application_pk}/change/"
DRAFT_ADMIN = APPLICATIONS + "{member_draft_pk}/change/"
ROUNDS = "/admin/grants/grantround/"

ADMIN_MATRIX = {
    "admin:grants_application_changelist": [
        (
            APPLICATIONS,
            admin_only(
                APPLICATIONS,
                centre_manager=FORBIDDEN,
                assessor=FORBIDDEN,
                coordinator=OK,
                superuser=OK,
            ),
        )
    ],
    "admin:grants_application_change": [
        (
            SUBMITTED_ADMIN,
            admin_only(
                SUBMITTED_ADMIN,
                centre_manager=FORBIDDEN,
                assessor=FORBIDDEN,
                coordinator=OK,
                superuser=OK,
            ),
        ),
        (
            DRAFT_ADMIN,
            admin_only(
                DRAFT_ADMIN,
                centre_manager=FORBIDDEN,
                assessor=FORBIDDEN,
                # Drafts are outside every admin queryset: "does not exist", superusers too.
                coordinator=(FOUND, "/admin/"),
                superuser=(FOUND, "/admin/"),
            ),
        ),
    ],
    "admin:grants_application_add": [
        (
            APPLICATIONS + "add/",
            admin_only(
                APPLICATIONS + "add/",
                centre_manager=FORBIDDEN,
                assessor=FORBIDDEN,
                coordinator=FORBIDDEN,
                superuser=FORBIDDEN,
            ),
        )
    ],
    "admin:grants_application_delete": [
        (
            APPLICATIONS + "{member_application_pk}/delete/",
            admin_only(
                APPLICATIONS + "{member_application_pk}/delete/",
                centre_manager=FORBIDDEN,
                assessor=FORBIDDEN,
                coordinator=FORBIDDEN,
                superuser=FORBIDDEN,
            ),
        )
    ],
    "admin:grants_grantround_changelist": [
        (
            ROUNDS,
            admin_only(
                ROUNDS, centre_manager=FORBIDDEN, assessor=FORBIDDEN, coordinator=OK, superuser=OK
            ),
        )
    ],
    "admin:grants_grantround_add": [
        (
            ROUNDS + "add/",
            admin_only(
                ROUNDS + "add/",
                centre_manager=FORBIDDEN,
                assessor=FORBIDDEN,
                coordinator=OK,
                superuser=OK,
            ),
        )
    ],
}


def setup(people) -> dict[str, object]:
    """Make the objects the paths below name; return their "{placeholder}" values."""
    now = timezone.now()
    open_round = GrantRoundFactory(
        slug="atverts",
        reference_code="DK-2026",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
    )
    GrantRoundFactory(slug="sagatavosana", status=GrantRound.Status.DRAFT)
    preili = Community.objects.get(slug="preili")
    submitted = ApplicationFactory(
        round=open_round,
        applicant=people["member"],
        community=preili,
        status=Application.Status.SUBMITTED,
        number=1,
        reference="DK-2026-001",
    )
    draft = ApplicationFactory(round=open_round, applicant=people["member"], community=preili)
    published = GrantRoundFactory(
        slug="rezultati",
        reference_code="DK-2022",
        year=2022,
        opens_at=now - timedelta(days=400),
        closes_at=now - timedelta(days=370),
        status=GrantRound.Status.RESULTS,
        results_published_at=now - timedelta(days=300),
    )
    ApplicationFactory(
        round=published,
        applicant=people["leader"],
        community=preili,
        status=Application.Status.DECIDED,
        number=1,
        reference="DK-2022-001",
        decision=Application.Decision.SUPPORTED,
        awarded_amount=Decimal("900.00"),
        notified_decision=Application.Decision.SUPPORTED,
        notified_amount=Decimal("900.00"),
        notified_at=now - timedelta(days=300),
    )
    return {
        "member_application": submitted.key,
        "member_application_pk": submitted.pk,
        "member_attachment": AttachmentFactory(application=submitted).pk,
        "member_draft": draft.key,
        "member_draft_pk": draft.pk,
        "member_draft_attachment": AttachmentFactory(application=draft).pk,
    }
