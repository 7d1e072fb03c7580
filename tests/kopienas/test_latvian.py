"""The Latvian a person meets, ours and the libraries': cases and plural forms that read right.

Django's admin builds phrases from a model's name in the nominative ("Pievienot konkurss",
"Izdzēst izvēlēto konkursi"); locale_overrides/lv rewrites them with a colon or in parentheses,
so they read right with any noun. The plural forms of Django's, auth's and allauth's Latvian
were in the wrong order ("589 baits", "vismaz 8 rakstzīmei"); the overrides put them right.
Log in is "Pieslēgties" and log out "Iziet" everywhere; two-factor is "divpakāpju".
Each page is checked for the corrected phrases and for the absence of the wrong ones, which
are matched without regard to case: the admin shows some texts in capitals through CSS.
"""

import json
import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.template.defaultfilters import filesizeformat
from django.utils import translation

from grants.models import GrantRound
from initiatives.models import Initiative
from tests.factories import (
    CommunityFactory,
    EventFactory,
    ResourceCentreFactory,
    verified_user,
    with_totp,
)
from tests.factories.grants import GrantRoundFactory, submitted_application
from tests.html import parse

User = get_user_model()
PASSWORD = "Ļoti-droša-parole-2026"

# Wrong Latvian that must appear nowhere, in any case.
WRONG_ACCOUNTS = [
    "piereģistrējaties",
    "spiedied šeit",
    "rakstzīmei.",  # "vismaz 8 rakstzīmei"
    "neveiksmīgi pieslēgšanās mēģinājumi",
    "Ieiet",
    "Atslēgties",
    "divfaktoru",
]
WRONG_ADMIN = [
    "Last number",
    "Select an option",
    "Pievienot konkurss",
    "Pievienot iniciatīva",
    "Pievienot pieteikums",
    "Izdzēst izvēlēto",
    "Atlasīt konkurss",
    "Atlasīt pieteikums",
    "Atlasīt iniciatīva",
    "Labot konkurss",
    "Pēc konkurss",
    "Pēc statuss",
    "Pēc gads",
    "iznākum",
    "Pavisam",
    "Atlasīti 0 no",
    "1 konkurss",
    "tika sekmīgi",
    "Atslēgties",
    "divfaktoru",
    "Authenticators",
]


def assert_none_of(wrong: list[str], response) -> None:
    html = response.content.decode().casefold()
    assert [text for text in wrong if text.casefold() in html] == []


def login(client, email="anna@example.lv"):
    verified_user(email=email, password=PASSWORD)
    response = client.post("/konts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302


# --- Our plurals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "Atrasti 0 pasākumi"),
        (1, "Atrasts 1 pasākums"),
        (2, "Atrasti 2 pasākumi"),
        (5, "Atrasti 5 pasākumi"),
        (11, "Atrasti 11 pasākumi"),
        (21, "Atrasts 21 pasākums"),
    ],
)
def test_the_events_list_counts_in_latvian(client, db, count, expected):
    EventFactory.create_batch(count, centre=ResourceCentreFactory())

    doc = parse(client.get("/pasakumi/").content)

    assert doc.select_one("p.result-count").text == expected


