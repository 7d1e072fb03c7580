"""Every URL of the project for every role (DESIGN §8: "every URL in a permission-matrix test").

The parametrisation walks the project's URL resolver, so a new URL pattern without an entry in
MATRIX makes the test fail until someone decides, role by role, who may open it. Django admin's
generated URLs (namespace "admin") are left out of that walk: there are hundreds of them and
their access follows from each ModelAdmin, so ADMIN_MATRIX checks a representative set instead
(index, a changelist per permission style, a centre's change page from its own manager and from
a manager of another centre).
"""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import translation

from communities.models import Community
from resource_centres.models import ResourceCentre

ROLES = ["anonymous", "user", "centre_manager", "assessor", "coordinator", "superuser"]

OK = HTTPStatus.OK
NOT_FOUND = HTTPStatus.NOT_FOUND
FORBIDDEN = HTTPStatus.FORBIDDEN


def everyone(expected) -> dict:
    return dict.fromkeys(ROLES, expected)


def admin_only(path: str, **staff) -> dict:
    """Anonymous people and signed-in non-staff are sent to the admin login; staff as given."""
    login = (HTTPStatus.FOUND, f"/admin/login/?next={path}")
    return {"anonymous": login, "user": login, **staff}


# url name -> [(path, {role: status or (status, Location)})]
MATRIX = {
    "healthz": [("/healthz", everyone(OK))],
    "robots_txt": [("/robots.txt", everyone(OK))],
    "favicon": [("/favicon.ico", everyone((HTTPStatus.FOUND, "/static/img/favicon.svg")))],
    "sitemap": [("/sitemap.xml", everyone(OK))],
    "sitemap_section": [
        ("/sitemap-pages.xml", everyone(OK)),
        ("/sitemap-centres.xml", everyone(OK)),
        ("/sitemap-communities.xml", everyone(OK)),
        ("/sitemap-nav.xml", everyone(NOT_FOUND)),
    ],
    "home": [("/", everyone(OK)), ("/en/", everyone(OK))],
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
COMMUNITIES = "/admin/communities/community/"

ADMIN_MATRIX = {
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

    def staff(username: str, group: str) -> object:
        user = User.objects.create_user(username, f"{username}@example.lv", is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        return user

    manager = staff("vaditajs", "Centru vadītāji")
    ResourceCentre.objects.get(slug="preili").managers.add(manager)
    ResourceCentre.objects.filter(slug="zilupe").update(is_published=False)
    Community.objects.filter(slug="kraslava").update(is_published=False)
    return {
        "anonymous": None,
        "user": User.objects.create_user("iedzivotajs", "iedzivotajs@example.lv"),
        "centre_manager": manager,
        "assessor": staff("vertetajs", "Vērtētāji"),
        "coordinator": staff("koordinators", "Koordinatori"),
        "superuser": User.objects.create_superuser("admins", "admins@example.lv"),
    }


def _view_name(path: str) -> str:
    with translation.override("en" if path.startswith("/en/") else "lv"):
        return resolve(path).view_name


@pytest.mark.parametrize(("name", "role", "matrix"), list(_cases()))
def test_permission_matrix(client, people, name, role, matrix):
    assert name in matrix, f"{name!r} has no entry in the permission matrix: decide who may see it"
    if matrix is MATRIX:
        assert name in URL_NAMES, f"{name!r} is in the matrix but no longer a URL of the project"
    if people[role] is not None:
        client.force_login(people[role])
    pks = dict(ResourceCentre.objects.values_list("slug", "pk"))

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
