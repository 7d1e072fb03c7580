"""`manage.py demo_data` on top of the real data: the demo accounts, photos and roles, clearly
marked and idempotent."""

import io
from datetime import time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from communities.models import (
    Membership,
)
from core.formats import riga_today
from devtools.demo.centres_and_events import HOLIDAYS, HOLIDAYS_AHEAD
from resource_centres import permissions
from resource_centres.booking_models import Booking
from resource_centres.hours import describe
from resource_centres.models import CentrePhoto, ResourceCentre
from resource_centres.services import set_weekly_hours
from tests.communities.latgale_support import (
    _dump,
)
from tests.factories import with_totp

pytestmark = pytest.mark.django_db


# demo_data's open round is next year's.
OPEN_YEAR = timezone.localdate().year + 1
# The communities whose demo activist applied to the past competitions (one each).
DEMO_COMMUNITIES = [
    "aglona",
    "dagda",
    "daugavpils",
    "ilukste",
    "kraslava",
    "nautreni",
    "preili",
    "priezmale",
    "sakstagals",
    "varkava",
    "zilupe",
]
DEMO_ACCOUNTS = {
    "koordinators@example.lv": (True, False, ["Koordinatori"]),
    "vaditajs@example.lv": (True, False, ["Centru vadītāji"]),
    "vertetajs@example.lv": (True, False, ["Vērtētāji"]),
    "vertetajs2@example.lv": (True, False, ["Vērtētāji"]),
    "vertetajs3@example.lv": (True, False, ["Vērtētāji"]),
    "aktiviste@example.lv": (False, False, []),
    **{f"aktivists.{slug}@example.lv": (False, False, []) for slug in DEMO_COMMUNITIES},
    # The leaders who record their communities' own initiatives (Preiļi's is aktiviste@).
    **{
        f"lideris.{slug}@example.lv": (False, False, [])
        for slug in DEMO_COMMUNITIES
        if slug != "preili"
    },
}


def _demo_counts() -> dict[str, int]:
    return {
        "users": get_user_model().objects.count(),
        "photos": CentrePhoto.objects.count(),
        "memberships": Membership.objects.count(),
        "managers": ResourceCentre.managers.through.objects.count(),
        "user_groups": get_user_model().groups.through.objects.count(),
    }


def test_demo_data_refuses_to_run_with_debug_off(latgale, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError) as error:
        call_command("demo_data", stdout=io.StringIO())

    assert str(error.value) == (
        "demo_data izveido kontus ar zināmu paroli; palaidiet to tikai izstrādē "
        "(DJANGO_DEBUG=1) vai ar --allow-production."
    )
    assert _demo_counts() == {
        "users": 0,
        "photos": 0,
        "memberships": 0,
        "managers": 0,
        "user_groups": 0,
    }