# Every plural of ours, in the three Latvian forms: one (1, 21), several (2, 5, 11) and zero.
OUR_PLURALS = [
    (
        ("%(counter)s brīva vieta", "%(counter)s brīvas vietas"),
        {0: "0 brīvas vietas", 1: "1 brīva vieta", 5: "5 brīvas vietas", 21: "21 brīva vieta"},
    ),
    (
        ("Jums ir rezervēta %(counter)s vieta.", "Jums ir rezervētas %(counter)s vietas."),
        {0: "Jums ir rezervētas 0 vietas.", 2: "Jums ir rezervētas 2 vietas."},
    ),
    (
        ("Brīva %(counter)s vieta no %(capacity)s.", "Brīvas %(counter)s vietas no %(capacity)s."),
        {0: "Brīvas 0 vietas no 20.", 1: "Brīva 1 vieta no 20.", 11: "Brīvas 11 vietas no 20."},
    ),
    (
        ("%(counter)s vieta", "%(counter)s vietas"),
        {0: "0 vietas", 1: "1 vieta", 2: "2 vietas", 11: "11 vietas", 21: "21 vieta"},
    ),
    (
        ("%(counter)s ieraksts", "%(counter)s ieraksti"),
        {0: "0 ieraksti", 1: "1 ieraksts", 5: "5 ieraksti", 11: "11 ieraksti", 21: "21 ieraksts"},
    ),
    (
        (
            "%(count)s pieteikums netika atzīmēts: pasākums vēl nav sācies.",
            "%(count)s pieteikumi netika atzīmēti: pasākums vēl nav sācies.",
        ),
        {0: "0 pieteikumi netika atzīmēti: pasākums vēl nav sācies."},
    ),
    (
        ("Pasākumā ir tikai %(capacity)s vieta.", "Pasākumā ir tikai %(capacity)s vietas."),
        {0: "Pasākumā ir tikai 0 vietas.", 1: "Pasākumā ir tikai 1 vieta."},
    ),
    (
        (
            "Ne vairāk kā %(limit_value)d rakstzīme (tagad %(show_value)d).",
            "Ne vairāk kā %(limit_value)d rakstzīmes (tagad %(show_value)d).",
        ),
        {21: "Ne vairāk kā 21 rakstzīme (tagad 22).", 30: "Ne vairāk kā 30 rakstzīmes (tagad 31)."},
    ),
]


@pytest.mark.parametrize(
    ("messages", "count", "expected"),
    [(messages, count, text) for messages, cases in OUR_PLURALS for count, text in cases.items()],
)
def test_our_plurals_agree_with_the_number(messages, count, expected):
    params = {
        "counter": count,
        "count": count,
        "capacity": 20 if "%(counter)s vieta no" in messages[0] else count,
        "limit_value": count,
        "show_value": count + 1,
    }
    with translation.override("lv"):
        assert translation.ngettext(*messages, count) % params == expected


@pytest.mark.parametrize(
    ("limit", "attachments", "pixels"),
    [
        (1, "ne vairāk kā 1 pielikums.", "atļauts ne vairāk kā 1 megapikselis."),
        (2, "ne vairāk kā 2 pielikumi.", "atļauti ne vairāk kā 2 megapikseļi."),
        (10, "ne vairāk kā 10 pielikumi.", "atļauti ne vairāk kā 10 megapikseļi."),
        (21, "ne vairāk kā 21 pielikums.", "atļauts ne vairāk kā 21 megapikselis."),
    ],
)
def test_upload_limits_agree_with_the_number(limit, attachments, pixels):
    from core.images import too_many_pixels
    from grants.services.attachments import limit_message

    with translation.override("lv"):
        assert limit_message("tāme.pdf", limit) == (
            f"Datne „tāme.pdf” netika pievienota: pieteikumam var būt {attachments}"
        )
        assert too_many_pixels(limit * 1_000_000).messages == [f"Attēls ir pārāk liels: {pixels}"]


