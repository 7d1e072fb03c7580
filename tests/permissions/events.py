"""Permission-matrix rows of events and registrations (see tests/test_permission_matrix.py).

Tokens are the key to a guest's registration and to a personal feed, so those pages answer the
same to every role: whoever holds the token. A wrong or revoked token is 404 for everyone.
"""

from http import HTTPStatus

from communities.models import Community
from events import following, services
from events.models import Event, Registration
from resource_centres.models import ResourceCentre
from tests.factories import EventFactory
from tests.permissions.roles import (
    FORBIDDEN,
    FOUND,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    admin_only,
    everyone,
)


def signed_in(path: str, expected) -> dict:
    """Anonymous people are sent to log in; everyone else gets `expected`."""
    return {**everyone(expected), "anonymous": (HTTPStatus.FOUND, f"/konts/login/?next={path}")}


CANCEL = "/pasakumi/atteikties/{member_registration}/"
GUEST_CANCEL = "/pasakumi/pieteikums/{guest_token}/atteikties/"
FEED_TOKEN = "/pasakumi/mans/kalendars/"
FOLLOW_CENTRE = "/centri/preili/sekot/"
FOLLOW_COMMUNITY = "/kopienas/preili/sekot/"

MATRIX = {
    "events:list": [
        ("/pasakumi/", everyone(OK)),
        ("/en/pasakumi/", everyone(OK)),
        ("/pasakumi/?laiks=pagajusi", everyone(OK)),
        ("/pasakumi/?centrs=nav-tada&no=vakar", everyone(OK)),
    ],
    "events:detail": [
        ("/pasakumi/{event}/", everyone(OK)),
        ("/en/pasakumi/{event}/", everyone(OK)),
        # Unpublished: hidden on the public site from everyone, staff included.
        ("/pasakumi/{hidden_event}/", everyone(NOT_FOUND)),
        ("/pasakumi/nav-tada/", everyone(NOT_FOUND)),
    ],
    # Registering is a POST; a GET (a link, a crawler) changes nothing.
    "events:register": [("/pasakumi/{event}/pieteikties/", everyone(NOT_ALLOWED))],
    "events:feed": [("/pasakumi/kalendars.ics", everyone(OK))],
    "events:event_feed": [
        ("/pasakumi/{event}/kalendars.ics", everyone(OK)),
        ("/pasakumi/{hidden_event}/kalendars.ics", everyone(NOT_FOUND)),
    ],
    "events:personal_feed": [
        ("/pasakumi/mans/{feed_token}.ics", everyone(OK)),
        ("/pasakumi/mans/nav-tada-zetona.ics", everyone(NOT_FOUND)),
        ("/pasakumi/mans/{revoked_token}.ics", everyone(NOT_FOUND)),
    ],
    "events:feed_token": [(FEED_TOKEN, signed_in(FEED_TOKEN, NOT_ALLOWED))],
    "events:confirm": [
        ("/pasakumi/apstiprinat/{guest_token}/", everyone(OK)),
        ("/pasakumi/apstiprinat/nav-tada/", everyone(NOT_FOUND)),
    ],
    "events:registration": [
        ("/pasakumi/pieteikums/{guest_token}/", everyone(OK)),
        ("/pasakumi/pieteikums/nav-tada/", everyone(NOT_FOUND)),
    ],
    "events:registration_cancel": [
        # The page that asks before a guest's registration is cancelled (a POST cancels).
        (GUEST_CANCEL, everyone(OK)),
        ("/pasakumi/pieteikums/nav-tada/atteikties/", everyone(NOT_FOUND)),
    ],
    # The page that asks before one's own registration is cancelled; someone else's does not
    # exist as far as anyone else can tell.
    "events:cancel": [
        (CANCEL, {**signed_in(CANCEL, NOT_FOUND), "member": OK}),
    ],
    # Following is a POST; a GET (the log-in page's way back) goes to the page with the button.
    "resource_centres:follow": [
        (FOLLOW_CENTRE, signed_in(FOLLOW_CENTRE, (HTTPStatus.FOUND, "/centri/preili/"))),
        ("/centri/zilupe/sekot/", signed_in("/centri/zilupe/sekot/", NOT_FOUND)),
    ],
    "communities:follow": [
        (FOLLOW_COMMUNITY, signed_in(FOLLOW_COMMUNITY, (HTTPStatus.FOUND, "/kopienas/preili/"))),
        ("/kopienas/kraslava/sekot/", signed_in("/kopienas/kraslava/sekot/", NOT_FOUND)),
    ],
    # Writing to a community's leaders: a form for everyone (a visitor gives name and address).
    "communities:contact": [
        ("/kopienas/preili/rakstit/", everyone(OK)),
        ("/en/kopienas/preili/rakstit/", everyone(OK)),
        ("/kopienas/kraslava/rakstit/", everyone(NOT_FOUND)),
    ],
    "my_digest": [("/mans/apkopojums/", signed_in("/mans/apkopojums/", NOT_ALLOWED))],
    # The digest's unsubscribe link: whoever holds it (a mail program posts it in one click).
    # The GET asks to confirm, naming no one; a link that is not ours is 404.
    "events:digest_unsubscribe": [
        ("/pasakumi/apkopojums/atteikties/{digest_token}/", everyone(OK)),
        ("/pasakumi/apkopojums/atteikties/nav-tada/", everyone(NOT_FOUND)),
    ],
    "resource_centres:calendar": [
        ("/centri/preili/kalendars.ics", everyone(OK)),
        ("/centri/zilupe/kalendars.ics", everyone(NOT_FOUND)),
    ],
    "communities:calendar": [
        ("/kopienas/preili/kalendars.ics", everyone(OK)),
        ("/kopienas/kraslava/kalendars.ics", everyone(NOT_FOUND)),
    ],
}