def test_demo_data_creates_the_demo_accounts_in_their_groups(latgale, settings):
    settings.DEBUG = True
    out = io.StringIO()

    call_command("demo_data", stdout=out)

    users = get_user_model().objects.order_by("username")
    assert {
        user.username: (
            user.is_staff,
            user.is_superuser,
            list(user.groups.values_list("name", flat=True)),
        )
        for user in users
    } == DEMO_ACCOUNTS
    assert all(user.check_password("demo-kopienas-2026") for user in users)
    active = Booking.objects.filter(status__in=Booking.ACTIVE)
    now = timezone.now()
    coming = active.filter(starts_at__gte=now, starts_at__lt=now + timedelta(days=28))
    assert out.getvalue().splitlines() == [
        "Parauga dati gatavi.",
        "  Mazo iniciatīvu konkurss 2019 (DK-2019): pieteikumi 13, atbalstīti 10, piešķirti "
        "6\xa0150,00\xa0€; rezultāti /konkursi/mazo-iniciativu-konkurss-2019/rezultati/",
        "  Mazo iniciatīvu konkurss 2020 (DK-2020): pieteikumi 14, atbalstīti 11, piešķirti "
        "7\xa0060,00\xa0€; rezultāti /konkursi/mazo-iniciativu-konkurss-2020/rezultati/",
        "  Mazo iniciatīvu konkurss 2021 (DK-2021): pieteikumi 15, atbalstīti 11, piešķirti "
        "8\xa0680,00\xa0€; rezultāti /konkursi/mazo-iniciativu-konkurss-2021/rezultati/",
        "  Iepriekšējos 3 konkursos atbalstītas kopā 32 kopienu idejas.",
        f"  Pieteikšanās atvērta: Mazo iniciatīvu konkurss {OPEN_YEAR} "
        f"/konkursi/mazo-iniciativu-konkurss-{OPEN_YEAR}/",
        "  Publicētas iniciatīvas ar pieņemtām atskaitēm: 157 (no tām 32 konkursos "
        "atbalstītās idejas) /iniciativas/",
        "  aktiviste@example.lv: „Senioru un skolēnu datorklubs Preiļos” – atskaites melnraksts "
        "/iniciativas/senioru-un-skolenu-datorklubs-preilos/atskaite/",
        "  aktiviste@example.lv: „Preiļu parka soliņu talka” – atskaite iesniegta, gaida "
        "koordinatores pārbaudi /iniciativas/preilu-parka-solinu-talka/atskaite/",
        "  aktiviste@example.lv: „Ģimeņu orientēšanās spēle Preiļu parkā” – atskaite atgriezta "
        "labošanai ar koordinatores komentāru "
        "/iniciativas/gimenu-orientesanas-spele-preilu-parka/atskaite/",
        # How many depends on the weekdays of the last ten months (test_demo_bookings).
        f"  Rezervācijas: {active.count()} ({coming.count()} nākamajās 4 nedēļās); "
        "aktiviste@example.lv savējās redz /mans/, vaditajs@example.lv apstiprina cepli "
        "/admin/resource_centres/booking/",
        "  Rīcībspējas pašnovērtējums: 2019. un 2022. gada kārtas 11 kopienām "
        "(piemēram, /kopienas/preili/ricibspeja/rezultati/)",
        "Demo konti (parole visiem: demo-kopienas-2026):",
        "  aktivists.<kopiena>@example.lv   kopienu aktīvisti ar iepriekšējo konkursu "
        "pieteikumiem un lēmumiem /mans/ (piemēram, aktivists.preili@example.lv)",
        "  lideris.<kopiena>@example.lv     kopienu līderi, kas reģistrē kopienas pašas "
        "īstenotās iniciatīvas un raksta to atskaites (piemēram, lideris.dagda@example.lv)",
        "  koordinators@example.lv          koordinatore: visa pārvaldība /admin/",
        "  vaditajs@example.lv              Preiļu centra vadītājs: tikai sava centra lapa /admin/",
        "  vertetajs@example.lv             vērtētāja: konkursu vērtēšana /admin/",
        "  vertetajs2@example.lv            vērtētājs: konkursu vērtēšana /admin/",
        "  vertetajs3@example.lv            vērtētāja (Ilūkstes kopienas dalībniece): konkursu "
        "vērtēšana /admin/",
        "  aktiviste@example.lv             Preiļu darbīgās kopienas līdere: pieslēdzas vietnē "
        "/konts/login/ (pārvaldībai piekļuves nav)",
        "Darbiniekiem (/admin/) pirmajā apmeklējumā būs jāieslēdz divpakāpju autentifikācija "
        "ar autentifikācijas lietotni (piemēram, Aegis, FreeOTP vai Google Authenticator).",
    ]


def test_demo_manager_manages_the_preili_centre_only(latgale, settings):
    settings.DEBUG = True
    call_command("demo_data", stdout=io.StringIO())

    manager = get_user_model().objects.get(username="vaditajs@example.lv")
    centres = ResourceCentre.objects.all()
    assert list(manager.managed_centres.values_list("slug", flat=True)) == ["preili"]
    # Staff powers come with the second factor, which demo staff set up on their first visit.
    assert list(permissions.manageable_centres(manager, centres)) == []
    manager = with_totp(get_user_model().objects.get(pk=manager.pk))
    assert list(
        permissions.manageable_centres(manager, centres).values_list("slug", flat=True)
    ) == ["preili"]
    assert list(
        Membership.objects.filter(community__slug="preili").values_list(
            "user__username", "community__slug", "role", "status"
        )
    ) == [
        ("aktiviste@example.lv", "preili", "leader", "active"),
        ("aktivists.preili@example.lv", "preili", "activist", "active"),
    ]


