"""Every URL of the project for every role (DESIGN §8: "every URL in a permission-matrix test").

The parametrisation walks the project's URL resolver, so a new URL pattern without an entry in
MATRIX makes the test fail until someone decides, role by role, who may open it. Django admin's
generated URLs (namespace "admin") are left out of that walk: there are hundreds of them and
their access follows from each ModelAdmin, so ADMIN_MATRIX checks a representative set instead
(index, a changelist per permission style, a centre's change page from its own manager and from
a manager of another centre, its history and delete pages, the autocomplete searches for people,
and the user admin, where a coordinator must not reach a superuser's account).
"""

from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import translation

from communities.models import Community, Membership
from resource_centres.models import ResourceCentre
from tests.factories import with_totp
from tests.permissions import accounts as permissions_accounts
from tests.permissions import assessing as permissions_assessing
from tests.permissions import bookings as permissions_bookings
from tests.permissions import bookings_admin as permissions_bookings_admin
from tests.permissions import capacity as permissions_capacity
from tests.permissions import deciding as permissions_deciding
from tests.permissions import events as permissions_events
from tests.permissions import figures as permissions_figures
from tests.permissions import grants as permissions_grants
from tests.permissions import initiative_reports as permissions_initiative_reports
from tests.permissions import initiatives as permissions_initiatives
from tests.permissions import initiatives_admin as permissions_initiatives_admin
from tests.permissions import members as permissions_members
from tests.permissions import outbox as permissions_outbox
from tests.permissions import search as permissions_search
from tests.permissions.roles import FORBIDDEN, NOT_FOUND, OK, ROLES, admin_only, everyone

PASSWORD = "parole-testiem-2026"


# url name -> [(path, {role: status or (status, Location)})]
SITE_MATRIX = {
    "healthz": [("/healthz", everyone(OK))],
    # Says only which parts answer ("ok" or "unavailable"), nothing about the data in them.
    "readyz": [("/readyz", everyone(OK))],
    "robots_txt": [("/robots.txt", everyone(OK))],
    "favicon": [("/favicon.ico", everyone((HTTPStatus.FOUND, "/static/img/favicon.svg")))],
    # Events moved to their own app; the admin (its own rows below) then decides who may look.
    "moved_admin_page": [
        (
            "/admin/communities/event/?q=seminars",
            everyone((HTTPStatus.MOVED_PERMANENTLY, "/admin/events/event/?q=seminars")),
        ),
        (
            "/admin/communities/registration/7/change/",
            everyone((HTTPStatus.MOVED_PERMANENTLY, "/admin/events/registration/7/change/")),
        ),
    ],
    "sitemap": [("/sitemap.xml", everyone(OK))],
    "sitemap_section": [
        ("/sitemap-pages.xml", everyone(OK)),
        ("/sitemap-centres.xml", everyone(OK)),
        ("/sitemap-communities.xml", everyone(OK)),
        ("/sitemap-events.xml", everyone(OK)),
        ("/sitemap-rounds.xml", everyone(OK)),
        ("/sitemap-results.xml", everyone(OK)),
        ("/sitemap-initiatives.xml", everyone(OK)),
        ("/sitemap-nav.xml", everyone(NOT_FOUND)),
    ],
    "home": [("/", everyone(OK)), ("/en/", everyone(OK))],
    "privacy": [("/privatums/", everyone(OK)), ("/en/privatums/", everyone(OK))],
    "about": [("/par/", everyone(OK)), ("/en/par/", everyone(OK))],
    "glossary": [("/celazimes/", everyone(OK)), ("/en/celazimes/", everyone(OK))],
    "resource_centres:list": [("/centri/", everyone(OK)), ("/en/centri/", everyone(OK))],
    "resource_centres:detail": [
        ("/centri/preili/", everyone(OK)),
        ("/en/centri/preili/", everyone(OK)),
        # Unpublished: hidden from everyone on the public site, staff included.
        ("/centri/zilupe/", everyone(NOT_FOUND)),
        ("/centri/nav-tada/", everyone(NOT_FOUND)),
    ],
    "communities:list": [("/kopienas/", everyone(OK)), ("/en/kopienas/", everyone(OK))],
    "communities:detail": [
        ("/kopienas/preili/", everyone(OK)),
        ("/en/kopienas/preili/", everyone(OK)),
        ("/kopienas/kraslava/", everyone(NOT_FOUND)),
    ],
}