# Community events run from the site (issue 17): the Preiļi event belongs to the Preiļi community
# and is held at the Preiļi centre, so its leader, that centre's manager and coordinators may
# run it; anyone else signed in gets 404. The Aglona event has no community and is held at
# another centre: coordinators only (and it cannot be copied into a community).
NEW_EVENT = "/kopienas/preili/pasakumi/jauns/"
CENTRE_EVENTS = "/pasakumi/mana-centra/"


def runners(path: str, **exceptions) -> dict:
    return {
        **signed_in(path, NOT_FOUND),
        "leader": OK,
        "centre_manager": OK,
        "coordinator": OK,
        "superuser": OK,
        **exceptions,
    }


def coordinators(path: str, **exceptions) -> dict:
    return {**signed_in(path, NOT_FOUND), "coordinator": OK, "superuser": OK, **exceptions}


def _run_rows(action: str, **other) -> list:
    own, other_path = f"/pasakumi/{{event}}/{action}/", f"/pasakumi/{{other_event}}/{action}/"
    return [
        (own, runners(own)),
        ("/en" + own, runners("/en" + own, anonymous=(FOUND, f"/en/konts/login/?next=/en{own}"))),
        (other_path, coordinators(other_path, **other)),
        (f"/pasakumi/nav-tada/{action}/", signed_in(f"/pasakumi/nav-tada/{action}/", NOT_FOUND)),
    ]


MATRIX.update(
    {
        "communities:event_create": [
            # A centre's manager corrects events at their centre; creating is the community's.
            (NEW_EVENT, coordinators(NEW_EVENT, leader=OK)),
            (
                "/kopienas/kraslava/pasakumi/jauns/",
                signed_in("/kopienas/kraslava/pasakumi/jauns/", NOT_FOUND),
            ),
        ],
        "events:edit": _run_rows("labot"),
        "events:copy": _run_rows("kopet", coordinator=NOT_FOUND, superuser=NOT_FOUND),
        "events:event_cancel": _run_rows("atcelt"),
        # The page answers before the end too, saying that attendance waits for the end.
        "events:attendance": _run_rows("apmeklejums"),
        # The events at the centres one manages: a centre's manager and coordinators; anyone
        # managing no centre gets 404, as for a page that is not there.
        "events:centre_events": [
            (CENTRE_EVENTS, coordinators(CENTRE_EVENTS, centre_manager=OK)),
            (
                "/en" + CENTRE_EVENTS,
                coordinators(
                    "/en" + CENTRE_EVENTS,
                    centre_manager=OK,
                    anonymous=(FOUND, f"/en/konts/login/?next=/en{CENTRE_EVENTS}"),
                ),
            ),
            (
                CENTRE_EVENTS + "?centrs=aglona&lapa=9&beigusies=x",
                coordinators(
                    CENTRE_EVENTS + "?centrs=aglona&lapa=9&beigusies=x",
                    centre_manager=OK,
                    anonymous=(
                        FOUND,
                        "/konts/login/?next=/pasakumi/mana-centra/%3Fcentrs%3Daglona%26lapa%3D9"
                        "%26beigusies%3Dx",
                    ),
                ),
            ),
        ],
    }
)

