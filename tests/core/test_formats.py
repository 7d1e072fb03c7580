from datetime import UTC, datetime

from core.formats import html_datetime


def test_html_datetime_is_riga_time_to_the_second():
    # HTML's datetime attribute takes at most three digits of a second's fraction.
    moment = datetime(2026, 11, 26, 12, 0, 5, 845256, tzinfo=UTC)

    assert html_datetime(moment) == "2026-11-26T14:00:05+02:00"
    assert html_datetime(datetime(2026, 7, 1, 9, 30, tzinfo=UTC)) == "2026-07-01T12:30:00+03:00"
    assert html_datetime(None) == ""
