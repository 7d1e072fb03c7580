"""The Latvian of the admin: its phrases around a model's name, actions, counts and scripts."""

import json
import re

import pytest
from django.utils import timezone, translation

from grants.models import GrantRound
from initiatives.models import Initiative
from tests.factories import CommunityFactory, EventFactory, ResourceCentreFactory, with_totp
from tests.factories.grants import GrantRoundFactory, submitted_application
from tests.html import parse
from tests.kopienas.latvian_support import WRONG_ADMIN, User, assert_none_of

# --- The admin -----------------------------------------------------------------------------------


@pytest.fixture
def superuser(client, db):
    user = with_totp(User.objects.create_superuser("admins", "admins@example.lv"))
    client.force_login(user)
    return user


def object_tools(doc) -> list[str]:
    return doc.texts("ul.object-tools a")


def test_the_grant_round_changelist(client, superuser):
    GrantRoundFactory(title="Mazo iniciatīvu konkurss 2026")
    for year in (2023, 2024, 2025):
        GrantRoundFactory(title=f"Konkurss {year}", year=year)

    response = client.get("/admin/grants/grantround/")
    searched = client.get("/admin/grants/grantround/", {"q": "Mazo"})

    doc = parse(response.content)
    assert doc.select_one("#content h1").text == "Izvēlieties ierakstu (konkurss), ko mainīt"
    assert object_tools(doc) == ["Pievienot: konkurss"]
    # The object tools are shown in capitals: they read right that way too.
    assert object_tools(doc)[0].upper() == "PIEVIENOT: KONKURSS"
    assert doc.texts("#changelist-filter summary") == ["Filtrs: statuss", "Filtrs: gads"]
    assert doc.texts("select[name=action] option") == [
        "- Izvēlieties -",
        "Dzēst izvēlētos: konkursi",
        "Kopēt konkursu nākamajam gadam",
    ]
    assert doc.select_one(".action-counter").text == "Atzīmēti: 0 no 4"
    assert doc.select_one(".paginator .result-count").text == "4 ieraksti"
    assert doc.select_one("#user-tools").text.startswith("Sveicināti, admins")
    assert "Iziet" in doc.texts("#user-tools button")
    search = parse(searched.content)
    assert search.select_one("#changelist-search .small.quiet").text == "Rezultāti: 1 (kopā 4)"
    assert search.select_one(".paginator .result-count").text == "1 ieraksts"
    for page in (response, searched):
        assert_none_of(WRONG_ADMIN, page)


def test_the_grant_round_add_change_history_and_delete_pages(client, superuser):
    grant_round = GrantRoundFactory()
    url = f"/admin/grants/grantround/{grant_round.pk}/"

    add = client.get("/admin/grants/grantround/add/")
    change = client.get(f"{url}change/")
    history = client.get(f"{url}history/")
    delete = client.get(f"{url}delete/")

    assert parse(add.content).select_one("#content h1").text == "Pievienot: konkurss"
    change_doc = parse(change.content)
    assert change_doc.select_one("#content h1").text == "Mainīt: konkurss"
    assert "Pēdējais piešķirtais numurs:" in change_doc.texts(".field-last_number label")
    assert "Dzēst?" in change_doc.texts("table th")
    assert "Skatīt vietnē" in object_tools(change_doc)
    assert change_doc.select_one("a.deletelink").text == "Dzēst"
    assert parse(history.content).select_one("#content p").text == (
        "Šim ierakstam nav izmaiņu vēstures. Visticamāk, tas nav pievienots šeit, pārvaldībā."
    )
    delete_doc = parse(delete.content)
    assert delete_doc.select_one("#content h1").text == "Dzēst"
    assert delete_doc.select_one("#content p").text == (
        f"Vai tiešām dzēst ierakstu (konkurss) “{grant_round.title}”? Tiks dzēsti arī visi šie "
        "saistītie ieraksti:"
    )
    assert delete_doc.select_one("input[type=submit]").get("value") == "Jā, dzēst"
    assert delete_doc.select_one("a.cancel-link").text == "Nē, atgriezties"
    for page in (add, change, history, delete):
        assert page.status_code == 200
        assert_none_of(WRONG_ADMIN, page)