# --- Django's and allauth's plurals -------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "expected"),
    [(0, "0 baiti"), (1, "1 baits"), (2, "2 baiti"), (11, "11 baiti"), (21, "21 baits")],
)
def test_file_sizes(size, expected):
    with translation.override("lv"):
        assert filesizeformat(size).replace("\xa0", " ") == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "Pārliecinieties, ka vērtībā ir ne vairāk kā 0 rakstzīmes (tajā ir 5)."),
        (1, "Pārliecinieties, ka vērtībā ir ne vairāk kā 1 rakstzīme (tajā ir 5)."),
        (2, "Pārliecinieties, ka vērtībā ir ne vairāk kā 2 rakstzīmes (tajā ir 5)."),
        (11, "Pārliecinieties, ka vērtībā ir ne vairāk kā 11 rakstzīmes (tajā ir 15)."),
        (21, "Pārliecinieties, ka vērtībā ir ne vairāk kā 21 rakstzīme (tajā ir 25)."),
    ],
)
def test_djangos_max_length_message(count, expected):
    from django.core.exceptions import ValidationError
    from django.core.validators import MaxLengthValidator

    with translation.override("lv"), pytest.raises(ValidationError) as refused:
        MaxLengthValidator(count)("ā" * (count + 4 if count > 2 else 5))
    with translation.override("lv"):
        assert refused.value.messages == [expected]


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "Pieejams 1 atkopšanas kods no 10."),
        (2, "Pieejami 2 atkopšanas kodi no 10."),
        (0, "Pieejami 0 atkopšanas kodi no 10."),
        (11, "Pieejami 11 atkopšanas kodi no 12."),
        (21, "Pieejams 21 atkopšanas kods no 30."),
    ],
)
def test_allauths_recovery_code_count(count, expected):
    total = {11: 12, 21: 30}.get(count, 10)
    with translation.override("lv"):
        text = translation.ngettext(
            "There is %(unused_count)s out of %(total_count)s recovery codes available.",
            "There are %(unused_count)s out of %(total_count)s recovery codes available.",
            count,
        )
    assert text % {"unused_count": count, "total_count": total} == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "Mainīti ieraksti: 1 (pieteikums)."), (21, "Mainīti ieraksti: 21 (pieteikums).")],
)
def test_the_admins_changed_message_reads_right_for_any_count(count, expected):
    with translation.override("lv"):
        text = translation.ngettext(
            "%(count)s %(name)s was changed successfully.",
            "%(count)s %(name)s were changed successfully.",
            count,
        )
    assert text % {"count": count, "name": "pieteikums"} == expected


# --- Accounts ------------------------------------------------------------------------------------


def test_the_login_page(client, db):
    response = client.get("/konts/login/")

    doc = parse(response.content)
    assert doc.select_one("main h1").text == "Pieslēgties"
    assert doc.select_one("main p").text == (
        "Ja jums vēl nav konta, lūdzu, vispirms reģistrējieties."
    )
    assert doc.select_one("main form button[type=submit]").text == "Pieslēgties"
    assert_none_of(WRONG_ACCOUNTS, response)


def test_the_signup_page_and_its_password_errors(client, db):
    page = client.get("/konts/signup/")
    refused = client.post(
        "/konts/signup/",
        {"first_name": "Anna", "last_name": "Bērziņa", "email": "a@example.lv"}
        | {"password1": "abc", "password2": "abc"},
    )

    doc = parse(page.content)
    assert doc.texts("main p") == [
        "Jums jau ir konts? Pieslēdzieties.",
        "Kā izmantojam šajā veidlapā norādītos datus, lasiet privātuma paziņojumā.",
    ]
    assert "Parolē jābūt vismaz 8 rakstzīmēm." in doc.texts("main form li")
    errors = parse(refused.content).text
    assert "Šī parole ir pārāk īsa. Tajā jābūt vismaz 8 rakstzīmēm." in errors
    for response in (page, refused):
        assert_none_of(WRONG_ACCOUNTS, response)


def test_too_many_failed_logins(client, db):
    verified_user(email="anna@example.lv", password=PASSWORD)
    wrong = {"login": "anna@example.lv", "password": "nepareiza-parole"}

    responses = [client.post("/konts/login/", wrong) for _ in range(6)]

    assert "Nepareiza e-pasta adrese vai parole." in parse(responses[0].content).text
    assert (
        "Pārāk daudz neveiksmīgu pieslēgšanās mēģinājumu. Mēģiniet vēlreiz vēlāk."
        in parse(responses[-1].content).text
    )
    assert_none_of(WRONG_ACCOUNTS, responses[-1])


