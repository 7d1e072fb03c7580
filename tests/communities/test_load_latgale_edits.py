"""`manage.py load_latgale` never overwrites people's work: deletions, renames, edits and rows
made by hand survive every later load."""

import copy
from decimal import Decimal

import pytest

from communities import models as community_models
from communities.latgale import read_latgale_data
from communities.models import (
    CapacityDimension,
    Community,
    GlossaryTerm,
    TargetGroup,
)
from communities.services import load_latgale
from resource_centres.models import Equipment, ResourceCentre
from tests.communities.latgale_support import (
    CENTRE_NAMES,
    _dump,
    _load_command,
    _summary,
    _unchanged_except,
)

pytestmark = pytest.mark.django_db


def test_deleted_rows_are_not_made_again():
    _load_command()
    GlossaryTerm.objects.get(slug="kopiena").delete()
    Equipment.objects.get(centre__slug="aglona", name="Adāmmašīna").delete()
    community_models.Testimonial.objects.get(person="Žanna").delete()
    # Deleting a centre deletes its two equipment items with it.
    ResourceCentre.objects.get(slug="preili").delete()
    after_deletions = _dump()

    output = _load_command()

    assert _dump() == after_deletions
    assert output.splitlines() == [
        "communities: 0 created, 0 updated, 11 unchanged, 0 kept as edited, 0 kept as deleted",
        "resource_centres: 0 created, 0 updated, 9 unchanged, 0 kept as edited, 1 kept as deleted",
        "equipment: 0 created, 0 updated, 14 unchanged, 0 kept as edited, 3 kept as deleted",
        "model_elements: 0 created, 0 updated, 10 unchanged, 0 kept as edited, 0 kept as deleted",
        "target_groups: 0 created, 0 updated, 4 unchanged, 0 kept as edited, 0 kept as deleted",
        "capacity_dimensions: 0 created, 0 updated, 8 unchanged, 0 kept as edited, "
        "0 kept as deleted",
        "glossary: 0 created, 0 updated, 7 unchanged, 0 kept as edited, 1 kept as deleted",
        "stats: 0 created, 0 updated, 7 unchanged, 0 kept as edited, 0 kept as deleted",
        "testimonials: 0 created, 0 updated, 6 unchanged, 0 kept as edited, 1 kept as deleted",
    ]
    assert list(GlossaryTerm.objects.values_list("slug", flat=True)) == [
        "ekosistema",
        "lidzdaliba",
        "pilsoniska-balss",
        "socialais-taisnigums",
        "viriesu-lidzdaliba",
        "ieklaujosa-kopiena",
        "superpilsona-recepte",
    ]
    assert list(Equipment.objects.filter(centre__slug="aglona").values_list("name", flat=True)) == [
        "Lāzergravieris"
    ]
    assert list(community_models.Testimonial.objects.values_list("person", flat=True)) == [
        "Arvita",
        "Sandra",
        "Anita",
        "Zane Matesoviča",
        "Daiga Zaķe",
        "Kristīne Liepiņa",
    ]
    assert list(ResourceCentre.objects.order_by("pk").values_list("name", flat=True)) == [
        name for name in CENTRE_NAMES if name != "Preiļu kopienas resursu centrs"
    ]
    assert Equipment.objects.filter(centre__slug="preili").count() == 0


def test_a_deleted_row_stays_deleted_even_when_its_seed_values_change():
    _load_command()
    GlossaryTerm.objects.get(slug="kopiena").delete()
    data = copy.deepcopy(read_latgale_data())
    data["glossary"][0]["text"] = "Jauns skaidrojums datu failā."

    results = load_latgale(data=data)

    assert _summary(results)["glossary"] == (0, 0, 7, 0, 1)
    assert GlossaryTerm.objects.filter(slug="kopiena").exists() is False