def test_admin_actions_tell_what_they_did_in_latvian(client, superuser):
    rounds = [GrantRoundFactory(), GrantRoundFactory()]
    ids = [str(grant_round.pk) for grant_round in rounds]
    changelist = "/admin/grants/grantround/"

    nothing = client.post(changelist, {"action": "delete_selected", "index": "0"}, follow=True)
    confirm = client.post(changelist, {"action": "delete_selected", "_selected_action": ids})
    deleted = client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
        follow=True,
    )

    assert parse(nothing.content).texts("ul.messagelist li") == [
        "Lai veiktu darbību, atzīmējiet ierakstus. Nekas netika mainīts."
    ]
    confirm_doc = parse(confirm.content)
    assert confirm_doc.select_one("#content h1").text == "Dzēst vairākus ierakstus"
    assert confirm_doc.select_one("#content p").text == (
        "Vai tiešām dzēst atzīmētos ierakstus (konkursi)? Tiks dzēsti visi šie ieraksti un ar "
        "tiem saistītie ieraksti:"
    )
    assert parse(deleted.content).texts("ul.messagelist li") == ["Dzēsti ieraksti: 2 (konkursi)."]
    assert GrantRound.objects.count() == 0
    for page in (nothing, confirm, deleted):
        assert_none_of(WRONG_ADMIN, page)


def test_a_grant_round_with_applications_cannot_be_deleted(client, superuser):
    grant_round = GrantRoundFactory()
    submitted_application(grant_round)

    response = client.get(f"/admin/grants/grantround/{grant_round.pk}/delete/")

    doc = parse(response.content)
    assert doc.select_one("#content h1").text == "Nevar dzēst: konkurss"
    assert doc.select_one("#content p").text == (
        f"Dzēšot ierakstu (konkurss) “{grant_round.title}”, tiktu dzēsti arī saistītie ieraksti, "
        "taču jūsu kontam nav tiesību dzēst šāda veida ierakstus:"
    )
    assert_none_of(WRONG_ADMIN, response)


def test_the_application_pages(client, superuser):
    application = submitted_application(GrantRoundFactory())
    submitted_application(GrantRoundFactory())  # two rounds: the round filter is shown
    url = f"/admin/grants/application/{application.pk}/"

    changelist = client.get("/admin/grants/application/")
    change = client.get(f"{url}change/")
    history = client.get(f"{url}history/")
    missing = client.get("/admin/grants/application/999999/change/", follow=True)

    doc = parse(changelist.content)
    assert doc.select_one("#content h1").text == "Izvēlieties ierakstu (pieteikums), ko mainīt"
    assert doc.texts("#changelist-filter summary")[:2] == ["Filtrs: konkurss", "Filtrs: statuss"]
    assert doc.select_one(".paginator .result-count").text == "2 ieraksti"
    assert parse(change.content).select_one("#content h1").text in (
        "Mainīt: pieteikums",
        "Skatīt: pieteikums",
    )
    assert parse(history.content).select_one("#content h1").text == (
        f"Izmaiņu vēsture: {application}"
    )
    assert parse(missing.content).texts("ul.messagelist li") == [
        "Ieraksts (pieteikums) ar ID “999999” nepastāv. Varbūt tas ir dzēsts?"
    ]
    for page in (changelist, change, history, missing):
        assert_none_of(WRONG_ADMIN, page)


def test_the_initiative_pages(client, superuser):
    initiative = Initiative.objects.create(
        slug="kopienas-darzs", title="Kopienas dārzs", community=CommunityFactory(), year=2026
    )
    # A second one elsewhere, another year: each filter then has a choice to offer.
    Initiative.objects.create(
        slug="talka",
        title="Talka",
        community=CommunityFactory(),
        year=2025,
        status="published",
        published_at=timezone.now(),
    )

    changelist = client.get("/admin/initiatives/initiative/")
    change = client.get(f"/admin/initiatives/initiative/{initiative.pk}/change/")

    doc = parse(changelist.content)
    assert doc.select_one("#content h1").text == "Izvēlieties ierakstu (iniciatīva), ko mainīt"
    # Initiatives are started by the services (a published decision, a leader's record): the
    # admin neither adds nor deletes them.
    assert object_tools(doc) == []
    assert doc.texts("#changelist-filter summary") == [
        "Filtrs: statuss",
        "Filtrs: gads",
        "Filtrs: kopiena",
        "Filtrs: atskaites termiņš",
    ]
    assert parse(change.content).select_one("#content h1").text == "Mainīt: iniciatīva"
    for page in (changelist, change):
        assert page.status_code == 200
        assert_none_of(WRONG_ADMIN, page)