def test_the_password_reset_and_logout_pages(client, db):
    reset = client.get("/konts/password/reset/")
    login(client)
    logout = client.get("/konts/logout/")

    reset_doc = parse(reset.content)
    assert reset_doc.select_one("main h1").text == "Paroles atiestatīšana"
    assert (
        "Aizmirsāt paroli? Ievadiet savu e-pasta adresi, un mēs nosūtīsim e-pastu paroles "
        "atiestatīšanai." in reset_doc.texts("main p")
    )
    assert reset_doc.select_one("main form button[type=submit]").text == "Atiestatīt paroli"
    logout_doc = parse(logout.content)
    assert logout_doc.select_one("main h1").text == "Iziet"
    assert "Vai tiešām vēlaties iziet?" in logout_doc.texts("main p")
    for response in (reset, logout):
        assert_none_of(WRONG_ACCOUNTS, response)


def test_turning_on_two_step_authentication(client, db):
    login(client)

    setup = client.get("/konts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    wrong = client.post("/konts/2fa/totp/activate/", {"code": "000000"})
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    activated = client.post("/konts/2fa/totp/activate/", {"code": code})
    codes = client.get(activated["Location"])
    index = client.get("/konts/2fa/")
    generate = client.get("/konts/2fa/recovery-codes/generate/")

    assert (
        "Lai aizsargātu kontu ar divpakāpju autentifikāciju, noskenējiet zemāk redzamo QR kodu "
        "ar autentifikatora lietotni un pēc tam ievadiet lietotnes izveidoto kodu."
        in parse(setup.content).texts("main p")
    )
    assert "Nepareizs kods." in parse(wrong.content).text
    assert parse(codes.content).select_one("main h1").text == "Atkopšanas kodi"
    index_doc = parse(index.content)
    assert index_doc.select_one("main h1").text == "Divpakāpju autentifikācija"
    assert "Pieejami 10 atkopšanas kodi no 10." in index_doc.texts("main p")
    assert (
        "Jūs gatavojaties izveidot savam kontam jaunus atkopšanas kodus. Līdzšinējie kodi vairs "
        "nebūs derīgi. Vai tiešām?" in parse(generate.content).texts("main p")
    )
    for response in (setup, wrong, codes, index, generate):
        assert response.status_code == 200
        assert_none_of(WRONG_ACCOUNTS, response)


def test_the_csrf_failure_page(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/konts/login/", {"login": "a@example.lv"})

    assert response.status_code == 403
    assert (
        "Jūs redzat šo ziņojumu, jo šī vietne, iesniedzot veidlapas, prasa CSRF sīkdatni. "
        "Sīkdatne vajadzīga drošības dēļ: tā ļauj pārliecināties, ka jūsu pārlūku neizmanto "
        "trešās puses." in parse(response.content).texts("p")
    )
    assert "Tu redzi" not in response.content.decode()


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
        slug="talka", title="Talka", community=CommunityFactory(), year=2025, status="completed"
    )

    changelist = client.get("/admin/initiatives/initiative/")
    add = client.get("/admin/initiatives/initiative/add/")
    change = client.get(f"/admin/initiatives/initiative/{initiative.pk}/change/")
    delete = client.get(f"/admin/initiatives/initiative/{initiative.pk}/delete/")

    doc = parse(changelist.content)
    assert doc.select_one("#content h1").text == "Izvēlieties ierakstu (iniciatīva), ko mainīt"
    assert object_tools(doc) == ["Pievienot: iniciatīva"]
    assert doc.texts("#changelist-filter summary") == [
        "Filtrs: statuss",
        "Filtrs: gads",
        "Filtrs: kopiena",
    ]
    add_doc = parse(add.content)
    assert add_doc.select_one("#content h1").text == "Pievienot: iniciatīva"
    assert "Saglabāt un pievienot vēl" in [
        button.get("value") for button in add_doc.select(".submit-row input")
    ]
    assert parse(change.content).select_one("#content h1").text == "Mainīt: iniciatīva"
    assert parse(delete.content).select_one("#content p").text == (
        "Vai tiešām dzēst ierakstu (iniciatīva) “Kopienas dārzs”? Tiks dzēsti arī visi šie "
        "saistītie ieraksti:"
    )
    for page in (changelist, add, change, delete):
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