def test_demo_photos_have_alt_text_and_thumbnails(latgale, settings):
    settings.DEBUG = True
    call_command("demo_data", stdout=io.StringIO())

    photos = list(CentrePhoto.objects.select_related("centre").order_by("centre__slug", "order"))
    assert [(photo.centre.slug, photo.order) for photo in photos] == [
        ("aglona", 0),
        ("aglona", 1),
        ("dagda", 0),
        ("dagda", 1),
        ("preili", 0),
        ("preili", 1),
        ("sakstagals", 0),
        ("sakstagals", 1),
    ]
    for photo in photos:
        assert photo.alt_text == "Parauga attēls: krāsaini apļi ar uzrakstu „PARAUGA FOTO”"
        assert (photo.width, photo.height) == (1200, 800)
        assert photo.thumbnail.name.startswith("centres/thumbs/")
        assert photo.thumbnail.storage.exists(photo.thumbnail.name)
        assert photo.image.storage.exists(photo.image.name)


def test_demo_data_twice_duplicates_nothing(latgale, settings):
    settings.DEBUG = True
    call_command("demo_data", stdout=io.StringIO())
    counts = _demo_counts()
    centres = _dump()["ResourceCentre"]

    call_command("demo_data", stdout=io.StringIO())

    assert counts == {
        # Four staff and activist accounts, two more assessors, an activist per community, a
        # leader for each community but Preiļi (whose leader is aktiviste@).
        "users": 27,
        "photos": 8,
        # The activists', the leaders', and the third assessor's in Ilūkste (a conflict the
        # platform finds).
        "memberships": 23,
        "managers": 1,
        "user_groups": 5,
    }
    assert _demo_counts() == counts
    assert _dump()["ResourceCentre"] == centres


def test_demo_data_runs_with_debug_off_when_allowed(latgale, settings):
    settings.DEBUG = False

    call_command("demo_data", "--allow-production", stdout=io.StringIO())

    assert _demo_counts()["users"] == 27


def test_demo_data_keeps_what_a_coordinator_filled_in(latgale, settings):
    settings.DEBUG = True
    ResourceCentre.objects.filter(slug="preili").update(
        opening_hours="P. 9.00–17.00", contact_person="Inese Kalniņa"
    )
    set_weekly_hours(
        centre=ResourceCentre.objects.get(slug="preili"), rows=[(2, time(8), time(12))]
    )

    call_command("demo_data", stdout=io.StringIO())

    preili = ResourceCentre.objects.get(slug="preili")
    assert (preili.opening_hours, preili.contact_person) == ("P. 9.00–17.00", "Inese Kalniņa")
    aglona = ResourceCentre.objects.get(slug="aglona")
    assert aglona.opening_hours == "Pirms apmeklējuma lūdzam piezvanīt. (parauga dati)"
    # Weekly hours too are only given to a centre that has none.
    assert list(preili.weekly_hours.values_list("weekday", "opens", "closes")) == [
        (2, time(8), time(12))
    ]
    # Aglona is the first centre by slug: the week with a lunch break.
    assert describe(aglona.weekly_hours.all(), today=riga_today()) == [
        "P.–Pk. 09.00–12.00, 13.00–17.00",
        "S., Sv. slēgts",
    ]
    # The public holidays of the coming months (New Year's Eve a short day), any 200 days
    # holding at least four.
    holidays = list(aglona.opening_exceptions.values_list("date", "opens", "closes", "reason"))
    assert [day for day, *_ in holidays] == sorted(day for day, *_ in holidays)
    assert all(riga_today() <= day <= riga_today() + HOLIDAYS_AHEAD for day, *_ in holidays)
    assert {
        (day.month, day.day, reason, (opens, closes) if opens else None)
        for day, opens, closes, reason in holidays
    } <= set(HOLIDAYS)
    assert len(holidays) >= 4
