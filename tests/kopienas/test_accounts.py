"""Accounts through django-allauth: sign-up with a name, the verification mail, log-in, password
reset, rate limits on the shared cache, and the admin's log-in and two-factor rule."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.db import connection

from communities.models import Profile
from core import outbox
from core.models import OutgoingMail
from tests.factories import UserFactory, totp_code, verified_user, with_totp
from tests.factories.accounts import staff as staff_member
from tests.html import parse

User = get_user_model()
PASSWORD = "Ļoti-droša-parole-2026"
LINK = re.compile(r"http://testserver(/\S+/)")


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """allauth's mails go through the outbox: written in the request, sent once it commits.
    Each POST here runs its commit callbacks when it returns, as a real request's commit does."""
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit
    client.post_uncommitted = post
    return client


def signup(client, *, prefix="", **changes):
    data = {
        "first_name": "Anna",
        "last_name": "Bērziņa",
        "email": "anna@example.lv",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **changes,
    }
    return client.post(f"{prefix}/konts/signup/", data)


def errors(response) -> dict[str, list[str]]:
    """Each field's error messages as the page shows them, by the input they describe."""
    doc = parse(response.content)
    return {
        (ul.get("id") or "id___all___error").removeprefix("id_").removesuffix("_error"): [
            li.text for li in ul.select("li")
        ]
        for ul in doc.select("ul.errorlist")
    }


def test_sign_up_mails_a_latvian_verification_link_that_logs_the_person_in(client, db):
    response = signup(client)

    assert (response.status_code, response["Location"]) == (302, "/konts/confirm-email/")
    user = User.objects.get(email="anna@example.lv")
    assert (user.first_name, user.last_name, Profile.objects.filter(user=user).count()) == (
        "Anna",
        "Bērziņa",
        1,
    )
    assert client.get("/mans/").status_code == 302  # not yet signed in
    [message] = mail.outbox
    link = LINK.search(message.body)[1]
    assert (message.subject, message.to, message.from_email) == (
        "Darbīgās kopienas: Lūdzu, apstipriniet savu e-pasta adresi",
        ["anna@example.lv"],
        "Darbīgās kopienas <noreply@darbigaskopienas.lv>",
    )
    assert message.body.splitlines()[0] == "Sveiciens no „Darbīgās kopienas”!"
    assert message.body.splitlines()[-2] == "Paldies, ka izmantojat „Darbīgās kopienas”!"
    assert "lietotājs Anna Bērziņa ir norādījis jūsu e-pasta adresi" in message.body
    assert link.startswith("/konts/confirm-email/")

    page = client.get(link)
    confirmed = client.post(link)

    assert parse(page.content).select_one("main h1").text == "Apstipriniet e-pasta adresi"
    assert (confirmed.status_code, confirmed["Location"]) == (302, "/mans/")
    assert EmailAddress.objects.filter(user=user, verified=True, primary=True).count() == 1
    my_page = client.get("/mans/")
    assert my_page.status_code == 200
    assert parse(my_page.content).select_one("main p.lead").text == "Sveiki, Anna Bērziņa!"


def test_sign_up_under_en_mails_in_english(client, db):
    signup(client, prefix="/en", first_name="John", last_name="Smith", email="john@example.lv")

    [message] = mail.outbox
    [row] = OutgoingMail.objects.values_list("recipient", "kind", "language", "status")
    assert row == ("john@example.lv", "account/email/email_confirmation_signup", "en", "sent")
    assert message.subject == "Active Communities: Please Confirm Your Email Address"
    assert message.body.splitlines()[0] == "Hello from Active Communities!"
    assert LINK.search(message.body)[1].startswith("/en/konts/confirm-email/")


def test_the_sign_up_page_is_in_the_site_frame_with_labelled_fields(client, db):
    doc = parse(client.get("/konts/signup/").content)

    assert doc.select_one("title").text == "Reģistrēties · Darbīgās kopienas"
    assert doc.select_one("a.skip-link").get("href") == "#saturs"
    assert doc.select_one("main h1").text == "Reģistrēties"
    form = doc.select_one("main form.account-form")
    labels = {label.get("for"): label.text for label in form.select("label")}
    inputs = [el.get("id") for el in form.select("input") if el.get("type") != "hidden"]
    assert labels == {
        "id_email": "E-pasts:",
        "id_first_name": "Vārds:",
        "id_last_name": "Uzvārds:",
        "id_password1": "Parole:",
        "id_password2": "Parole (vēlreiz):",
    }
    assert inputs == ["id_first_name", "id_last_name", "id_email", "id_password1", "id_password2"]
    assert form.select_one("button").text == "Reģistrēties"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"first_name": "", "last_name": "  "},
            {"first_name": ["Šis lauks ir obligāts."], "last_name": ["Šis lauks ir obligāts."]},
        ),
        (
            {"first_name": "A" * 151},
            {"first_name": ["Ne vairāk kā 150 rakstzīmes (tagad 151)."]},
        ),
    ],
    ids=["empty", "too-long"],
)
def test_sign_up_refuses_bad_names_and_keeps_what_was_typed(client, db, changes, expected):
    response = signup(client, **changes)

    assert (response.status_code, errors(response)) == (200, expected)
    doc = parse(response.content)
    assert doc.select_one("input[name=email]").get("value") == "anna@example.lv"
    assert (User.objects.count(), mail.outbox) == (0, [])


