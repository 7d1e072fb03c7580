"""The user admin: coordinators make staff accounts but never reach above their own role.

Coordinators hold auth's view, add and change permissions on users (the roles migration), so
they can give a centre manager or an assessor an account and pick community members. They must
not grant superuser status or direct permissions, assign groups other than the platform's
roles, or open a superuser's account (kopienas/admin.py).
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages

from communities.models import Membership
from core.formats import RIGA
from resource_centres.models import ResourceCentre
from tests.factories import with_totp
from tests.resource_centres.admin_support import form_data

User = get_user_model()
USERS = "/admin/auth/user/"
ROLE_GROUPS = ["Centru vadītāji", "Koordinatori", "Vērtētāji"]


def change_url(user):
    return f"{USERS}{user.pk}/change/"


def staff_in(group_name, username):
    # Staff reach the admin only with two-factor authentication on (kopienas/middleware.py).
    user = with_totp(User.objects.create_user(username, f"{username}@example.lv", is_staff=True))
    user.groups.add(Group.objects.get(name=group_name))
    return user


def account_data(user, **changes):
    """The user change form as a browser posts it back untouched; False checkboxes are absent."""
    joined = user.date_joined.astimezone(RIGA)
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
        **changes,
    }
    return {
        name: "on" if value is True else value for name, value in data.items() if value is not False
    }


def field_names(response):
    return list(response.context["adminform"].form.fields)


def group_choices(response):
    return [label for _value, label in response.context["adminform"].form.fields["groups"].choices]


@pytest.fixture
def coordinator(db):
    return staff_in("Koordinatori", "koordinatore")


@pytest.fixture
def superuser(db):
    return with_totp(User.objects.create_superuser("admins", "admins@example.lv"))


@pytest.fixture
def resident(db):
    return User.objects.create_user(
        "anita", "anita@example.lv", first_name="Anita", last_name="Aktīviste"
    )


def test_coordinators_hold_the_user_permissions_of_the_roles_migration(db):
    permissions = Permission.objects.filter(
        group__name="Koordinatori", content_type__app_label="auth"
    )

    assert sorted(permissions.values_list("codename", flat=True)) == [
        "add_user",
        "change_user",
        "view_user",
    ]


def test_a_coordinator_edits_an_account_without_superuser_status_or_permissions(
    client, coordinator, resident
):
    client.force_login(coordinator)

    response = client.get(change_url(resident))

    assert response.status_code == 200
    assert field_names(response) == [
        "username",
        "password",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "is_staff",
        "groups",
        "last_login",
        "date_joined",
    ]
    assert group_choices(response) == ROLE_GROUPS
    # Django's own section titles, in Latvian.
    assert [fieldset.name for fieldset in response.context["adminform"]] == [
        None,
        "Personīgā informācija",
        "Tiesības",
        "Svarīgi datumi",
    ]
    assert 'name="is_superuser"' not in response.content.decode()


def test_a_superuser_keeps_djangos_full_user_admin(client, superuser, resident):
    client.force_login(superuser)

    response = client.get(change_url(resident))

    assert "is_superuser" in field_names(response)
    assert "user_permissions" in field_names(response)
    assert group_choices(response) == sorted(Group.objects.values_list("name", flat=True))


def test_a_coordinator_makes_a_centre_manager_who_can_then_manage_a_centre(
    client, coordinator, resident, latgale
):
    managers = Group.objects.get(name="Centru vadītāji")
    preili = ResourceCentre.objects.get(slug="preili")
    centre_url = f"/admin/resource_centres/resourcecentre/{preili.pk}/change/"
    client.force_login(coordinator)

    response = client.post(
        change_url(resident), account_data(resident, is_staff=True, groups=[str(managers.pk)])
    )
    centre_page = client.get(centre_url)
    made_manager = client.post(
        centre_url, {**form_data(centre_page), "managers": [str(resident.pk)]}
    )

    resident.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, USERS)
    assert (resident.is_staff, list(resident.groups.all())) == (True, [managers])
    assert (made_manager.status_code, made_manager["Location"]) == (
        302,
        "/admin/resource_centres/resourcecentre/",
    )
    assert list(preili.managers.all()) == [resident]


def test_a_forged_post_cannot_grant_superuser_status_permissions_or_other_groups(
    client, coordinator, resident
):
    staff_group = Group.objects.create(name="Personāls")
    permission = Permission.objects.get(codename="delete_user")
    client.force_login(coordinator)

    forged = client.post(
        change_url(resident),
        account_data(
            resident,
            is_superuser=True,
            user_permissions=[str(permission.pk)],
            groups=[str(staff_group.pk)],
        ),
    )
    without_group = client.post(
        change_url(resident),
        account_data(resident, is_superuser=True, user_permissions=[str(permission.pk)]),
    )

    resident.refresh_from_db()
    assert forged.status_code == 200
    assert forged.context["adminform"].form.errors == {
        "groups": [f"Izvēlieties derīgu vērtību. {staff_group.pk} nav starp pieejamajām."]
    }
    assert (without_group.status_code, without_group["Location"]) == (302, USERS)
    assert (
        resident.is_superuser,
        list(resident.user_permissions.all()),
        list(resident.groups.all()),
    ) == (False, [], [])


def test_saving_keeps_the_groups_a_coordinator_is_not_offered(client, coordinator, resident):
    staff_group = Group.objects.create(name="Personāls")
    assessors = Group.objects.get(name="Vērtētāji")
    resident.groups.add(staff_group)
    client.force_login(coordinator)

    response = client.post(change_url(resident), account_data(resident, groups=[str(assessors.pk)]))

    assert (response.status_code, response["Location"]) == (302, USERS)
    assert set(resident.groups.all()) == {staff_group, assessors}


def test_a_coordinator_neither_sees_nor_opens_nor_changes_a_superuser(
    client, coordinator, superuser, resident
):
    client.force_login(coordinator)

    changelist = client.get(USERS)
    shown = client.get(change_url(superuser))
    posted = client.post(
        change_url(superuser), account_data(superuser, is_active=False, email="cits@example.lv")
    )
    password = client.post(
        f"{USERS}{superuser.pk}/password/",
        {"password1": "Jauna-parole-2026", "password2": "Jauna-parole-2026"},
    )

    assert [user.username for user in changelist.context["cl"].result_list] == [
        "anita",
        "koordinatore",
    ]
    assert [(r.status_code, r["Location"]) for r in (shown, posted)] == [
        (302, "/admin/"),
        (302, "/admin/"),
    ]
    assert [str(message) for message in get_messages(shown.wsgi_request)] == [
        f"Ieraksts (lietotājs) ar ID “{superuser.pk}” nepastāv. Varbūt tas ir dzēsts?"
    ]
    assert password.status_code == 404
    superuser.refresh_from_db()
    assert (
        superuser.is_active,
        superuser.email,
        superuser.check_password("Jauna-parole-2026"),
    ) == (
        True,
        "admins@example.lv",
        False,
    )


def test_a_coordinator_may_not_delete_accounts(client, coordinator, resident):
    client.force_login(coordinator)

    response = client.post(f"{USERS}{resident.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert User.objects.filter(pk=resident.pk).exists()


def test_a_coordinator_finds_people_for_a_community_membership(client, coordinator, resident):
    client.force_login(coordinator)

    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "communities",
            "model_name": "membership",
            "field_name": "user",
            "term": "aktīviste",
        },
    )

    assert (response.status_code, response.json()["results"]) == (
        200,
        [{"id": str(resident.pk), "text": "anita"}],
    )
    assert Membership.objects.count() == 0


# --- Deleting an account in the admin: the site's one way ---------------------------------------


def test_a_superuser_deletes_an_account_the_way_the_site_does(
    client, superuser, resident, django_capture_on_commit_callbacks
):
    from django.contrib.admin.models import LogEntry
    from django.core import mail
    from django.utils import timezone

    from grants.models import Application
    from tests.factories import CommunityFactory, MembershipFactory, verified_user
    from tests.factories.grants import ApplicationFactory, GrantRoundFactory

    community = CommunityFactory(name="Ozolu kopiena", slug="ozoli")
    MembershipFactory(
        community=community,
        user=verified_user(email="lidere@example.lv"),
        role="leader",
        status="active",
    )
    MembershipFactory(community=community, user=resident, status="active")
    grant_round = GrantRoundFactory()
    draft = ApplicationFactory(applicant=resident, round=grant_round, community=community)
    submitted = ApplicationFactory(
        applicant=resident,
        round=grant_round,
        community=community,
        status=Application.Status.SUBMITTED,
        reference="DK-2026-007",
        submitted_at=timezone.now(),
    )
    client.force_login(superuser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{USERS}{resident.pk}/delete/", {"post": "yes"})

    assert (response.status_code, response["Location"]) == (302, USERS)
    assert User.objects.filter(pk=resident.pk).exists() is False
    # As kopienas.services.delete_account: the draft goes, the submitted application stays
    # without the person, and the community's leader hears a member left, unnamed.
    assert Application.objects.filter(pk=draft.pk).exists() is False
    submitted.refresh_from_db()
    assert (submitted.applicant_id, submitted.reference) == (None, "DK-2026-007")
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["lidere@example.lv"],
            "Darbīgās kopienas: kāds dalībnieks vairs nav kopienā „Ozolu kopiena”",
        )
    ]
    assert list(LogEntry.objects.values_list("object_repr", "action_flag")) == [("anita", 3)]


def test_the_admin_refuses_to_delete_a_community_s_only_leader_and_says_why(
    client, superuser, resident
):
    from django.contrib.admin.models import LogEntry

    from tests.factories import CommunityFactory, MembershipFactory

    community = CommunityFactory(name="Ozolu kopiena")
    MembershipFactory(community=community, user=resident, status="active", role="leader")
    client.force_login(superuser)

    response = client.post(f"{USERS}{resident.pk}/delete/", {"post": "yes"})

    assert (response.status_code, response["Location"]) == (302, change_url(resident))
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Jūs esat vienīgais līderis šajās kopienās: Ozolu kopiena. Pirms dzēšat kontu, "
        "kopienas lapā izvēlieties „Pamest kopienu” un norādiet pēcteci, kurš kļūs par līderi."
    ]
    # Nothing went: the account, its membership, nor a line in the admin's log.
    assert (
        User.objects.filter(pk=resident.pk).exists(),
        Membership.objects.filter(user=resident).count(),
        LogEntry.objects.count(),
    ) == (True, 1, 0)


def test_the_user_list_offers_no_bulk_deletion(client, superuser, resident):
    client.force_login(superuser)

    page = client.get(USERS)
    # A forged bulk deletion is not carried out either.
    forged = client.post(
        USERS, {"action": "delete_selected", "_selected_action": [resident.pk], "post": "yes"}
    )

    assert (page.context["action_form"], b"delete_selected" in page.content) == (None, False)
    assert (forged.status_code, User.objects.filter(pk=resident.pk).exists()) == (200, True)
