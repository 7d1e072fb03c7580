"""A form that comes back with errors opens with one summary of them (DESIGN §8, issue #15).

templates/includes/error_summary.html is its one home: a box at the top of the page that takes
focus as the page loads (autofocus, no script needed) and links each error to its field.
"""

import pytest

from tests.factories import EventFactory, verified_user
from tests.html import parse

pytestmark = pytest.mark.django_db

PASSWORD = "Latgale-kopiena-2026"


def summary(response) -> dict:
    """The summary as a reader meets it, and whether every link leads to a field of the page."""
    doc = parse(response.content)
    box = doc.select(".error-summary")
    if not box:
        return {}
    ids = {element.get("id") for element in doc.iter()}
    return {
        "count": len(box),
        "focus": (box[0].get("tabindex"), "autofocus" in box[0].attrs),
        "heading": box[0].select_one("h2").text,
        "errors": [
            (link[0].get("href") if (link := item.select("a")) else None, item.text)
            for item in box[0].select("li")
        ],
        "links lead to fields": all(
            link.get("href").removeprefix("#") in ids for link in box[0].select("a")
        ),
    }


def test_guest_registration_with_errors_opens_with_the_summary(client):
    event = EventFactory()

    response = client.post(
        f"/pasakumi/{event.slug}/pieteikties/",
        {"name": "", "email": "nav-epasts", "seats": "1", "needs": "Ratiņkrēsls"},
    )

    assert response.status_code == 400
    assert summary(response) == {
        "count": 1,
        "focus": ("-1", True),
        "heading": "Lūdzu, izlabojiet",
        "errors": [
            ("#id_name", "Vārds, uzvārds: Šis lauks ir obligāts."),
            ("#id_email", "E-pasts: Jāievada derīga e-pasta adrese."),
        ],
        "links lead to fields": True,
    }


def test_a_valid_page_has_no_summary(client):
    event = EventFactory()

    assert summary(client.get(event.get_absolute_url())) == {}
    assert summary(client.get("/konts/signup/")) == {}


def test_sign_up_with_errors_opens_with_the_summary(client):
    response = client.post(
        "/konts/signup/",
        {
            "first_name": "",
            "last_name": "Ozola",
            "email": "ilze@example.lv",
            "password1": PASSWORD,
            "password2": PASSWORD + "x",
        },
    )

    assert summary(response) == {
        "count": 1,
        "focus": ("-1", True),
        "heading": "Lūdzu, izlabojiet",
        "errors": [
            ("#id_first_name", "Vārds: Šis lauks ir obligāts."),
            ("#id_password2", "Parole (vēlreiz): Abās reizēs jāievada viena un tā pati parole."),
        ],
        "links lead to fields": True,
    }


def test_log_in_with_a_wrong_password_opens_with_the_summary(client):
    verified_user(email="ilze@example.lv", password=PASSWORD)

    response = client.post("/konts/login/", {"login": "ilze@example.lv", "password": "nepareiza"})

    assert summary(response) == {
        "count": 1,
        "focus": ("-1", True),
        "heading": "Lūdzu, izlabojiet",
        "errors": [
            (None, "Nepareiza e-pasta adrese vai parole."),
        ],
        "links lead to fields": True,
    }


def test_profile_with_errors_opens_with_the_summary(client):
    client.force_login(verified_user())

    response = client.post(
        "/mans/profils/", {"first_name": "Ilze", "last_name": "", "phone": "zvaniet"}
    )

    assert summary(response) == {
        "count": 1,
        "focus": ("-1", True),
        "heading": "Lūdzu, izlabojiet",
        "errors": [
            ("#id_last_name", "Uzvārds: Šis lauks ir obligāts."),
            (
                "#id_phone",
                "Tālrunis: Ierakstiet tālruņa numuru ar 8–15 cipariem, piemēram, +371 20 000 000.",
            ),
        ],
        "links lead to fields": True,
    }


def test_account_deletion_with_a_wrong_password_opens_with_the_summary(client):
    client.force_login(verified_user(password=PASSWORD))

    response = client.post("/mans/dzest/", {"password": "nepareiza"})

    assert summary(response) == {
        "count": 1,
        "focus": ("-1", True),
        "heading": "Lūdzu, izlabojiet",
        "errors": [
            ("#id_password", "Jūsu parole: Parole nav pareiza."),
        ],
        "links lead to fields": True,
    }
