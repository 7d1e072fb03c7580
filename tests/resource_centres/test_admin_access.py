"""Who sees and changes which resource centre in the admin."""

import pytest
from django.contrib.messages import get_messages

from resource_centres.models import ResourceCentre
from tests.resource_centres.admin_support import (
    ALL_CENTRES,
    CHANGELIST,
    app_models,
    centre_names,
    change_url,
    form_data,
    make_user,
)

# --- Who sees which centre -----------------------------------------------------------------


def test_a_coordinator_sees_all_ten_centres(client, coordinator, latgale):
    client.force_login(coordinator)

    response = client.get(CHANGELIST)

    assert (response.status_code, centre_names(response)) == (200, ALL_CENTRES)


def test_a_centre_manager_sees_only_their_own_centre(client, manager, preili):
    client.force_login(manager)

    index = client.get("/admin/")
    changelist = client.get(CHANGELIST)

    # Their centre, and the events of their centre with the registrations (attendance).
    assert app_models(index) == [
        (
            "resource_centres",
            ["Equipment", "Instruction", "ResourceCentre", "Booking", "Maintenance"],
        ),
        ("events", ["Event", "Registration"]),
    ]
    centres = next(
        model
        for model in index.context["app_list"][0]["models"]
        if model["object_name"] == "ResourceCentre"
    )
    assert centres["perms"] == {
        "add": False,
        "change": True,
        "delete": False,
        "view": True,
    }
    assert (changelist.status_code, centre_names(changelist)) == (
        200,
        ["Preiļu kopienas resursu centrs"],
    )
    # No "delete selected" action for someone who may not delete.
    assert changelist.context["action_form"] is None


def test_a_centre_manager_finds_no_other_centre_by_searching(client, manager, aglona):
    client.force_login(manager)

    response = client.get(CHANGELIST, {"q": "Aglona"})

    assert (response.status_code, centre_names(response)) == (200, [])


def test_a_centre_manager_changes_their_centre_but_not_its_slug_publication_or_managers(
    client, manager, preili
):
    other_user = make_user("cits", is_staff=True)
    client.force_login(manager)
    page = client.get(change_url(preili))
    data = {
        **form_data(page),
        "description": "Atvērts arī sestdienās.",
        # Fields the manager cannot see in the form: a forged post must not change them.
        "slug": "parvietots",
        "is_published": "",
        "managers": [str(other_user.pk)],
    }

    response = client.post(change_url(preili), data)

    preili.refresh_from_db()
    assert page.status_code == 200
    assert page.context["adminform"].readonly_fields == ("slug", "is_published", "managers")
    assert "slug" not in page.context["adminform"].form.fields
    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    assert (
        preili.description,
        preili.slug,
        preili.is_published,
        list(preili.managers.all()),
    ) == ("Atvērts arī sestdienās.", "preili", True, [manager])


def test_another_centres_change_page_sends_a_centre_manager_to_the_admin_index(
    client, manager, aglona
):
    client.force_login(manager)
    description = aglona.description

    shown = client.get(change_url(aglona))
    posted = client.post(change_url(aglona), {"name": "Pārņemts", "description": "Pārņemts"})

    # Django's admin treats an object outside get_queryset as missing: a redirect, not a 403.
    assert [(r.status_code, r["Location"]) for r in (shown, posted)] == [
        (302, "/admin/"),
        (302, "/admin/"),
    ]
    assert [str(message) for message in get_messages(shown.wsgi_request)] == [
        f"Ieraksts (kopienu resursu centrs) ar ID “{aglona.pk}” nepastāv. Varbūt tas ir dzēsts?"
    ]
    aglona.refresh_from_db()
    assert (aglona.name, aglona.description) == ("Aglonas kopienu resursu centrs", description)


def test_a_centre_manager_cannot_add_or_delete_centres(client, manager, preili, aglona):
    client.force_login(manager)

    responses = [
        client.get(f"{CHANGELIST}add/"),
        client.post(f"{CHANGELIST}add/", {"name": "Jauns centrs"}),
        client.get(f"{CHANGELIST}{preili.pk}/delete/"),
        client.post(f"{CHANGELIST}{preili.pk}/delete/", {"post": "yes"}),
        client.post(f"{CHANGELIST}{aglona.pk}/delete/", {"post": "yes"}),
        client.post(
            CHANGELIST,
            {"action": "delete_selected", "_selected_action": [preili.pk], "post": "yes"},
        ),
    ]

    # The changelist offers this user no actions, so the bulk delete post only shows the list.
    assert [response.status_code for response in responses] == [403, 403, 403, 403, 403, 200]
    assert ResourceCentre.objects.count() == 10


def test_an_assessor_sees_no_centres_module(client, assessor, preili):
    client.force_login(assessor)

    index = client.get("/admin/")
    changelist = client.get(CHANGELIST)
    change = client.get(change_url(preili))

    # Their admin is assessing alone (grants' assessment pages).
    assert (index.status_code, app_models(index)) == (200, [("grants", ["Assessment"])])
    assert (changelist.status_code, change.status_code) == (403, 403)


@pytest.mark.parametrize("is_logged_in", [True, False], ids=["non-staff", "anonymous"])
def test_a_person_without_staff_status_is_sent_to_the_admin_login(client, preili, is_logged_in):
    if is_logged_in:
        client.force_login(make_user("iedzivotajs"))

    responses = [client.get(CHANGELIST), client.get(change_url(preili))]

    assert [(r.status_code, r["Location"]) for r in responses] == [
        (302, f"/admin/login/?next={CHANGELIST}"),
        (302, f"/admin/login/?next={change_url(preili)}"),
    ]
