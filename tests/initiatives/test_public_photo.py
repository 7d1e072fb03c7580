"""/iniciativas/<slug>/foto/<pk>/<size>/: a report's photo from the private storage, to whoever
may see the initiative, inline, with its type, nosniff and the right caching."""

from io import BytesIO

import pytest
from PIL import Image

from communities.models import Membership
from initiatives.models import Initiative
from initiatives.services import reports
from initiatives.views.public import photo as photo_view
from tests.factories import CommunityFactory, MembershipFactory, verified_user
from tests.factories.initiatives import leader_of, own_initiative
from tests.initiatives.public_support import published_own, report_with

QUERY_BUDGET = 10


@pytest.fixture
def published(db, coordinator):
    return published_own(
        community=CommunityFactory(slug="kraslava"),
        title="Ezera talka",
        year=2024,
        coordinator=coordinator,
        photos=[("Talka pie ezera", "")],
    )


@pytest.fixture
def submitted(db):
    community = CommunityFactory(slug="preili")
    leader = leader_of(community, username="lideris")
    initiative = own_initiative(community=community, leader=leader, title="Dārza svētki")
    report = report_with(initiative, photos=[("Ražas galds", "")])
    reports.submit_report(report=report, actor=leader)
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.SUBMITTED
    return initiative


def _person(role, initiative, coordinator):
    if role == "anonymous":
        return None
    if role == "coordinator":
        return coordinator
    if role == "leader":
        return initiative.recorded_by
    user = verified_user()
    if role == "member":
        MembershipFactory(
            user=user,
            community=initiative.community,
            role=Membership.Role.MEMBER,
            status=Membership.Status.ACTIVE,
        )
    return user


def _size_of(response) -> tuple[int, int]:
    with Image.open(BytesIO(b"".join(response.streaming_content))) as image:
        return image.size


NEVER_KEPT = {"max-age=0", "no-cache", "no-store", "must-revalidate", "private"}


def _directives(response) -> set[str]:
    return {part.strip() for part in response.headers["Cache-Control"].split(",")}


ROLES = ["anonymous", "user", "member", "leader", "coordinator"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("size", "pixels"), [("mazs", (360, 240)), ("liels", (800, 600))])
def test_a_published_photo_is_served_to_everyone_in_both_sizes(
    client, published, coordinator, role, size, pixels
):
    person = _person(role, published, coordinator)
    if person is not None:
        client.force_login(person)
    photo = published.report.photos.get()

    response = client.get(f"/iniciativas/ezera-talka/foto/{photo.pk}/{size}/")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("inline")
    # Anyone's copy of a public photo may be kept; a signed-in person's responses never are
    # (kopienas.middleware.PrivatePagesMiddleware, the site's one rule).
    assert _directives(response) == ({"public", "max-age=86400"} if person is None else NEVER_KEPT)
    assert _size_of(response) == pixels


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 404), ("user", 404), ("member", 404), ("leader", 200), ("coordinator", 200)],
)
@pytest.mark.parametrize("size", ["mazs", "liels"])
def test_an_unpublished_photo_is_served_only_to_the_team_and_coordinators(
    client, submitted, coordinator, role, status, size
):
    person = _person(role, submitted, coordinator)
    if person is not None:
        client.force_login(person)
    photo = submitted.report.photos.get()

    response = client.get(f"/iniciativas/darza-svetki/foto/{photo.pk}/{size}/")

    assert response.status_code == status
    if status == 200:
        assert _directives(response) == NEVER_KEPT
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_preview_photo_itself_says_no_store_whoever_asks(rf, submitted, coordinator):
    # Without the middleware, the view's own header: never kept.
    request = rf.get("/")
    request.user = coordinator
    row = submitted.report.photos.get()

    response = photo_view(request, slug="darza-svetki", pk=row.pk, size="mazs")

    assert response.headers["Cache-Control"] == "private, no-store"


def test_unknown_size_other_initiatives_photo_and_unknown_photo_are_not_found(
    client, published, submitted, coordinator
):
    client.force_login(coordinator)
    own = published.report.photos.get()
    other = submitted.report.photos.get()

    answers = [
        client.get(path).status_code
        for path in (
            f"/iniciativas/ezera-talka/foto/{own.pk}/videjs/",
            f"/iniciativas/ezera-talka/foto/{own.pk}/MAZS/",
            # A photo of another initiative is not this one's, whoever asks.
            f"/iniciativas/ezera-talka/foto/{other.pk}/mazs/",
            "/iniciativas/ezera-talka/foto/999999/mazs/",
            f"/iniciativas/nav-tadas/foto/{own.pk}/mazs/",
        )
    ]

    assert answers == [404, 404, 404, 404, 404]


def test_a_photo_answers_with_a_fixed_number_of_queries(
    client, published, django_assert_num_queries
):
    photo = published.report.photos.get()
    # The initiative with its community, then the photo.
    with django_assert_num_queries(2):
        response = client.get(f"/iniciativas/ezera-talka/foto/{photo.pk}/mazs/")
    with photo.thumbnail.open("rb") as stored:
        thumbnail = stored.read()
    assert (response.status_code, response["Content-Type"], b"".join(response)) == (
        200,
        "image/jpeg",
        thumbnail,
    )