def test_a_name_with_script_tags_is_kept_as_text_and_shown_escaped(client, db):
    name = "<script>alert(1)</script>"
    signup(client, first_name=name)
    link = LINK.search(mail.outbox[0].body)[1]
    client.post(link)

    response = client.get("/mans/")

    assert User.objects.get().first_name == name
    assert parse(response.content).select_one("main p.lead").text == f"Sveiki, {name} Bērziņa!"
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content


def test_log_in_is_refused_until_the_address_is_verified(client, db):
    user = UserFactory(email="anna@example.lv", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    response = client.post("/konts/login/", {"login": "anna@example.lv", "password": PASSWORD})

    assert (response.status_code, response["Location"]) == (302, "/konts/confirm-email/")
    assert client.get("/mans/").status_code == 302
    [message] = mail.outbox
    assert message.subject == "Darbīgās kopienas: Lūdzu, apstipriniet savu e-pasta adresi"


def test_a_verified_person_logs_in_and_lands_on_their_page(client, db):
    verified_user(email="anna@example.lv", password=PASSWORD)

    response = client.post("/konts/login/", {"login": "Anna@Example.lv", "password": PASSWORD})

    assert (response.status_code, response["Location"]) == (302, "/mans/")


def test_password_reset_mails_a_latvian_link_that_sets_a_new_password(client, db):
    user = verified_user(email="anna@example.lv", password="veca-parole-2025")

    response = client.post("/konts/password/reset/", {"email": "anna@example.lv"})

    assert (response.status_code, response["Location"]) == (302, "/konts/password/reset/done/")
    [message] = mail.outbox
    assert message.subject == "Darbīgās kopienas: Paroles atiestatīšanas e-pasts"
    assert message.body.splitlines()[0] == "Sveiciens no „Darbīgās kopienas”!"
    link = LINK.search(message.body)[1]
    form_page = client.get(link, follow=True)
    action = parse(form_page.content).select_one("main form.account-form").get("action")
    done = client.post(action, {"password1": PASSWORD, "password2": PASSWORD})
    assert (done.status_code, done["Location"]) == (302, "/konts/password/reset/key/done/")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_failed_logins_trip_the_rate_limit_counted_in_the_shared_cache(client, db):
    assert settings.CACHES["default"]["BACKEND"] == ("django.core.cache.backends.db.DatabaseCache")
    verified_user(email="anna@example.lv", password=PASSWORD)
    wrong = {"login": "anna@example.lv", "password": "nepareiza-parole"}

    answers = [errors(client.post("/konts/login/", wrong))["__all__"] for _ in range(6)]

    wrong_password = ["Nepareiza e-pasta adrese vai parole."]
    too_many = ["Pārāk daudz neveiksmīgu pieslēgšanās mēģinājumu. Mēģiniet vēlreiz vēlāk."]
    assert answers == [wrong_password] * 5 + [too_many]
    # Even the right password waits: the counter is per address (and per IP).
    right = client.post("/konts/login/", {"login": "anna@example.lv", "password": PASSWORD})
    assert errors(right)["__all__"] == too_many
    # The counts live in the database cache table, where every worker reads them.
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM kopienas_cache")
        assert cursor.fetchone()[0] > 0
    cache.clear()
    after_clearing = client.post(
        "/konts/login/", {"login": "anna@example.lv", "password": PASSWORD}
    )
    assert (after_clearing.status_code, after_clearing["Location"]) == (302, "/mans/")


def test_typos_of_many_people_on_one_network_lock_out_none_of_the_others(client, db):
    # A school or a library: one address for everyone, each person mistyping once or twice.
    for number in range(12):
        verified_user(email=f"skolens{number}@example.lv", password=PASSWORD)
    verified_user(email="anna@example.lv", password=PASSWORD)
    school = {"REMOTE_ADDR": "192.0.2.10"}

    for number in range(12):
        for _ in range(2):
            client.post(
                "/konts/login/",
                {"login": f"skolens{number}@example.lv", "password": "nepareiza"},
                **school,
            )
    right = client.post(
        "/konts/login/", {"login": "anna@example.lv", "password": PASSWORD}, **school
    )

    assert (right.status_code, right["Location"]) == (302, "/mans/")


# --- The admin ------------------------------------------------------------------------------


def staff(**kwargs):
    return verified_user(
        email="koordinatore@example.lv", password=PASSWORD, is_staff=True, **kwargs
    )


def test_the_admin_log_in_hands_over_to_allauth(client, db):
    first = client.get("/admin/")
    second = client.get(first["Location"])

    assert (first.status_code, first["Location"]) == (302, "/admin/login/?next=/admin/")
    assert (second.status_code, second["Location"]) == (302, "/konts/login/?next=%2Fadmin%2F")
    page = parse(client.get(second["Location"]).content)
    # "Sign In" as the whole site says it (locale_overrides), not allauth's "Ieiet".
    assert page.select_one("main h1").text == "Pieslēgties"
    assert page.select_one("main form input[name=next]").get("value") == "/admin/"


def test_staff_without_two_factor_set_it_up_on_their_first_visit_and_return_to_the_admin(
    client, db
):
    user = staff()

    logged_in = client.post(
        "/konts/login/",
        {"login": "koordinatore@example.lv", "password": PASSWORD, "next": "/admin/"},
    )
    admin = client.get(logged_in["Location"])
    # Right after logging in, no second password is asked before the first authenticator.
    setup = client.get(admin["Location"])
    secret = client.session["mfa.totp.secret"]
    code = totp_code(secret)
    activated = client.post("/konts/2fa/totp/activate/", {"code": code})
    codes = client.get(activated["Location"])

    assert (logged_in.status_code, logged_in["Location"]) == (302, "/admin/")
    assert (admin.status_code, admin["Location"]) == (
        302,
        "/konts/2fa/totp/activate/?next=%2Fadmin%2F",
    )
    doc = parse(setup.content)
    assert setup.status_code == 200
    assert doc.texts("ul.messages li") == [
        f"Sveiki, {user.get_full_name()}! Pieslēgšanās izdevās.",
        "Pārvaldībai drīkst piekļūt tikai ar divpakāpju autentifikāciju. "
        "Lūdzu, vispirms ieslēdziet to ar autentifikācijas lietotni.",
    ]
    assert doc.select_one("main h1").text == "Aktivizēt autentifikatora lietotni"
    assert doc.select_one("main img.qr-code").get("alt") != ""
    assert (activated.status_code, activated["Location"]) == (302, "/konts/2fa/recovery-codes/")
    # The recovery codes page leads back to where they were going.
    back = parse(codes.content).select_one("main a.continue")
    assert (back.get("href"), back.text) == ("/admin/", "Turpināt uz pārvaldību")
    assert client.get("/admin/").status_code == 200


def test_a_second_factor_is_turned_off_only_with_the_password_again(client, db):
    with_totp(staff())
    client.post("/konts/login/", {"login": "koordinatore@example.lv", "password": PASSWORD})
    code = totp_code()
    client.post("/konts/2fa/authenticate/", {"code": code})

    deactivate = client.get("/konts/2fa/totp/deactivate/")

    assert (deactivate.status_code, deactivate["Location"]) == (
        302,
        "/konts/reauthenticate/?next=%2Fkonts%2F2fa%2Ftotp%2Fdeactivate%2F",
    )


def test_staff_with_two_factor_are_asked_for_a_code_and_reach_the_admin(client, db):
    with_totp(staff())

    logged_in = client.post(
        "/konts/login/",
        {"login": "koordinatore@example.lv", "password": PASSWORD, "next": "/admin/"},
    )
    assert (logged_in.status_code, logged_in["Location"]) == (302, "/konts/2fa/authenticate/")
    code = totp_code()
    authenticated = client.post("/konts/2fa/authenticate/", {"code": code})

    assert (authenticated.status_code, authenticated["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200


def test_a_signed_in_person_without_staff_status_is_refused_the_admin_log_in(client, db):
    client.force_login(verified_user())

    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_two_factor_is_offered_to_everyone_from_their_page(client, db):
    user = verified_user()
    client.force_login(user)

    doc = parse(client.get("/mans/").content)

    assert [(a.text, a.get("href")) for a in doc.select("ul.account-links a")][:5] == [
        ("Profils: vārds, uzvārds, tālrunis", "/mans/profils/"),
        ("E-pasta adreses", "/konts/email/"),
        ("Mainīt paroli", "/konts/password/change/"),
        ("Divpakāpju autentifikācija", "/konts/2fa/"),
        ("Iziet", "/konts/logout/"),
    ]
    assert Authenticator.objects.count() == 0


# --- Every allauth page in the site's frame ------------------------------------------------------

ALLAUTH_PAGES_SIGNED_OUT = [
    "/konts/login/",
    "/konts/signup/",
    "/konts/password/reset/",
    "/konts/password/reset/done/",
    "/konts/confirm-email/",
    "/konts/inactive/",
    "/en/konts/login/",
]
ALLAUTH_PAGES_SIGNED_IN = [
    "/konts/email/",
    "/konts/password/change/",
    "/konts/logout/",
    "/konts/reauthenticate/",
    "/konts/2fa/",
    "/konts/2fa/totp/activate/",
    "/konts/2fa/recovery-codes/generate/",
]


def _frame_and_form_problems(response) -> list[str]:
    """What would make the page not ours or not usable: no skip link or navigation, an input
    without a label, inline styles or scripts without the CSP nonce."""
    doc = parse(response.content)
    problems = []
    if len(doc.select("a.skip-link")) != 1 or len(doc.select("nav.site-nav")) != 1:
        problems.append("not in the site frame")
    if len(doc.select("main h1")) != 1:
        problems.append("not one h1")
    labelled = {label.get("for") for label in doc.select("label")}
    for field in doc.select("main input") + doc.select("main select") + doc.select("main textarea"):
        if field.get("type") in {"hidden", "submit"}:
            continue
        if field.get("id") not in labelled:
            problems.append(f"unlabelled {field.get('name') or field.get('id')}")
    if doc.select("[style]") or doc.select("style"):
        problems.append("inline CSS")
    for script in doc.select("script"):
        if script.get("type") != "application/json" and script.get("nonce") is None:
            problems.append(f"script without nonce {script.get('src')}")
    return problems


@pytest.mark.parametrize("path", ALLAUTH_PAGES_SIGNED_OUT)
def test_signed_out_allauth_pages_are_ours_and_labelled(client, db, path):
    response = client.get(path)

    assert (response.status_code, _frame_and_form_problems(response)) == (200, [])


@pytest.mark.parametrize("path", ALLAUTH_PAGES_SIGNED_IN)
def test_signed_in_allauth_pages_are_ours_and_labelled(client, db, path):
    verified_user(email="anna@example.lv", password=PASSWORD)
    client.post("/konts/login/", {"login": "anna@example.lv", "password": PASSWORD})
    # Two-factor settings ask for the password again first.
    client.post("/konts/reauthenticate/", {"password": PASSWORD})

    response = client.get(path)

    assert (response.status_code, _frame_and_form_problems(response)) == (200, [])
    # Account management pages lead back to /mans/; the password prompt is an entrance page.
    breadcrumbs = [a.get("href") for a in parse(response.content).select("main .breadcrumbs a")]
    assert breadcrumbs == ([] if path == "/konts/reauthenticate/" else ["/mans/"])


def test_the_recovery_codes_page_loads_its_scripts_with_the_csp_nonce(client, db):
    user = with_totp(verified_user(email="anna@example.lv", password=PASSWORD))
    RecoveryCodes.activate(user)
    client.force_login(user)
    client.post("/konts/reauthenticate/", {"password": PASSWORD})

    response = client.get("/konts/2fa/recovery-codes/")

    doc = parse(response.content)
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])[1]
    assert (response.status_code, _frame_and_form_problems(response)) == (200, [])
    assert [(s.get("src"), s.get("nonce")) for s in doc.select("script") if s.get("src")] == [
        ("/static/mfa/js/recovery_codes.js", nonce),
        ("/static/account/js/onload.js", nonce),
    ]


def test_a_reset_link_is_never_shown_in_the_outbox_and_is_erased_once_sent(client, db):
    """allauth's mails are outbox rows like every other mail, but their text is a key to an
    account: a coordinator who reads the outbox must not be able to reset anyone's password."""
    verified_user(email="anna@example.lv", password="veca-parole-2025")
    coordinator = staff_member("Koordinatori")
    # The mail written but not yet sent: the worker has not run.
    client.post_uncommitted("/konts/password/reset/", {"email": "anna@example.lv"})
    pending = OutgoingMail.objects.get()
    link = LINK.search(pending.body)[1]
    client.force_login(coordinator)

    page = client.get(f"/admin/core/outgoingmail/{pending.pk}/change/")
    shown = parse(page.content).select_one(".field-text .readonly").text
    client.logout()
    outbox.deliver.call(pending.pk)
    pending.refresh_from_db()

    assert (pending.kind, pending.secret, link.startswith("/konts/password/reset/key/")) == (
        "account/email/password_reset_key",
        True,
        True,
    )
    assert (page.status_code, shown) == (
        200,
        "Netiek rādīts: vēstulē ir vienreizēja saite vai kods piekļuvei kontam. "
        "Pēc nosūtīšanas teksts tiek dzēsts.",
    )
    assert link not in page.content.decode()
    # Sent: the person got the link, and the row keeps no copy of it.
    [message] = mail.outbox
    assert (pending.status, pending.body, LINK.search(message.body)[1]) == ("sent", "–", link)
