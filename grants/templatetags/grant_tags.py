"""Latvian money and Riga-time formats for the grant pages (DESIGN §8 "Language")."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django import template
from django.utils import dateformat, timezone
from django.utils.translation import get_language

from grants import permissions

register = template.Library()

RIGA = ZoneInfo("Europe/Riga")
NBSP = "\u00a0"

# Django's own lv DATE_FORMAT, with the time the way Latvian writes it ("plkst. 14.00").
_DATETIME_FORMATS = {
    "lv": r"Y. \g\a\d\a j. F \p\l\k\s\t. H.i",
    "en": r"j F Y, H:i",
}
_DATE_FORMATS = {"lv": r"Y. \g\a\d\a j. F", "en": r"j F Y"}
_TIME_FORMATS = {"lv": "H.i", "en": "H:i"}


def _language() -> str:
    return "en" if (get_language() or "lv").startswith("en") else "lv"


def riga(value: datetime) -> datetime:
    return timezone.localtime(value, RIGA)


@register.filter
def riga_datetime(value: datetime | None) -> str:
    """ "2026. gada 26. novembris plkst. 14.00" in Europe/Riga time, whatever the server's zone."""
    if value is None:
        return ""
    return dateformat.format(riga(value), _DATETIME_FORMATS[_language()])


# Inside a sentence Latvian puts the month in the locative: "iesniegts 26. novembrī".
_LOCATIVE_MONTHS = [
    "janvārī",
    "februārī",
    "martā",
    "aprīlī",
    "maijā",
    "jūnijā",
    "jūlijā",
    "augustā",
    "septembrī",
    "oktobrī",
    "novembrī",
    "decembrī",
]


@register.filter
def riga_datetime_in(value: datetime | None) -> str:
    """A moment inside a sentence: "2026. gada 26. novembrī plkst. 14.00" (riga_datetime is
    the label form, "26. novembris"); English as riga_datetime."""
    if value is None:
        return ""
    if _language() == "en":
        return riga_datetime(value)
    moment = riga(value)
    month = _LOCATIVE_MONTHS[moment.month - 1]
    return f"{moment.year}. gada {moment.day}. {month} plkst. {moment:%H.%M}"


@register.filter
def riga_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return dateformat.format(riga(value), _TIME_FORMATS[_language()])


@register.filter
def latvian_date(value: date | None) -> str:
    if value is None:
        return ""
    return dateformat.format(value, _DATE_FORMATS[_language()])


@register.filter
def money(value) -> str:
    """ "1 234,50 €" (non-breaking spaces) under Latvian, "€1,234.50" under English."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    sign = "−" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    if _language() == "en":
        return f"{sign}€{','.join(groups)}.{cents}"
    return f"{sign}{NBSP.join(groups)},{cents}{NBSP}€"


@register.filter
def editable(application) -> bool:
    return permissions.is_editable(application)
