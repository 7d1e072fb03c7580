"""The 403 page: Latvian, in the site's design, for the public site and the admin alike."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from kopienas import errors, urls
from tests.factories import with_totp
from tests.html import parse

DENIED_TEXT = (
    "Jums nav tiesību atvērt šo lapu. Pārbaudiet, vai izmantojat pareizo kontu. "
    "Ja piekļuvei vajadzētu būt, sazinieties ar projekta koordinatoru."
)


def assert_the_403_page(response, *, home="/"):
    doc = parse(response.content)
    assert (response.status_code, response.headers["Content-Language"]) == (403, "lv")
    assert doc.select_one("html").get("lang") == "lv"
    assert doc.select_one("title").text == "Piekļuve liegta · Darbīgās kopienas"
    assert doc.select_one("a.skip-link").text == "Pāriet uz saturu"
    assert doc.texts("nav.site-nav a") == [
        "Resursu centri",
        "Kopienas",
        "Pasākumi",
        "Iniciatīvas",
        "Modelis",
        "Ceļazīmes",
        "Konkursi",
        "Mans konts",
    ]
    assert doc.select_one("main h1").text == "Piekļuve liegta"
    assert doc.texts("main .prose p") == [DENIED_TEXT, "Uz sākumlapu"]
    assert doc.select_one("main a.button").get("href") == home


def test_the_project_answers_permission_denied_with_its_own_page():
    assert urls.handler403 == "kopienas.errors.permission_denied"


def test_the_admin_refuses_a_staff_member_with_the_latvian_403_page(client, db):
    assessor = with_totp(get_user_model().objects.create_user("vertetajs", is_staff=True))
    assessor.groups.add(Group.objects.get(name="Vērtētāji"))
    client.force_login(assessor)

    response = client.get("/admin/resource_centres/resourcecentre/")

    assert_the_403_page(response)
    # Headers of every page still apply to the error page.
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_403_page_does_not_show_the_exceptions_text():
    # No `db` fixture: pytest-django makes any query in this test an error.
    request = RequestFactory().get("/admin/")

    response = errors.permission_denied(request, PermissionDenied("iekšēja informācija"))

    assert response.status_code == 403
    assert "iekšēja informācija" not in response.content.decode()
    assert parse(response.content).select_one("main h1").text == "Piekļuve liegta"


def test_a_refused_admin_search_also_gets_the_403_page(client, db):
    manager = with_totp(get_user_model().objects.create_user("vaditajs", is_staff=True))
    manager.groups.add(Group.objects.get(name="Centru vadītāji"))
    client.force_login(manager)

    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "resource_centres",
            "model_name": "resourcecentre",
            "field_name": "managers",
            "term": "a",
        },
    )

    assert_the_403_page(response)
