"""Latvian formats, the one place that writes money, dates and times (DESIGN §8 "Language").

Every moment is shown in Europe/Riga time, whatever the server's zone: the platform's people
live there. Latvian writes a date "2026. gada 26. novembris", a time "14.00" and a moment
inside a sentence with the month in the locative ("iesniegts 2026. gada 26. novembrī plkst.
14.00"); English writes "26 November 2026, 14:00". Templates reach these through the
`latvian` template library (core/templatetags/latvian.py).
"""

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.utils import dateformat, timezone
from django.utils.translation import get_language

RIGA = ZoneInfo("Europe/Riga")
NBSP = "\u00a0"
CENT = Decimal("0.01")

# Django's own lv DATE_FORMAT, with the time the way Latvian writes it ("plkst. 14.00").
_DATETIME_FORMATS = {
    "lv": r"Y. \g\a\d\a j. F \p\l\k\s\t. H.i",
    "en": r"j F Y, H:i",
}
_DATE_FORMATS = {"lv": r"Y. \g\a\d\a j. F", "en": r"j F Y"}
_TIME_FORMATS = {"lv": "H.i", "en": "H:i"}
# A day of the year without the year, as opening hours' exceptions name it: "24.12.", "24 Dec".
_DAY_MONTH_FORMATS = {"lv": "d.m.", "en": "j M"}

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


def language() -> str:
    """The interface language in use, as one of the site's codes: "en" under /en/, else "lv"."""
    return "en" if (get_language() or "lv").startswith("en") else "lv"


def riga(value: datetime) -> datetime:
    """The moment on Riga's wall clock."""
    return timezone.localtime(value, RIGA)


def riga_today() -> date:
    return riga(timezone.now()).date()


def riga_datetime(value: datetime | None) -> str:
    """ "2026. gada 26. novembris plkst. 14.00" in Europe/Riga time."""
    if value is None:
        return ""
    return dateformat.format(riga(value), _DATETIME_FORMATS[language()])


def riga_datetime_in(value: datetime | None) -> str:
    """A moment inside a sentence: "2026. gada 26. novembrī plkst. 14.00" (riga_datetime is
    the label form, "26. novembris"); English as riga_datetime."""
    if value is None:
        return ""
    if language() == "en":
        return riga_datetime(value)
    moment = riga(value)
    month = _LOCATIVE_MONTHS[moment.month - 1]
    return f"{moment.year}. gada {moment.day}. {month} plkst. {moment:%H.%M}"


def riga_time(value: datetime | None) -> str:
    """ "14.00" in Latvian, "14:00" in English, on Riga's clock."""
    if value is None:
        return ""
    return dateformat.format(riga(value), _TIME_FORMATS[language()])


def time_of_day(value: time | None) -> str:
    """A wall-clock time that belongs to no date (opening hours): "09.00", under English
    "09:00"."""
    if value is None:
        return ""
    return dateformat.time_format(value, _TIME_FORMATS[language()])


def day_and_month(value: date) -> str:
    """ "24.12." in Latvian, "24 Dec" in English."""
    return dateformat.format(value, _DAY_MONTH_FORMATS[language()])


def riga_period(starts: datetime | None, ends: datetime | None) -> str:
    """When an event takes place, with its weekday: "ceturtdiena, 2026. gada 11. decembris
    plkst. 17.00–19.00", or with both dates when it ends on another day."""
    if starts is None:
        return ""
    start = riga(starts)
    weekday = dateformat.format(start, "l")
    if ends is None:
        return f"{weekday}, {riga_datetime(starts)}"
    end = riga(ends)
    if end.date() == start.date():
        return f"{weekday}, {riga_datetime(starts)}–{riga_time(ends)}"
    return f"{weekday}, {riga_datetime(starts)} – {riga_datetime(ends)}"


def latvian_date(value: date | datetime | None) -> str:
    """ "2026. gada 26. novembris"; a moment is first read on Riga's clock."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = riga(value)
    return dateformat.format(value, _DATE_FORMATS[language()])


def iso(value: date | datetime | None) -> str | None:
    """A date or moment for machines (exports, JSON): ISO 8601, a moment with Riga's offset."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return riga(value).isoformat()
    return value.isoformat()


def html_datetime(value: datetime | None) -> str:
    """A moment for HTML's `datetime` attribute: "2026-11-26T14:00:00+02:00", on Riga's clock to
    the second. HTML allows at most three digits of a fraction of a second; isoformat() writes
    six whenever there are any."""
    if value is None:
        return ""
    return riga(value).isoformat(timespec="seconds")


def spreadsheet_datetime(value: datetime) -> str:
    """ "2026-11-26 14:00" on Riga's clock: the form spreadsheets sort and read as a moment."""
    return riga(value).strftime("%Y-%m-%d %H:%M")


def count(value: int) -> str:
    """A whole number as Latvian writes it: "6 014", the thousands apart by a non-breaking
    space (and "6,014" under English)."""
    groups = _thousands(str(abs(int(value))))
    sign = "−" if int(value) < 0 else ""
    return sign + ("," if language() == "en" else NBSP).join(groups)


def to_cents(value) -> Decimal:
    """A euro amount rounded half-up to cents, the way the grant rules count money."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def money(value) -> str:
    """ "1 234,50 €" (non-breaking spaces) under Latvian, "€1,234.50" under English."""
    if value is None or value == "":
        return ""
    try:
        amount = to_cents(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    sign = "−" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = _thousands(whole)
    if language() == "en":
        return f"{sign}€{','.join(groups)}.{cents}"
    return f"{sign}{NBSP.join(groups)},{cents}{NBSP}€"


def _thousands(digits: str) -> list[str]:
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return groups or ["0"]