EVENTS = "/admin/events/event/"
OWN_EVENT = EVENTS + "{event_pk}/change/"
OTHER_EVENT = EVENTS + "{other_event_pk}/change/"
OWN_SHEET = EVENTS + "{event_pk}/parakstu-lapa/"
OTHER_SHEET = EVENTS + "{other_event_pk}/parakstu-lapa/"
OWN_XLSX = EVENTS + "{event_pk}/dalibnieki.xlsx"
OWN_CSV = EVENTS + "{event_pk}/dalibnieki.csv"
OTHER_CSV = EVENTS + "{other_event_pk}/dalibnieki.csv"
REGISTRATIONS = "/admin/events/registration/"


def _staff(path, *, manager, assessor=FORBIDDEN):
    return admin_only(path, centre_manager=manager, assessor=assessor, coordinator=OK, superuser=OK)


ADMIN_MATRIX = {
    "admin:events_event_changelist": [(EVENTS, _staff(EVENTS, manager=OK))],
    "admin:events_event_change": [
        (OWN_EVENT, _staff(OWN_EVENT, manager=OK)),
        # Another centre's event is outside the manager's queryset: "does not exist".
        (OTHER_EVENT, _staff(OTHER_EVENT, manager=(HTTPStatus.FOUND, "/admin/"))),
    ],
    "admin:events_event_signin": [
        (OWN_SHEET, _staff(OWN_SHEET, manager=OK, assessor=NOT_FOUND)),
        (OTHER_SHEET, _staff(OTHER_SHEET, manager=NOT_FOUND, assessor=NOT_FOUND)),
    ],
    "admin:events_event_export": [
        (OWN_CSV, _staff(OWN_CSV, manager=OK, assessor=NOT_FOUND)),
        (OWN_XLSX, _staff(OWN_XLSX, manager=OK, assessor=NOT_FOUND)),
        (OTHER_CSV, _staff(OTHER_CSV, manager=NOT_FOUND, assessor=NOT_FOUND)),
    ],
    "admin:events_registration_changelist": [(REGISTRATIONS, _staff(REGISTRATIONS, manager=OK))],
}


def setup(people) -> dict[str, object]:
    """An event at the Preiļi centre (with a member's and a guest's registration), one at
    Aglona, an unpublished one, and a personal feed of the "user" role, plus a revoked one."""
    preili = ResourceCentre.objects.get(slug="preili")
    event = EventFactory(
        slug="preilu-macibas",
        centre=preili,
        community=Community.objects.get(slug="preili"),
    )
    other = EventFactory(slug="aglonas-macibas", centre=ResourceCentre.objects.get(slug="aglona"))
    hidden = EventFactory(slug="slepts-pasakums", centre=preili, is_published=False)
    member = services.register(event=event, user=people["member"]).registration
    guest = services.register(event=event, name="Viesis", email="viesis@example.lv").registration
    revoked = services.renew_calendar_feed(user=people["leader"]).token
    services.revoke_calendar_feed(user=people["leader"])
    assert guest.status == Registration.Status.PENDING
    assert Event.objects.filter(pk=hidden.pk, is_published=False).exists()
    return {
        "event": event.slug,
        "event_pk": event.pk,
        "other_event_pk": other.pk,
        "other_event": other.slug,
        "hidden_event": hidden.slug,
        "member_registration": member.pk,
        "guest_token": guest.token,
        "feed_token": services.renew_calendar_feed(user=people["user"]).token,
        "revoked_token": revoked,
        "digest_token": following.unsubscribe_token(user=people["member"]),
    }