def test_renamed_equipment_is_not_duplicated():
    _load_command()
    kiln = Equipment.objects.get(centre__slug="preili", name="Keramikas ceplis")
    kiln.name = "Keramikas krāsns"
    kiln.save()

    results = load_latgale(data=read_latgale_data())

    assert _summary(results) == _unchanged_except(equipment=(0, 0, 16, 1, 0))
    assert list(Equipment.objects.filter(centre__slug="preili").values_list("name", flat=True)) == [
        "Keramikas krāsns",
        "Darbnīca darbam ar mālu",
    ]
    assert Equipment.objects.count() == 17


def test_centre_with_a_changed_slug_is_not_duplicated():
    _load_command()
    preili = ResourceCentre.objects.get(slug="preili")
    preili.slug = "preilu-centrs"
    preili.save()

    results = load_latgale(data=read_latgale_data())

    assert _summary(results) == _unchanged_except(resource_centres=(0, 0, 9, 1, 0))
    assert ResourceCentre.objects.count() == 10
    assert list(ResourceCentre.objects.order_by("pk").values_list("slug", "name")) == [
        ("sakstagals", CENTRE_NAMES[0]),
        ("nautreni", CENTRE_NAMES[1]),
        ("preilu-centrs", "Preiļu kopienas resursu centrs"),
        ("aglona", CENTRE_NAMES[3]),
        ("daugavpils", CENTRE_NAMES[4]),
        ("varkava", CENTRE_NAMES[5]),
        ("zilupe", CENTRE_NAMES[6]),
        ("dagda", CENTRE_NAMES[7]),
        ("ilukste", CENTRE_NAMES[8]),
        ("priezmale", CENTRE_NAMES[9]),
    ]
    # Its equipment and its community still hang on the same row.
    assert list(
        Equipment.objects.filter(centre__slug="preilu-centrs").values_list("name", flat=True)
    ) == ["Keramikas ceplis", "Darbnīca darbam ar mālu"]
    assert Community.objects.get(slug="preili").resource_centre.slug == "preilu-centrs"


def test_community_with_a_changed_slug_keeps_its_centre():
    _load_command()
    Community.objects.filter(slug="aglona").update(slug="aglonas-kopiena")

    results = load_latgale(data=read_latgale_data())

    assert _summary(results) == _unchanged_except(communities=(0, 0, 10, 1, 0))
    assert Community.objects.count() == 11
    assert Community.objects.filter(slug="aglona").exists() is False
    assert dict(
        Community.objects.filter(name="Aglonas darbīgā kopiena").values_list(
            "slug", "resource_centre__slug"
        )
    ) == {"aglonas-kopiena": "aglona"}


def test_edited_row_is_kept_on_every_later_load():
    _load_command()
    GlossaryTerm.objects.filter(slug="kopiena").update(author="Koordinatore")
    load_latgale(data=read_latgale_data())

    results = load_latgale(data=read_latgale_data())

    assert _summary(results) == _unchanged_except(glossary=(0, 0, 7, 1, 0))
    assert GlossaryTerm.objects.get(slug="kopiena").author == "Koordinatore"


def test_a_changed_seed_value_of_an_unedited_row_is_applied_and_becomes_the_baseline():
    _load_command()
    data = copy.deepcopy(read_latgale_data())
    data["resource_centres"][2]["equipment"][0]["name"] = "Keramikas apdedzināšanas krāsns"
    data["testimonials"][0]["role"] = "Daugavpils kopienas aktīviste"

    results = load_latgale(data=data)

    assert _summary(results) == _unchanged_except(
        equipment=(0, 1, 16, 0, 0), testimonials=(0, 1, 6, 0, 0)
    )
    assert list(Equipment.objects.filter(centre__slug="preili").values_list("name", flat=True)) == [
        "Keramikas apdedzināšanas krāsns",
        "Darbnīca darbam ar mālu",
    ]
    assert community_models.Testimonial.objects.get(person="Arvita").role == (
        "Daugavpils kopienas aktīviste"
    )
    # The row written by the loader is its new baseline: a coordinator's edit after it is kept.
    Equipment.objects.filter(name="Keramikas apdedzināšanas krāsns").update(
        quantity=2, kind="space"
    )
    assert _summary(load_latgale(data=data)) == _unchanged_except(equipment=(0, 0, 16, 1, 0))


