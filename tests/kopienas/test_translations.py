"""The interface translations: English under /en/, Latvian plurals, and complete catalogues.

The msgids are Latvian, so locale/lv only needs the plural forms; locale/en must translate
every string. Adding a string to the code without `make messages` and an English translation
fails `test_catalogues_match_the_code` and `test_english_catalogue_is_complete`.
"""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import ResourceCentreFactory, populate_centre
from tests.html import definitions, parse

LOCALE = Path(settings.BASE_DIR) / "locale"
CENTRES_FOUND = ("Atrasts %(counter)s centrs", "Atrasti %(counter)s centri")
LATVIAN_LETTERS = re.compile(r"[āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ]")


# --- A small PO reader (polib is not a dependency) -------------------------------------------


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file (the header first): msgctxt, msgid, msgid_plural, msgstr, flags.

    `msgstr` is a list: one string, or one per plural form. Obsolete (`#~`) entries are skipped.
    """
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        entry = {"msgctxt": None, "msgid_plural": None, "flags": set(), "msgstr": {}}
        field = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif match := re.match(
                r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?) (.*)$", line
            ):
                keyword, index, value = match.groups()
                if keyword.startswith("msgstr"):
                    field = ("msgstr", int(index or 0))
                    entry["msgstr"][field[1]] = _unquote(value)
                else:
                    field = (keyword, None)
                    entry[keyword] = _unquote(value)
            elif line.startswith('"'):
                if field[0] == "msgstr":
                    entry["msgstr"][field[1]] += _unquote(line)
                else:
                    entry[field[0]] += _unquote(line)
        entry["msgstr"] = [entry["msgstr"][i] for i in sorted(entry["msgstr"])]
        entries.append(entry)
    return entries


def _header(entries: list[dict]) -> tuple[dict, dict[str, str]]:
    header = entries[0]
    assert header["msgid"] == "" and header["msgctxt"] is None
    fields = dict(line.split(": ", 1) for line in header["msgstr"][0].splitlines() if ": " in line)
    return header, fields


def _messages(entries: list[dict]) -> list[dict]:
    return entries[1:]


def _key(entry: dict) -> tuple:
    return (entry["msgctxt"], entry["msgid"], entry["msgid_plural"])


def _django_plural_forms(language: str) -> str:
    po = Path(django.__file__).parent / "conf" / "locale" / language / "LC_MESSAGES" / "django.po"
    _, fields = _header(read_po(po))
    return fields["Plural-Forms"]


# --- English pages -----------------------------------------------------------------------------


def test_english_home_page_chrome(client, latgale):
    response = client.get("/en/")

    assert response.status_code == 200
    doc = parse(response.content)
    assert doc.select_one("html").get("lang") == "en"
    assert doc.select_one("title").text == "Home · Active Communities"
    assert doc.select_one("a.skip-link").text == "Skip to content"
    assert doc.select_one(".brand span").text == "Active Communities"
    assert doc.select_one("nav.site-nav").get("aria-label") == "Main navigation"
    assert doc.texts("nav.site-nav a") == [
        "Resource centres",
        "Communities",
        "Events",
        "Initiatives",
        "Model",
        "Signposts",
        "Grant rounds",
        "Log in",
    ]
    assert doc.select_one("nav.lang-switch").get("aria-label") == "Language"
    # Each language is named in itself.
    assert doc.texts("nav.lang-switch li") == ["Latviešu", "English"]
    assert doc.texts(".hero .actions a") == ["Find a resource centre", "How the model works"]
    assert doc.texts("h2") == [
        "The initiative in numbers",
        "Elements of the model",
        "Testimonial",
        "Community resource centres",
    ]
    assert doc.select_one("footer p").text == (
        "Active Communities is an initiative of the Education Initiatives Centre and the "
        "British Council in Latvia, running in Latgale since 2019."
    )
    assert doc.texts("footer .footer-links a") == [
        "Education Initiatives Centre",
        "British Council",
        "About the initiative",
        "The initiative in numbers",
        "Privacy",
    ]


def test_english_centre_list(client, latgale):
    response = client.get("/en/centri/")

    assert response.status_code == 200
    doc = parse(response.content)
    assert doc.select_one("title").text == "Community resource centres · Active Communities"
    assert doc.select_one("h1").text == "Community resource centres"
    assert doc.texts("form.filters label") == ["Search", "Municipality", "Sort by distance from"]
    assert doc.select_one("#q-help").text == (
        "Name, town or village, municipality or host organisation"
    )
    assert doc.texts("select[name=novads] option")[0] == "All municipalities"
    assert doc.select_one("form.filters button[type=submit]").text == "Search"
    assert doc.select_one("p.result-count").text == "10 centres found"
    assert doc.select_one("a.skip-map").text == "Skip the map and go to the list of centres"
    assert doc.select_one("div.map").get("aria-label") == "Map of resource centres"


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"q": "preili"}, "1 centre found"),
        ({"q": "nekas tāds"}, "0 centres found"),
    ],
)
def test_english_result_count_is_plural_aware(client, latgale, params, count):
    doc = parse(client.get("/en/centri/", params).content)

    assert doc.select_one("p.result-count").text == count


def test_english_centre_detail(client, db):
    populate_centre(
        ResourceCentreFactory(
            slug="livani",
            contact_person="Anna Bērziņa",
            phone="+371 6000 0000",
            email="livani@example.lv",
            coords_approximate=True,
            step_free_entrance=True,
            accessible_toilet=False,
        )
    )

    doc = parse(client.get("/en/centri/livani/").content)

    assert doc.select_one("p.breadcrumbs a").text == "Resource centres"
    assert doc.select_one("p.lead").text == "Līvāni, Augšdaugavas novads · Indoors"
    assert doc.texts("h2") == [
        "Photos",
        "Equipment and rooms",
        "Community",
        "Upcoming events",
        "Contact details and location",
    ]
    assert doc.select_one("ul.equipment .tag").text == "Equipment"
    assert [term for term, _ in definitions(doc.select_one("dl.facts"))] == [
        "Host organisation",
        "Address",
        "Opening hours",
        "Contact person",
        "Phone",
        "Email",
    ]
    assert definitions(doc.select_one("dl.facts"))[2] == ("Opening hours", "Contact the centre.")
    assert doc.select_one(".centre-facts h3").text == "Accessibility"
    assert doc.texts("ul.access li") == [
        "Step-free entrance: yes",
        "Accessible toilet: no",
        "Parking: not known",
    ]
    assert doc.select_one("p.notice").text == (
        "The map shows an approximate location – the centre of the town or village. "
        "Ask the centre for the exact location."
    )
    assert doc.select_one("div.map").get("aria-label") == "Centre location on the map"
    assert doc.select_one("#centra-vieta a").text == "Open in OpenStreetMap"
    assert doc.select_one("#centra-vieta li").text.startswith("Coordinates: 56.35420, 26.17610")


def test_english_not_found_page(client, db):
    response = client.get("/en/nav-tada/")

    assert response.status_code == 404
    doc = parse(response.content)
    assert doc.select_one("html").get("lang") == "en"
    assert doc.select_one("title").text == "Page not found · Active Communities"
    assert doc.select_one("h1").text == "Page not found"
    assert doc.select(".prose p")[0].text == (
        "This page does not exist or has moved. Check the address or start from the home page."
    )
    assert doc.texts(".prose p a") == ["Go to the home page", "Resource centres"]
    assert doc.select_one("a.skip-link").text == "Skip to content"


@pytest.mark.parametrize("url", ["/en/centri/", "/en/kopienas/", "/en/celazimes/", "/en/nav-tada/"])
def test_no_latvian_left_in_english_pages_without_content(client, db, url):
    """With an empty database every word on these pages is the interface's own."""
    doc = parse(client.get(url).content)

    texts = [doc.select_one("title").text, doc.select_one("body").text]
    texts += [
        el.get(attr)
        for el in doc.iter()
        for attr in ("aria-label", "alt", "title", "placeholder", "content")
        if el.get(attr)
    ]
    # The language switcher names Latvian in Latvian, on purpose; the municipalities to sort
    # by distance from are proper names, the same in every language (core.municipalities).
    proper_names = ["Latviešu", *doc.texts("select[name=tuvu] option")]
    for name in proper_names:
        texts = [text.replace(name, "") for text in texts]
    assert [text for text in texts if LATVIAN_LETTERS.search(text)] == []


