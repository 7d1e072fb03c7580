"""Permission-matrix rows of the initiatives' public pages (see tests/test_permission_matrix.py).

A published initiative of a published community and its photos are for everyone. One that is
not published yet (its report waits for review) is seen only by its team (the Preiļu leader who
recorded it; a plain member is not on the team) and by coordinators with their second factor;
everyone else gets 404, never 403: its existence is nobody else's business. A published
initiative of an unpublished community (Krāslava) is likewise hidden from the public.
"""

from communities.models import Community
from initiatives.models import Initiative
from initiatives.services import reports
from tests.factories.initiatives import leader_of, own_initiative
from tests.initiatives.public_support import published_own, report_with
from tests.permissions.roles import NOT_FOUND, OK, everyone

# The team, coordinators and superusers; everyone else 404.
TEAM_AND_COORDINATORS = {**everyone(NOT_FOUND), "leader": OK, "coordinator": OK, "superuser": OK}
COORDINATORS = {**everyone(NOT_FOUND), "coordinator": OK, "superuser": OK}

PUBLISHED = "/iniciativas/{initiative}/"
PREVIEW = "/iniciativas/{unpublished_initiative}/"
PHOTO = "/iniciativas/{initiative}/foto/{initiative_photo}/"
PREVIEW_PHOTO = "/iniciativas/{unpublished_initiative}/foto/{unpublished_photo}/"

MATRIX = {
    "initiatives:list": [
        ("/iniciativas/", everyone(OK)),
        ("/en/iniciativas/", everyone(OK)),
        ("/iniciativas/?kopiena=preili&gads=2024&q=talka", everyone(OK)),
        # Bad values are dropped with a message, never an error.
        ("/iniciativas/?gads=abc&kopiena=%3Cscript%3E&lapa=99", everyone(OK)),
    ],
    "initiatives:detail": [
        (PUBLISHED, everyone(OK)),
        ("/en" + PUBLISHED, everyone(OK)),
        (PREVIEW, TEAM_AND_COORDINATORS),
        ("/iniciativas/{hidden_community_initiative}/", COORDINATORS),
        ("/iniciativas/nav-tadas/", everyone(NOT_FOUND)),
    ],
    "initiatives:photo": [
        (PHOTO + "mazs/", everyone(OK)),
        (PHOTO + "liels/", everyone(OK)),
        (PHOTO + "videjs/", everyone(NOT_FOUND)),
        (PREVIEW_PHOTO + "mazs/", TEAM_AND_COORDINATORS),
        (PREVIEW_PHOTO + "liels/", TEAM_AND_COORDINATORS),
        # Another initiative's photo under this initiative's address: not this one's.
        ("/iniciativas/{initiative}/foto/{unpublished_photo}/mazs/", everyone(NOT_FOUND)),
    ],
}


def setup(people) -> dict[str, object]:
    """A published initiative of the Preiļi community with a photo, an unpublished one of the
    same community recorded by its leader (report submitted, with a photo), and a published one
    of the unpublished Krāslava community."""
    preili = Community.objects.get(slug="preili")
    published = published_own(
        community=preili,
        leader=people["leader"],
        title="Preiļu parka talka",
        year=2024,
        photos=[("Cilvēki stāda kokus parkā", "")],
    )
    unpublished = own_initiative(
        community=preili, leader=people["leader"], title="Preiļu dārza svētki", year=2025
    )
    report = report_with(unpublished, photos=[("Ražas galds", "")])
    reports.submit_report(report=report, actor=people["leader"])
    kraslava = Community.objects.get(slug="kraslava")
    hidden = published_own(
        community=kraslava, leader=leader_of(kraslava), title="Krāslavas talka", year=2024
    )
    assert not kraslava.is_published
    assert Initiative.objects.get(pk=unpublished.pk).status == Initiative.Status.SUBMITTED
    return {
        "initiative": published.slug,
        "initiative_photo": published.report.photos.get().pk,
        "unpublished_initiative": unpublished.slug,
        "unpublished_photo": report.photos.get().pk,
        "hidden_community_initiative": hidden.slug,
    }
