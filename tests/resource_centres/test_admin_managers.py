"""Who may be made a centre's manager in the admin."""

from tests.resource_centres.admin_support import (
    CHANGELIST,
    change_url,
    form_data,
    make_user,
    staff_in,
)

# --- Managers --------------------------------------------------------------------------------


def test_managers_are_chosen_through_the_user_search(client, coordinator, preili):
    candidate = staff_in("Centru vadītāji", "ilze")
    candidate.first_name, candidate.last_name = "Ilze", "Ozoliņa"
    candidate.save()
    client.force_login(coordinator)

    page = client.get(change_url(preili))
    found = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "resource_centres",
            "model_name": "resourcecentre",
            "field_name": "managers",
            "term": "ozoliņa",
        },
    )

    widget = page.context["adminform"].form.fields["managers"].widget
    assert type(widget.widget).__name__ == "AutocompleteSelectMultiple"
    assert (found.status_code, found.json()["results"]) == (
        200,
        [{"id": str(candidate.pk), "text": "ilze"}],
    )


def post_managers(client, centre, managers):
    page = client.get(change_url(centre))
    return client.post(
        change_url(centre), {**form_data(page), "managers": [str(user.pk) for user in managers]}
    )


def test_a_coordinator_makes_centre_managers_of_staff_in_the_role_groups(
    client, coordinator, preili
):
    manager = staff_in("Centru vadītāji", "jauna-vaditaja")
    other_coordinator = staff_in("Koordinatori", "cits-koordinators")
    client.force_login(coordinator)

    response = post_managers(client, preili, [manager, other_coordinator])

    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    assert set(preili.managers.all()) == {manager, other_coordinator}


def not_a_manager(person):
    return (
        f"{person} nevar vadīt centru: sadaļā „Lietotāji” šim kontam jābūt atzīmētam „Aktīvs” "
        "un „Personāla statuss” un jābūt grupā „Centru vadītāji”."
    )


def test_a_manager_who_could_not_use_the_admin_is_refused_by_name(client, coordinator, preili):
    resident = make_user("anita")
    resident.first_name, resident.last_name = "Anita", "Aktīviste"
    resident.save()
    staff_without_role = make_user("gatis", is_staff=True)
    inactive = staff_in("Centru vadītāji", "bijusi-vaditaja")
    inactive.is_active = False
    inactive.save()
    assessor = staff_in("Vērtētāji", "vertetaja")
    eligible = staff_in("Centru vadītāji", "derigs")
    client.force_login(coordinator)

    response = post_managers(
        client, preili, [resident, staff_without_role, inactive, assessor, eligible]
    )

    expected = [
        not_a_manager(person)
        for person in ["Anita Aktīviste (anita)", "gatis", "bijusi-vaditaja", "vertetaja"]
    ]
    assert response.status_code == 200
    assert sorted(response.context["adminform"].form.errors["managers"]) == sorted(expected)
    assert "<li>" + not_a_manager("Anita Aktīviste (anita)") + "</li>" in (
        response.content.decode()
    )
    assert list(preili.managers.all()) == []
