"""Shared by the Latvian tests: the wrong Latvian that must appear nowhere, and logging in.

Split by concern from test_latvian.py, which said:
The Latvian a person meets, ours and the libraries': cases and plural forms that read right.

Django's admin builds phrases from a model's name in the nominative ("Pievienot konkurss",
"Izdzēst izvēlēto konkursi"); locale_overrides/lv rewrites them with a colon or in parentheses,
so they read right with any noun. The plural forms of Django's, auth's and allauth's Latvian
were in the wrong order ("589 baits", "vismaz 8 rakstzīmei"); the overrides put them right.
Log in is "Pieslēgties" and log out "Iziet" everywhere; two-factor is "divpakāpju".
Each page is checked for the corrected phrases and for the absence of the wrong ones, which
are matched without regard to case: the admin shows some texts in capitals through CSS.
"""

from django.contrib.auth import get_user_model

from tests.factories import verified_user

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
