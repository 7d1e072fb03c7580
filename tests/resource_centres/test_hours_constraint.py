"""On PostgreSQL the database refuses a centre's weekly rows that overlap on one weekday,
whatever wrote them (migration 0009), and compares a day's rows as they stand at the commit:
rows changed one by one in the admin pass through a moment of overlap."""

import os
from datetime import time

import pytest
from django.db import IntegrityError, connection, transaction

from resource_centres.models import WeeklyHours
from tests.factories import ResourceCentreFactory


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        reason = "needs PostgreSQL: set DATABASE_URL=postgres://..."
        if os.environ.get("CI"):
            pytest.fail(f"The opening hours constraint test cannot run in CI: {reason}")
        pytest.skip(reason)


def row(centre, weekday, opens, closes):
    return WeeklyHours(centre=centre, weekday=weekday, opens=time(*opens), closes=time(*closes))


@pytest.mark.postgres
def test_overlapping_rows_of_a_day_are_refused_at_the_commit(postgresql):
    centre, other = ResourceCentreFactory(), ResourceCentreFactory()
    WeeklyHours.objects.bulk_create(
        [
            row(centre, 0, (9,), (12,)),
            row(centre, 0, (12,), (17,)),  # back to back: allowed
            row(centre, 1, (10,), (18,)),  # another day: allowed
            row(other, 0, (10,), (18,)),  # another centre: allowed
        ]
    )

    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        row(centre, 0, (16, 30), (19,)).save()

    assert "weeklyhours_no_overlap" in str(caught.value)
    assert WeeklyHours.objects.count() == 4


@pytest.mark.postgres
def test_rows_changed_one_by_one_are_compared_as_they_end(postgresql):
    centre = ResourceCentreFactory()
    morning, afternoon = WeeklyHours.objects.bulk_create(
        [row(centre, 0, (9,), (12,)), row(centre, 0, (13,), (17,))]
    )

    with transaction.atomic():
        morning.closes = time(14)
        morning.save()  # 9-14 overlaps 13-17 until the next line
        afternoon.opens = time(14)
        afternoon.save()

    assert sorted(WeeklyHours.objects.values_list("opens", "closes")) == [
        (time(9), time(14)),
        (time(14), time(17)),
    ]