CENTRES = "/admin/resource_centres/resourcecentre/"
OWN_CENTRE = CENTRES + "{preili}/change/"
OTHER_CENTRE = CENTRES + "{aglona}/change/"
OWN_CENTRE_HISTORY = CENTRES + "{preili}/history/"
OWN_CENTRE_DELETE = CENTRES + "{preili}/delete/"
COMMUNITIES = "/admin/communities/community/"
MANAGERS_SEARCH = (
    "/admin/autocomplete/?app_label=resource_centres&model_name=resourcecentre"
    "&field_name=managers&term=a"
)
MEMBERS_SEARCH = (
    "/admin/autocomplete/?app_label=communities&model_name=membership&field_name=user&term=a"
)
USERS = "/admin/auth/user/"
STAFF_ACCOUNT = USERS + "{vaditajs}/change/"
SUPERUSER_ACCOUNT = USERS + "{admins}/change/"
SUPERUSER_PASSWORD = USERS + "{admins}/password/"

SITE_ADMIN_MATRIX = {
    "admin:index": [
        (
            "/admin/",
            admin_only("/admin/", centre_manager=OK, assessor=OK, coordinator=OK, superuser=OK),
        )
    ],
    "admin:resource_centres_resourcecentre_changelist": [
        (
            CENTRES,
            admin_only(
                CENTRES, centre_manager=OK, assessor=FORBIDDEN, coordinator=OK, superuser=OK
            ),
        )
    ],
    "admin:resource_centres_resourcecentre_change": [
        (
            OWN_CENTRE,
            admin_only(
                OWN_CENTRE, centre_manager=OK, assessor=FORBIDDEN, coordinator=OK, superuser=OK
            ),
        ),
        (
            OTHER_CENTRE,
            admin_only(
                OTHER_CENTRE,
                # The manager's queryset has no such centre: Django redirects to the admin
                # index with a "does not exist" message rather than confirming it exists.
                centre_manager=(HTTPStatus.FOUND, "/admin/"),
                assessor=FORBIDDEN,
                coordinator=OK,
                superuser=OK,
            ),
        ),
    ],
    "admin:resource_centres_resourcecentre_history": [
        (
            OWN_CENTRE_HISTORY,
            admin_only(
                OWN_CENTRE_HISTORY,
                centre_manager=OK,
                # Outside the assessor's queryset: "does not exist", as for the change page of
                # another centre.
                assessor=(HTTPStatus.FOUND, "/admin/"),
                coordinator=OK,
                superuser=OK,
            ),
        )
    ],
    "admin:resource_centres_resourcecentre_delete": [
        (
            OWN_CENTRE_DELETE,
            admin_only(
                OWN_CENTRE_DELETE,
                centre_manager=FORBIDDEN,
                assessor=FORBIDDEN,
                coordinator=OK,
                superuser=OK,
            ),
        )
    ],
    # Searching people needs auth's view permission on users, which only coordinators hold.
    "admin:autocomplete": [
        (
            search,
            admin_only(
                search,
                centre_manager=FORBIDDEN,
                assessor=FORBIDDEN,
                coordinator=OK,
                superuser=OK,
            ),
        )
        for search in (MANAGERS_SEARCH, MEMBERS_SEARCH)
    ],
    "admin:auth_user_changelist": [
        (
            USERS,
            admin_only(
                USERS, centre_manager=FORBIDDEN, assessor=FORBIDDEN, coordinator=OK, superuser=OK
            ),
        )
    ],
    "admin:auth_user_change": [
        (
            STAFF_ACCOUNT,
            admin_only(
                STAFF_ACCOUNT,
                centre_manager=FORBIDDEN,
                assessor=FORBIDDEN,
                coordinator=OK,
                superuser=OK,
            ),
        ),
        (
            SUPERUSER_ACCOUNT,
            admin_only(
                SUPERUSER_ACCOUNT,
                centre_manager=FORBIDDEN,
                assessor=FORBIDDEN,
                # Superusers are outside a coordinator's user queryset: "does not exist".
                coordinator=(HTTPStatus.FOUND, "/admin/"),
                superuser=OK,
            ),
        ),
    ],
    "admin:auth_user_password_change": [
        (
            SUPERUSER_PASSWORD,
            admin_only(
                SUPERUSER_PASSWORD,
                centre_manager=FORBIDDEN,
                assessor=FORBIDDEN,
                coordinator=NOT_FOUND,
                superuser=OK,
            ),
        )
    ],
    "admin:communities_community_changelist": [
        (
            COMMUNITIES,
            admin_only(
                COMMUNITIES,
                centre_manager=FORBIDDEN,
                assessor=FORBIDDEN,
                coordinator=OK,
                superuser=OK,
            ),
        )
    ],
}