# --- Latvian plurals and pages -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "Atrasti 0 centri"),
        (1, "Atrasts 1 centrs"),
        (2, "Atrasti 2 centri"),
        (10, "Atrasti 10 centri"),
        (11, "Atrasti 11 centri"),
        (21, "Atrasts 21 centrs"),
        (51, "Atrasts 51 centrs"),
        (111, "Atrasti 111 centri"),
        (121, "Atrasts 121 centrs"),
    ],
)
def test_latvian_plural_forms(count, expected):
    with translation.override("lv"):
        assert translation.ngettext(*CENTRES_FOUND, count) % {"counter": count} == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 centres found"),
        (1, "1 centre found"),
        (2, "2 centres found"),
        (21, "21 centres found"),
    ],
)
def test_english_plural_forms(count, expected):
    with translation.override("en"):
        assert translation.ngettext(*CENTRES_FOUND, count) % {"counter": count} == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "Atrasts 1 centrs"), (11, "Atrasti 11 centri"), (21, "Atrasts 21 centrs")],
)
def test_latvian_centre_list_counts_in_latvian(client, db, count, expected):
    ResourceCentreFactory.create_batch(count)

    doc = parse(client.get("/centri/").content)

    assert doc.select_one("p.result-count").text == expected


def test_latvian_pages_stay_latvian(client, latgale):
    doc = parse(client.get("/centri/").content)

    assert doc.select_one("html").get("lang") == "lv"
    assert doc.select_one("a.skip-link").text == "Pāriet uz saturu"
    assert doc.texts("nav.site-nav a") == [
        "Resursu centri",
        "Kopienas",
        "Pasākumi",
        "Iniciatīvas",
        "Modelis",
        "Ceļazīmes",
        "Konkursi",
        "Pieslēgties",
    ]
    assert doc.select_one("p.result-count").text == "Atrasti 10 centri"


