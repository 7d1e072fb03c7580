"""Plural forms that agree with the number: ours, Django's and allauth's."""

import pytest
from django.template.defaultfilters import filesizeformat
from django.utils import translation

from tests.factories import EventFactory, ResourceCentreFactory
from tests.html import parse

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
