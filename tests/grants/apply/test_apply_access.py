"""Applying: who may start an application, and the other applications the apply page points to."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.formats import riga_datetime_in
from grants.models import Application
from tests.factories import CommunityFactory, MembershipFactory
from tests.factories.grants import (
    ApplicationFactory,
    GrantRoundFactory,
    activist,
    complete_application,
    verified_user,
)
from tests.grants.apply.helpers import messages_of
from tests.html import parse

pytestmark = pytest.mark.django_db


# --- Who may start ---------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in_and_back(client, grant_round):
    response = client.get("/konkursi/dk-2026/pieteikties/")

    assert (response.status_code, response["Location"]) == (
        302,
        "/konts/login/?next=/konkursi/dk-2026/pieteikties/",
    )


def test_unverified_person_is_told_to_confirm_their_email(client, grant_round, community):
    user = activist(community)
    user.emailaddress_set.update(verified=False)
    client.force_login(user)

    response = client.get("/konkursi/dk-2026/pieteikties/")

    page = parse(response.content)
    assert response.status_code == 403
    assert page.select_one("h1").text == "Apstipriniet e-pasta adresi"
    assert page.select_one("main a.button").get("href") == "/konts/email/"
    assert Application.objects.count() == 0


def test_person_without_a_community_learns_how_to_join_one(client, grant_round, community):
    user = verified_user()
    # A request not yet approved does not count.
    MembershipFactory(user=user, community=community)
    client.force_login(user)

    response = client.get("/konkursi/dk-2026/pieteikties/")

    page = parse(response.content)
    assert response.status_code == 200
    assert page.select_one("h1").text == "Pieteikties var kopienas dalībnieks"
    assert page.select_one("main a.button").get("href") == "/kopienas/"
    assert page.select("form.application-form") == []


def test_closed_round_sends_back_to_its_page(client, applicant):
    GrantRoundFactory(slug="beidzies", closes_at=timezone.now() - timedelta(minutes=1))

    response = client.get("/konkursi/beidzies/pieteikties/", follow=True)

    assert response.redirect_chain == [("/konkursi/beidzies/", 302)]
    assert messages_of(response) == ["Šajā konkursā pieteikumus pašlaik nepieņem."]


def test_form_offers_only_communities_with_an_active_membership(client, applicant, grant_round):
    MembershipFactory(user=applicant, community=CommunityFactory(name="Aglonas kopiena"))

    page = parse(client.get("/konkursi/dk-2026/pieteikties/").content)

    assert page.texts("select[name=community] option") == ["Preiļu kopiena"]
    # Without JavaScript there are always three empty budget rows to fill in.
    assert len(page.select("#budget-lines tr.budget-line")) == 3
    assert (
        page.select_one("form.application-form").get("action") == "/konkursi/dk-2026/pieteikties/"
    )


# --- Another application in the same round ---------------------------------------------------


def test_a_new_application_points_to_the_ones_already_in_this_round(
    client, applicant, grant_round, community
):
    draft = ApplicationFactory(
        round=grant_round, applicant=applicant, community=community, title="Senioru deju vakari"
    )
    untitled = ApplicationFactory(
        round=grant_round, applicant=applicant, community=community, title=""
    )
    sent = complete_application(
        round=grant_round,
        applicant=applicant,
        community=community,
        status=Application.Status.SUBMITTED,
        number=1,
        reference="DK-2026-001",
        submitted_at=timezone.now(),
    )
    # Not listed: a withdrawn one, one in another round, and someone else's draft here.
    ApplicationFactory(
        round=grant_round,
        applicant=applicant,
        community=community,
        status=Application.Status.WITHDRAWN,
        number=2,
        reference="DK-2026-002",
    )
    ApplicationFactory(round=GrantRoundFactory(), applicant=applicant, community=community)
    ApplicationFactory(round=grant_round, community=community)

    page = parse(client.get("/konkursi/dk-2026/pieteikties/").content)

    section = page.select_one("section.existing-applications")
    assert section.select_one("h2").text == "Jums šajā konkursā jau ir:"
    assert section.texts("li") == [
        f"melnraksts „Senioru deju vakari” (Preiļu kopiena), saglabāts "
        f"{riga_datetime_in(draft.updated_at)} – Turpināt melnrakstu",
        f"melnraksts bez nosaukuma (Preiļu kopiena), saglabāts "
        f"{riga_datetime_in(untitled.updated_at)} – Turpināt melnrakstu",
        f"pieteikums DK-2026-001 „Kopienas dārzs pie skolas” (Preiļu kopiena), iesniegts "
        f"{riga_datetime_in(sent.submitted_at)} – Skatīt pieteikumu",
    ]
    assert [link.get("href") for link in section.select("li a")] == [
        f"/pieteikumi/{draft.draft_key}/labot/",
        f"/pieteikumi/{untitled.draft_key}/labot/",
        "/pieteikumi/DK-2026-001/",
    ]
    assert section.texts("p") == [
        "Jaunu pieteikumu varat sākt šeit pat: kopiena var pieteikt vairākas idejas."
    ]
    # A new application may still be started.
    assert (
        page.select_one("form.application-form").get("action") == "/konkursi/dk-2026/pieteikties/"
    )


def test_a_first_application_shows_no_list(client, applicant, grant_round):
    page = parse(client.get("/konkursi/dk-2026/pieteikties/").content)

    assert page.select("section.existing-applications") == []


def test_the_list_is_not_shown_when_resuming_a_draft(client, applicant, grant_round, community):
    draft = ApplicationFactory(round=grant_round, applicant=applicant, community=community)
    ApplicationFactory(round=grant_round, applicant=applicant, community=community)

    page = parse(client.get(f"/pieteikumi/{draft.key}/labot/").content)

    assert page.select("section.existing-applications") == []


@pytest.mark.parametrize("count", [1, 5])
def test_the_apply_page_queries_do_not_grow_with_existing_applications(
    client, applicant, grant_round, community, count, django_assert_num_queries
):
    for number in range(count):
        ApplicationFactory(
            round=grant_round, applicant=applicant, community=community, title=f"Ideja {number}"
        )

    # Round, session, user, verified email, "has a community", this list, the form's choices
    # (communities twice, the target groups once, model elements): within the public pages'
    # ceiling of 10 (DESIGN §8).
    with django_assert_num_queries(10):
        response = client.get("/konkursi/dk-2026/pieteikties/")

    assert len(parse(response.content).select("section.existing-applications li")) == count
