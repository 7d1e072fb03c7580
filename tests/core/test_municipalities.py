"""The fixed list of Latvia's municipalities, and the fields that only take names from it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from communities.latgale import read_latgale_data
from communities.models import Community
from core.municipalities import MUNICIPALITIES, NOVADI, VALSTSPILSETAS
from devtools.bench.data import make_bench_data
from resource_centres.models import ResourceCentre


def test_the_list_holds_the_43_municipalities_of_the_2021_reform():
    assert (len(NOVADI), len(VALSTSPILSETAS), len(set(MUNICIPALITIES))) == (36, 7, 43)
    assert VALSTSPILSETAS == [
        "Daugavpils valstspilsēta",
        "Jelgavas valstspilsēta",
        "Jūrmalas valstspilsēta",
        "Liepājas valstspilsēta",
        "Rēzeknes valstspilsēta",
        "Rīgas valstspilsēta",
        "Ventspils valstspilsēta",
    ]


def test_the_list_is_in_latvian_alphabetical_order():
    assert MUNICIPALITIES[:5] == [
        "Ādažu novads",
        "Aizkraukles novads",
        "Alūksnes novads",
        "Augšdaugavas novads",
        "Balvu novads",
    ]
    assert MUNICIPALITIES[MUNICIPALITIES.index("Kuldīgas novads") + 1] == "Ķekavas novads"
    assert MUNICIPALITIES[MUNICIPALITIES.index("Rēzeknes novads") + 1] == ("Rēzeknes valstspilsēta")


def test_every_municipality_of_the_data_file_is_in_the_list():
    data = read_latgale_data()
    used = {row["municipality"] for row in data["resource_centres"] + data["communities"]}

    assert used == {
        "Augšdaugavas novads",
        "Daugavpils valstspilsēta",
        "Krāslavas novads",
        "Ludzas novads",
        "Preiļu novads",
        "Rēzeknes novads",
    }
    assert used <= set(MUNICIPALITIES)


def _centre(municipality: str) -> ResourceCentre:
    return ResourceCentre(
        slug="centrs",
        name="Kopienas resursu centrs",
        host="Pagasta kultūras nams",
        settlement="Preiļi",
        municipality=municipality,
        latitude=Decimal("56.29440"),
        longitude=Decimal("26.72460"),
        description="Vieta, kur kopiena sanāk kopā.",
    )


@pytest.mark.django_db
def test_a_centre_refuses_a_municipality_outside_the_list():
    centre = _centre("Preiļu novadz")

    with pytest.raises(ValidationError) as error:
        centre.full_clean()

    assert error.value.message_dict == {
        "municipality": ["Vērtība 'Preiļu novadz' nav derīga izvēle."]
    }


@pytest.mark.django_db
def test_a_community_refuses_a_municipality_outside_the_list():
    community = Community(slug="kopiena", name="Darbīgā kopiena", municipality="Preiļi")

    with pytest.raises(ValidationError) as error:
        community.full_clean()

    assert error.value.message_dict == {"municipality": ["Vērtība 'Preiļi' nav derīga izvēle."]}


@pytest.mark.django_db
def test_names_from_the_list_are_accepted():
    _centre("Rīgas valstspilsēta").full_clean()
    Community(slug="kopiena", name="Darbīgā kopiena", municipality="Ādažu novads").full_clean()


@pytest.mark.django_db
def test_bench_data_uses_only_municipalities_from_the_list():
    make_bench_data(scale=0.5)

    used = set(ResourceCentre.objects.values_list("municipality", flat=True)) | set(
        Community.objects.values_list("municipality", flat=True)
    )
    # 50 centres and 500 communities spread over every municipality of the list.
    assert used == set(MUNICIPALITIES)