# Django's generic phrases around a model's name, in the admin's nominative: with a colon or in
# parentheses they read right for a masculine or a feminine noun, singular or plural.
GENERIC_PHRASES = [
    ("Add %s", "vērtējums", "Pievienot: vērtējums"),
    ("Add %s", "iniciatīva", "Pievienot: iniciatīva"),
    ("Change %s", "budžeta pozīcija", "Mainīt: budžeta pozīcija"),
    ("View %s", "konkurss", "Skatīt: konkurss"),
    ("Select %s", "iniciatīva", "Izvēlieties ierakstu (iniciatīva)"),
    ("Select %s to change", "konkurss", "Izvēlieties ierakstu (konkurss), ko mainīt"),
    ("Select %s to view", "vērtējums", "Izvēlieties ierakstu (vērtējums), ko skatīt"),
    ("Change history: %s", "Kopienas dārzs", "Izmaiņu vēsture: Kopienas dārzs"),
]
NAMED_PHRASES = [
    ("Add %(name)s", {"name": "iniciatīva"}, "Pievienot: iniciatīva"),
    (" By %(filter_title)s ", {"filter_title": "konkurss"}, " Filtrs: konkurss "),
    ("Filter by %(field_name)s", {"field_name": "sākums"}, "Filtrs: sākums"),
    (
        "Delete selected %(verbose_name_plural)s",
        {"verbose_name_plural": "konkursi"},
        "Dzēst izvēlētos: konkursi",
    ),
    ("Add another %(verbose_name)s", {"verbose_name": "Kritērijs"}, "Pievienot vēl: Kritērijs"),
    ("Search %(name)s", {"name": "iniciatīvas"}, "Meklēt: iniciatīvas"),
    ("%(full_result_count)s total", {"full_result_count": 21}, "kopā 21"),
    ("0 of %(cnt)s selected", {"cnt": 21}, "Atzīmēti: 0 no 21"),
    (
        "Successfully deleted %(count)d %(items)s.",
        {"count": 21, "items": "konkursi"},
        "Dzēsti ieraksti: 21 (konkursi).",
    ),
    (
        "The {name} “{obj}” was changed successfully.",
        {"name": "iniciatīva", "obj": "Talka"},
        "Ieraksts (iniciatīva) “Talka” saglabāts.",
    ),
]


@pytest.mark.parametrize(("msgid", "noun", "expected"), GENERIC_PHRASES)
def test_the_admins_phrases_around_a_model_name(msgid, noun, expected):
    with translation.override("lv"):
        assert translation.gettext(msgid) % noun == expected


@pytest.mark.parametrize(("msgid", "params", "expected"), NAMED_PHRASES)
def test_the_admins_phrases_with_named_values(msgid, params, expected):
    with translation.override("lv"):
        text = translation.gettext(msgid)
    formatted = text.format(**params) if "{" in msgid else text % params
    assert formatted == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "Rezultāti: 1"), (3, "Rezultāti: 3"), (0, "Rezultāti: 0"), (21, "Rezultāti: 21")],
)
def test_the_admins_result_count(count, expected):
    with translation.override("lv"):
        text = translation.ngettext("%(counter)s result", "%(counter)s results", count)
    assert text % {"counter": count} == expected


def test_the_event_changelist_date_hierarchy(client, superuser):
    EventFactory.create_batch(2, centre=ResourceCentreFactory())

    response = client.get("/admin/events/event/")

    doc = parse(response.content)
    assert doc.select_one("#date-hierarchy-label").text == "Filtrs: sākums"
    assert "Filter by" not in response.content.decode()
    assert_none_of(WRONG_ADMIN, response)


def test_the_admin_scripts_speak_latvian(client, superuser):
    response = client.get("/admin/jsi18n/")

    source = response.content.decode()
    catalogue_source = r"const newcatalog = (\{.*?\});\s*for \(const key in newcatalog\)"
    catalogue = json.loads(re.search(catalogue_source, source, re.S)[1])
    plural = re.search(r"const v = (.*?);", source)[1]
    assert plural == "(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2)"
    ahead = catalogue[
        "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour ahead.)"
    ]
    assert ahead == [
        "Piezīme: laiku ievadiet %(timezone)s laika joslā. (Jūsu pulkstenis ir par %(offset)s "
        "stundu priekšā.)",
        "Piezīme: laiku ievadiet %(timezone)s laika joslā. (Jūsu pulkstenis ir par %(offset)s "
        "stundām priekšā.)",
        "Piezīme: laiku ievadiet %(timezone)s laika joslā. (Jūsu pulkstenis ir par %(offset)s "
        "stundām priekšā.)",
    ]
    assert catalogue["%(sel)s of %(cnt)s selected"] == ["Atzīmēti: %(sel)s no %(cnt)s"] * 3
    assert catalogue["server"] == "servera"
    assert catalogue["6 p.m."] == "18.00"
    assert catalogue["%(month)s %(day)s, %(year)s"] == "%(year)s. gada %(day)s. %(month)s"
