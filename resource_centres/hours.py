"""When a resource centre is open: its weekly hours and the dates that differ, read as moments.

Reads only; writes go through resource_centres.services. Every moment is on Riga's wall clock
(core.formats.RIGA). A stored time such as 03.00 is built with
`datetime.combine(day, time, tzinfo=RIGA)`, so fold=0 decides the two days a year when the wall
clock is not one-to-one:

- on the last Sunday of March the clocks jump from 03.00 to 04.00: a time in between does not
  exist, and fold=0 reads it with the winter offset (+02:00), so "03.30" is the moment the clocks
  show 04.30; an interval 00.00–06.00 that day lasts 5 hours;
- on the last Sunday of October 03.00–04.00 happens twice: fold=0 is the first time (summer,
  +03:00); an interval 00.00–06.00 that day lasts 7 hours.

Python compares and subtracts datetimes that share one tzinfo by their wall-clock fields alone,
which is wrong on those days; so comparisons here are made in UTC.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from django.utils.translation import gettext, pgettext

from core.formats import RIGA, day_and_month, time_of_day

from .models import OpeningException, ResourceCentre, WeeklyHours

# describe() lists the exceptions from today up to this many days ahead.
EXCEPTION_HORIZON_DAYS = 30


def exception_window(today: date) -> tuple[date, date]:
    """The first and last date whose exceptions describe() shows (for prefetching them)."""
    return today, today + timedelta(days=EXCEPTION_HORIZON_DAYS)


class OpeningCalendar:
    """A centre's weekly hours and the exceptions of some dates, answering for any day."""

    def __init__(
        self,
        weekly: Iterable[WeeklyHours] = (),
        exceptions: Iterable[OpeningException] = (),
    ):
        self._weekly: dict[int, list[tuple[time, time]]] = {day: [] for day in range(7)}
        for row in weekly:
            self._weekly[row.weekday].append((row.opens, row.closes))
        for times in self._weekly.values():
            times.sort()
        self._exceptions: dict[date, OpeningException] = {row.date: row for row in exceptions}

    @classmethod
    def load(cls, centre: ResourceCentre, first_day: date, last_day: date) -> "OpeningCalendar":
        """The centre's weekly hours and its exceptions from first_day to last_day: two queries."""
        return cls(
            weekly=WeeklyHours.objects.filter(centre=centre),
            exceptions=OpeningException.objects.filter(
                centre=centre, date__gte=first_day, date__lte=last_day
            ),
        )

    @classmethod
    def of_prefetched(cls, centre: ResourceCentre) -> "OpeningCalendar":
        """From rows prefetched on the centre (selectors.centre_detail): no query."""
        return cls(weekly=centre.weekly_hours.all(), exceptions=centre.opening_exceptions.all())

    def weekly_times(self, weekday: int) -> list[tuple[time, time]]:
        """The usual (opens, closes) of a weekday (0 = Monday), sorted; [] when closed."""
        return list(self._weekly[weekday])

    @property
    def exceptions(self) -> list[OpeningException]:
        return sorted(self._exceptions.values(), key=lambda row: row.date)

    def exception_on(self, day: date) -> OpeningException | None:
        return self._exceptions.get(day)

    def times_on(self, day: date) -> list[tuple[time, time]]:
        """The wall-clock (opens, closes) of that date, an exception before the weekly hours."""
        exception = self.exception_on(day)
        if exception is None:
            return self.weekly_times(day.weekday())
        if exception.closed_all_day:
            return []
        return [(exception.opens, exception.closes)]

    def intervals_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """The moments the centre is open on that calendar day, aware in Europe/Riga, sorted."""
        return [
            (datetime.combine(day, opens, tzinfo=RIGA), datetime.combine(day, closes, tzinfo=RIGA))
            for opens, closes in self.times_on(day)
        ]

    def is_open(self, start: datetime, end: datetime) -> bool:
        """Whether [start, end) lies within one opening interval of start's date in Riga: a
        booking across a lunch break or past midnight is not."""
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("is_open needs aware datetimes.")
        start_utc, end_utc = start.astimezone(UTC), end.astimezone(UTC)
        if end_utc <= start_utc:
            return False
        day = start.astimezone(RIGA).date()
        return any(
            opens.astimezone(UTC) <= start_utc and end_utc <= closes.astimezone(UTC)
            for opens, closes in self.intervals_on(day)
        )


def open_now(calendar: OpeningCalendar, now: datetime) -> bool:
    """Whether the centre is open at that moment (open at opening time, closed at closing)."""
    if now.tzinfo is None:
        raise ValueError("open_now needs an aware datetime.")
    moment = now.astimezone(UTC)
    return any(
        opens.astimezone(UTC) <= moment < closes.astimezone(UTC)
        for opens, closes in calendar.intervals_on(now.astimezone(RIGA).date())
    )


# --- The public text ----------------------------------------------------------------------------


def _weekday_abbreviation(weekday: int) -> str:
    # A context: "S." and "P." alone could mean anything to a translator.
    return [
        pgettext("nedēļas dienas saīsinājums", "P."),
        pgettext("nedēļas dienas saīsinājums", "O."),
        pgettext("nedēļas dienas saīsinājums", "T."),
        pgettext("nedēļas dienas saīsinājums", "C."),
        pgettext("nedēļas dienas saīsinājums", "Pk."),
        pgettext("nedēļas dienas saīsinājums", "S."),
        pgettext("nedēļas dienas saīsinājums", "Sv."),
    ][weekday]


def _times_text(times: list[tuple[time, time]]) -> str:
    """ "10.00–13.00, 14.00–18.00", or "slēgts" for no times."""
    if not times:
        return gettext("slēgts")
    return ", ".join(f"{time_of_day(opens)}–{time_of_day(closes)}" for opens, closes in times)


def _days_text(first: int, last: int) -> str:
    """ "P.", "S., Sv." (two days), "P.–Pk." (three or more)."""
    if first == last:
        return _weekday_abbreviation(first)
    separator = ", " if last == first + 1 else "–"
    return f"{_weekday_abbreviation(first)}{separator}{_weekday_abbreviation(last)}"


def describe(
    calendar_or_rows: OpeningCalendar | Iterable[WeeklyHours], *, today: date
) -> list[str]:
    """The hours as the centre's page shows them, in the active language: neighbouring weekdays
    with equal hours on one line ("P.–Pk. 10.00–18.00", "Sv. slēgts"), then the exceptions from
    today to EXCEPTION_HORIZON_DAYS ahead ("24.12. slēgts (Ziemassvētki)"). No lines when the
    centre has no weekly hours at all: nothing is known, not "closed every day"."""
    calendar = (
        calendar_or_rows
        if isinstance(calendar_or_rows, OpeningCalendar)
        else OpeningCalendar(weekly=calendar_or_rows)
    )
    week = [calendar.weekly_times(weekday) for weekday in range(7)]
    lines = []
    if any(week):
        first = 0
        for weekday in range(1, 8):
            if weekday == 7 or week[weekday] != week[first]:
                lines.append(f"{_days_text(first, weekday - 1)} {_times_text(week[first])}")
                first = weekday
    first_day, last_day = exception_window(today)
    for exception in calendar.exceptions:
        if not first_day <= exception.date <= last_day:
            continue
        times = [] if exception.closed_all_day else [(exception.opens, exception.closes)]
        line = f"{day_and_month(exception.date)} {_times_text(times)}"
        if exception.reason:
            line += f" ({exception.reason})"
        lines.append(line)
    return lines