def test_admin_stays_latvian_even_for_an_english_browser(client, db):
    # The admin's log-in is allauth's (kopienas/urls.py), reached at the Latvian address.
    response = client.get("/admin/login/", headers={"accept-language": "en"}, follow=True)

    doc = parse(response.content)
    assert response.redirect_chain == [("/konts/login/?next=%2Fadmin%2Flogin%2F", 302)]
    assert doc.select_one("html").get("lang") == "lv"
    assert doc.select_one("label[for=id_login]").text == "E-pasts:"


# --- The catalogues ------------------------------------------------------------------------------


def test_english_catalogue_is_complete():
    entries = read_po(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    header, fields = _header(entries)

    assert "fuzzy" not in header["flags"]
    assert fields["Language"] == "en"
    assert fields["Project-Id-Version"] == "darbigas-kopienas"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    messages = _messages(entries)
    assert len(messages) > 150
    assert [e["msgid"] for e in messages if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in messages if not all(e["msgstr"])] == []
    assert [e["msgid"] for e in messages if e["msgid_plural"] and len(e["msgstr"]) != 2] == []


def test_english_translations_keep_their_placeholders():
    placeholder = re.compile(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}")
    for entry in _messages(read_po(LOCALE / "en" / "LC_MESSAGES" / "django.po")):
        for msgstr in entry["msgstr"]:
            assert sorted(placeholder.findall(msgstr)) == sorted(
                placeholder.findall(entry["msgid"])
            ), entry["msgid"]


def test_latvian_catalogue_has_djangos_plural_rule_and_every_plural_form():
    entries = read_po(LOCALE / "lv" / "LC_MESSAGES" / "django.po")
    header, fields = _header(entries)

    assert "fuzzy" not in header["flags"]
    assert fields["Language"] == "lv"
    assert fields["Plural-Forms"] == _django_plural_forms("lv")
    messages = _messages(entries)
    assert [e["msgid"] for e in messages if "fuzzy" in e["flags"]] == []
    plurals = [e for e in messages if e["msgid_plural"]]
    assert plurals
    assert [e["msgid"] for e in plurals if len(e["msgstr"]) != 3 or not all(e["msgstr"])] == []
    # The rest are already Latvian: an empty msgstr shows the msgid.
    assert [e["msgid"] for e in messages if not e["msgid_plural"] and e["msgstr"] != [""]] == []


@pytest.mark.parametrize("language", ["en", "lv"])
def test_compiled_catalogue_matches_the_po_file(language):
    """The committed .mo (so `make run` needs no gettext) is compiled from the current .po."""
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)._catalog

    expected = {}
    for entry in _messages(read_po(folder / "django.po")):
        if not all(entry["msgstr"]):
            continue
        msgid = entry["msgid"]
        if entry["msgctxt"] is not None:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if entry["msgid_plural"]:
            expected.update({(msgid, i): form for i, form in enumerate(entry["msgstr"])})
        else:
            expected[msgid] = entry["msgstr"][0]
    catalogue = {key: value for key, value in catalogue.items() if key != ""}
    assert catalogue == expected