def test_a_hand_made_row_with_the_same_slug_is_adopted_not_overwritten():
    # Made in the admin before the first load, with its own wording.
    GlossaryTerm.objects.create(slug="kopiena", term="Kopiena", text="Koordinatores teksts.")
    TargetGroup.objects.create(
        slug="viriesi-35", title="Vīrieši 35+", note="Vīrieši no 35 gadu vecuma.", order=1
    )
    preili = ResourceCentre(
        slug="preili",
        name="Preiļu centrs",
        host="Preiļu novada dome",
        settlement="Preiļi",
        municipality="Preiļu novads",
        latitude=Decimal("56.29440"),
        longitude=Decimal("26.72460"),
        description="Koordinatores apraksts.",
    )
    preili.save()
    # Equal to the seed in every field the loader writes; the quantity is the centre's own.
    Equipment.objects.create(centre=preili, name="Keramikas ceplis", quantity=3)

    output = _load_command()

    assert output.splitlines()[:3] == [
        "communities: 11 created, 0 updated, 0 unchanged, 0 kept as edited, 0 kept as deleted",
        "resource_centres: 9 created, 0 updated, 0 unchanged, 1 kept as edited, 0 kept as deleted",
        "equipment: 16 created, 0 updated, 1 unchanged, 0 kept as edited, 0 kept as deleted",
    ]
    assert _summary(load_latgale(data=read_latgale_data())) == _unchanged_except(
        resource_centres=(0, 0, 9, 1, 0),
        target_groups=(0, 0, 3, 1, 0),
        glossary=(0, 0, 7, 1, 0),
    )
    assert (ResourceCentre.objects.count(), Equipment.objects.count()) == (10, 17)
    preili.refresh_from_db()
    assert (preili.name, preili.host, preili.description) == (
        "Preiļu centrs",
        "Preiļu novada dome",
        "Koordinatores apraksts.",
    )
    assert list(preili.equipment.values_list("name", "quantity")) == [
        ("Keramikas ceplis", 3),
        ("Darbnīca darbam ar mālu", 1),
    ]
    assert GlossaryTerm.objects.get(slug="kopiena").text == "Koordinatores teksts."
    assert TargetGroup.objects.get(slug="viriesi-35").note == "Vīrieši no 35 gadu vecuma."
    # The centre's community was new, so it is linked to the adopted centre.
    assert Community.objects.get(slug="preili").resource_centre == preili


def test_a_hand_made_row_equal_to_the_seed_is_adopted_and_takes_later_seed_values():
    CapacityDimension.objects.create(slug="uzticiba", title="Savstarpēja uzticība", order=6)
    data = copy.deepcopy(read_latgale_data())

    first = load_latgale(data=data)
    data["capacity_dimensions"][6]["title"] = "Savstarpēja uzticēšanās"
    second = load_latgale(data=data)

    assert _summary(first)["capacity_dimensions"] == (7, 0, 1, 0, 0)
    assert _summary(second)["capacity_dimensions"] == (0, 1, 7, 0, 0)
    assert list(CapacityDimension.objects.filter(slug="uzticiba").values_list("title")) == [
        ("Savstarpēja uzticēšanās",)
    ]


def test_a_slug_taken_by_another_seeded_row_is_neither_adopted_nor_duplicated():
    _load_command()
    # A coordinator reuses the slug a later data file gives to a new target group.
    TargetGroup.objects.filter(slug="viriesi-35").update(slug="seniori")
    data = copy.deepcopy(read_latgale_data())
    data["target_groups"].append({"slug": "seniori", "title": "Seniori", "note": None})

    results = load_latgale(data=data)

    assert _summary(results)["target_groups"] == (0, 0, 3, 2, 0)
    assert list(TargetGroup.objects.values_list("slug", "title")) == [
        ("neredzamie-jauniesi", "Neredzamie jaunieši"),
        ("seniori", "Vīrieši 35+"),
        ("mazakumtautibas", "Mazākumtautību pārstāvji"),
        ("gimenes-ar-berniem", "Ģimenes ar bērniem"),
    ]