# Each area keeps its rows in tests/permissions/<area>.py: MATRIX, ADMIN_MATRIX and
# setup(people), which makes the objects its paths name and returns their placeholders.
AREAS = [
    permissions_accounts,
    permissions_grants,
    permissions_events,
    permissions_assessing,
    permissions_deciding,
    permissions_figures,
    permissions_initiative_reports,
    permissions_initiatives,
    permissions_initiatives_admin,
    permissions_bookings_admin,
    permissions_bookings,
    permissions_outbox,
    permissions_search,
    permissions_capacity,
    permissions_members,
]
MATRIX = {**SITE_MATRIX}
ADMIN_MATRIX = {**SITE_ADMIN_MATRIX}
for _area in AREAS:
    assert not set(_area.MATRIX) & set(MATRIX), "a URL name is in two areas of the matrix"
    MATRIX.update(_area.MATRIX)
    ADMIN_MATRIX.update(getattr(_area, "ADMIN_MATRIX", {}))


def _url_names(resolver: URLResolver, prefix: str = "") -> list[str]:
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Represented by ADMIN_MATRIX, see the module docstring.
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names += _url_names(pattern, namespace)
        elif isinstance(pattern, URLPattern):
            # An unnamed pattern still needs an entry: it is keyed by its route.
            names.append(f"{prefix}{pattern.name}" if pattern.name else f"route:{pattern.pattern}")
    return names


URL_NAMES = _url_names(get_resolver())


def _cases():
    for name in sorted(set(URL_NAMES) | set(MATRIX)):
        for role in ROLES:
            yield pytest.param(name, role, MATRIX, id=f"{name}-{role}")
    for name in ADMIN_MATRIX:
        for role in ROLES:
            yield pytest.param(name, role, ADMIN_MATRIX, id=f"{name}-{role}")


@pytest.fixture
def people(db, latgale):
    User = get_user_model()

    def person(username: str, *, verified: bool = True, **extra) -> object:
        create = (
            User.objects.create_superuser
            if extra.pop("superuser", False)
            else (User.objects.create_user)
        )
        # Everyone signed up with a password, as allauth's sign-up asks for one.
        user = create(username, f"{username}@example.lv", PASSWORD, **extra)
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        return user

    def staff(username: str, group: str) -> object:
        # Staff have two-factor authentication on: without it the admin sends them to set it up
        # (test_staff_without_two_factor_authentication_are_sent_to_set_it_up).
        user = with_totp(person(username, is_staff=True))
        user.groups.add(Group.objects.get(name=group))
        return user

    def in_community(username: str, slug: str, role: str) -> object:
        user = person(username)
        Membership.objects.create(
            user=user,
            community=Community.objects.get(slug=slug),
            role=role,
            status=Membership.Status.ACTIVE,
        )
        return user

    manager = staff("vaditajs", "Centru vadītāji")
    ResourceCentre.objects.get(slug="preili").managers.add(manager)
    ResourceCentre.objects.filter(slug="zilupe").update(is_published=False)
    Community.objects.filter(slug="kraslava").update(is_published=False)
    return {
        "anonymous": None,
        "unverified": person("neapstiprinats", verified=False),
        "user": person("iedzivotajs"),
        "member": in_community("dalibnieks", "preili", Membership.Role.MEMBER),
        "other_activist": in_community("aktivists", "aglona", Membership.Role.ACTIVIST),
        "leader": in_community("lideris", "preili", Membership.Role.LEADER),
        "centre_manager": manager,
        "assessor": staff("vertetajs", "Vērtētāji"),
        "coordinator": staff("koordinators", "Koordinatori"),
        "superuser": with_totp(person("admins", superuser=True)),
    }