# Folders of the working tree that hold no source of the interface. Hidden folders (.git, .venv,
# caches) are left out as well, whatever their name.
IGNORED_FOR_MESSAGES = {
    "locale",
    "media",
    "staticfiles",
    "tests",
    "test-artifacts",
    "bench-data",
    "sent-mail",
    "build",
    "dist",
    "htmlcov",
    "node_modules",
    "__pycache__",
}


def _ignored_for_messages(folder: str, names: list[str]) -> list[str]:
    return [
        name
        for name in names
        if name in IGNORED_FOR_MESSAGES
        or name.startswith(".")
        or name.endswith(".egg-info")
        or name.startswith("db.sqlite3")
    ]


def _require_xgettext() -> None:
    """makemessages runs GNU gettext's xgettext; CI must have it, a developer may not."""
    if shutil.which("xgettext") is not None:
        return
    if os.environ.get("CI"):
        pytest.fail("GNU gettext (xgettext) is missing in CI: install Debian's gettext package")
    pytest.skip(
        "needs GNU gettext (xgettext) to run makemessages: `apt-get install gettext` "
        "(in CI, where CI is set, this is a failure, not a skip)"
    )


def test_catalogues_match_the_code(tmp_path):
    """`make messages` would add or drop nothing: every string in the code is in the .po files.

    A string added to the code without `make messages` (and an English translation) fails here
    on purpose, as does a string left in the catalogues after the code stopped using it.
    """
    _require_xgettext()
    copy = tmp_path / "project"
    # makemessages writes into locale/: run it on a copy, never on the working tree.
    shutil.copytree(Path(settings.BASE_DIR), copy, ignore=_ignored_for_messages)
    env = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "kopienas.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "-v0"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    fresh = {
        _key(e) for e in _messages(read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    }
    for language in ("en", "lv"):
        committed = {
            _key(e) for e in _messages(read_po(LOCALE / language / "LC_MESSAGES" / "django.po"))
        }
        assert {"missing": fresh - committed, "stale": committed - fresh} == {
            "missing": set(),
            "stale": set(),
        }, f"locale/{language}: run `make messages` and translate the new strings"
