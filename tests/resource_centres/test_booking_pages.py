"""The public booking pages: an item's week (the table and the request form), one's own
booking with its cancellation, the bookings on /mans/ and on the centre's page.

The pages run on the real clock (there is no fake time here), so every test books in the week
after the current one, which is always wholly ahead and within the items' 60-day horizon."""

from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.core.cache import cache

from core.formats import RIGA
from resource_centres import booking_services as bookings
from resource_centres.booking_models import Booking, Instruction, Maintenance
from resource_centres.booking_selectors import monday_of
from core.formats import riga_today
from tests.factories import EquipmentFactory, ResourceCentreFactory, UserFactory
from tests.html import parse
from tests.resource_centres.booking_support import bookable, person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The forms' tokens live in the cache; each test starts with none.
    cache.clear()


def next_monday() -> date:
    return monday_of(riga_today()) + timedelta(days=7)


def at(day: date, clock: str):
    from datetime import datetime

    hours, minutes = (int(part) for part in clock.split("."))
    return datetime.combine(day, time(hours, minutes), tzinfo=RIGA)


def week_url(item, monday: date | None = None, prefix: str = "") -> str:
    path = f"{prefix}/centri/{item.centre.slug}/rezervet/{item.pk}/"
    return f"{path}?nedela={monday.isoformat()}" if monday else path


def table(response) -> list[list[str]]:
    doc = parse(response.content)
    return [[cell.text for cell in row.select("th") + row.select("td")] for row in doc.select("table.week-table tr")]


def test_smoke(client):
    item = bookable(name="Šujmašīna", quantity=2)
    monday = next_monday()
    response = client.get(week_url(item, monday))
    assert response.status_code == 200
    print(table(response)[:3])
    print(response.content.decode()[-6000:])