@pytest.fixture
def placeholders(people):
    """ "{preili}"-style names in paths: centres by slug, accounts by username, and each area's."""
    names = {
        **dict(ResourceCentre.objects.values_list("slug", "pk")),
        **dict(get_user_model().objects.values_list("username", "pk")),
    }
    for area in AREAS:
        names.update(area.setup(people))
    return names


def _view_name(path: str) -> str:
    with translation.override("en" if path.startswith("/en/") else "lv"):
        return resolve(path.partition("?")[0]).view_name


@pytest.mark.parametrize(("name", "role", "matrix"), list(_cases()))
def test_permission_matrix(client, people, placeholders, name, role, matrix):
    assert name in matrix, f"{name!r} has no entry in the permission matrix: decide who may see it"
    if matrix is MATRIX:
        assert name in URL_NAMES, f"{name!r} is in the matrix but no longer a URL of the project"
    if people[role] is not None:
        client.force_login(people[role])
    # Paths name centres by slug and accounts by username: "{preili}", "{admins}".
    pks = placeholders

    for template, expectations in matrix[name]:
        path = template.format(**pks)
        expected = expectations[role]
        if isinstance(expected, tuple):
            expected = (expected[0], expected[1].format(**pks))
        # The path really is the URL being checked, not another one that happens to answer.
        assert _view_name(path) == name

        response = client.get(path)

        if isinstance(expected, tuple):
            assert (response.status_code, response.headers.get("Location")) == expected, path
        else:
            assert response.status_code == expected, path


# Staff without two-factor authentication: every admin page of the matrix sends them to set it
# up first (kopienas/middleware.py), with the page they asked for as `next`.
STAFF_ROLES = ["centre_manager", "assessor", "coordinator", "superuser"]
ADMIN_PATHS = sorted({path for rows in ADMIN_MATRIX.values() for path, _ in rows})


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_without_two_factor_authentication_are_sent_to_set_it_up(
    client, people, placeholders, role
):
    Authenticator.objects.filter(user=people[role]).delete()
    client.force_login(people[role])

    answers = {}
    for template in ADMIN_PATHS:
        path = template.format(**placeholders)
        response = client.get(path)
        answers[path] = (response.status_code, response.headers.get("Location"))

    assert answers == {
        template.format(**placeholders): (
            HTTPStatus.FOUND,
            "/konts/2fa/totp/activate/?" + urlencode({"next": template.format(**placeholders)}),
        )
        for template in ADMIN_PATHS
    }


# ... and on the site's own pages they have no staff powers at all (DESIGN §8): every URL of the
# matrix answers them exactly what it answers a verified resident with no community ("user").
SITE_PATHS = [
    (name, template, expectations["user"])
    for name, rows in MATRIX.items()
    for template, expectations in rows
    if not template.startswith("/admin/")
]


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_without_two_factor_authentication_have_no_staff_powers_on_the_site(
    client, people, placeholders, role
):
    Authenticator.objects.filter(user=people[role]).delete()

    answers, expected = {}, {}
    for _name, template, as_resident in SITE_PATHS:
        path = template.format(**placeholders)
        # Signed in afresh for each page, as the matrix does: one of them is the log-out.
        client.force_login(people[role])
        response = client.get(path)
        if isinstance(as_resident, tuple):
            answers[path] = (response.status_code, response.headers.get("Location"))
            expected[path] = (as_resident[0], as_resident[1].format(**placeholders))
        else:
            answers[path] = response.status_code
            expected[path] = as_resident

    assert answers == expected
