"""The Latvian of the account pages: log in, sign up, password reset, two-step authentication."""

from tests.factories import totp_code, verified_user
from tests.html import parse
from tests.kopienas.latvian_support import PASSWORD, WRONG_ACCOUNTS, assert_none_of, login

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
    code = totp_code(secret)
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
