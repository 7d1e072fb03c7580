"""`manage.py load_latgale`: the real data, loaded once and idempotently."""

import copy
from decimal import Decimal

import pytest

from communities import models as community_models
from communities.latgale import read_latgale_data
from communities.models import (
    CapacityDimension,
    Community,
    GlossaryTerm,
    ImpactFigure,
    ModelElement,
    TargetGroup,
)
from communities.services import load_latgale
from core.models import SeedRecord
from resource_centres.models import Equipment, ResourceCentre
from tests.communities.latgale_support import (
    CENTRE_NAMES,
    COMMUNITY_CENTRES,
    EQUIPMENT,
    RESULT_KEYS,
    ROW_COUNTS,
    _dump,
    _load_command,
    _summary,
    _unchanged_except,
)

pytestmark = pytest.mark.django_db


def test_first_load_creates_everything_and_says_so():
    output = _load_command()

    assert output.splitlines() == [
        f"{name}: {ROW_COUNTS[name]} created, 0 updated, 0 unchanged, 0 kept as edited, "
        "0 kept as deleted"
        for name in RESULT_KEYS
    ]
    assert SeedRecord.objects.count() == sum(ROW_COUNTS.values())


def test_loads_the_ten_centres():
    _load_command()

    assert list(ResourceCentre.objects.order_by("pk").values_list("name", flat=True)) == (
        CENTRE_NAMES
    )
    assert ResourceCentre.objects.filter(is_published=True).count() == 10
    preili = ResourceCentre.objects.get(slug="preili")
    assert {
        "host": preili.host,
        "settlement": preili.settlement,
        "municipality": preili.municipality,
        "address": preili.address,
        "latitude": preili.latitude,
        "longitude": preili.longitude,
        "coords_approximate": preili.coords_approximate,
        "setting": preili.setting,
    } == {
        "host": "Preiļu novada Bērnu un jauniešu centrs",
        "settlement": "Preiļi",
        "municipality": "Preiļu novads",
        "address": "Kooperatīva iela 6, Preiļi",
        "latitude": Decimal("56.29440"),
        "longitude": Decimal("26.72460"),
        "coords_approximate": True,
        "setting": "indoor",
    }


def test_loads_eleven_communities_linked_to_their_centres():
    _load_command()

    assert dict(
        Community.objects.order_by("slug").values_list("slug", "resource_centre__slug")
    ) == (COMMUNITY_CENTRES)
    assert Community.objects.get(slug="kraslava").name == "Krāslavas darbīgā kopiena"


def test_loads_the_model_target_groups_dimensions_and_figures_in_order():
    _load_command()

    assert list(ModelElement.objects.values_list("order", "slug", "title")) == [
        (0, "seminari-pedagogiem", "Semināri pedagogiem"),
        (1, "vienosanas-ar-pasvaldibu", "Vienošanās ar pašvaldību par sadarbību"),
        (2, "publicitate", "Publicitāte"),
        (3, "kopienu-resursu-centri", "Kopienu resursu centru izveide"),
        (4, "lideru-stiprinasana", "Līderu stiprināšana"),
        (5, "macibas-kopienam", "Mācības kopienām"),
        (6, "gimenu-iesaistisana", "Ģimeņu ar bērniem īpaša iesaistīšana"),
        (7, "ekspertu-konsultacijas", "Ekspertu konsultācijas un motivēšana"),
        (8, "mazas-kopienu-iniciativas", "Mazās kopienu iniciatīvas"),
        (9, "mazak-aktivo-grupu-motivesana", "Mazāk aktīvo grupu motivēšana"),
    ]
    assert list(TargetGroup.objects.values_list("slug", "title")) == [
        ("neredzamie-jauniesi", "Neredzamie jaunieši"),
        ("viriesi-35", "Vīrieši 35+"),
        ("mazakumtautibas", "Mazākumtautību pārstāvji"),
        ("gimenes-ar-berniem", "Ģimenes ar bērniem"),
    ]
    assert list(CapacityDimension.objects.values_list("slug", "title")) == [
        ("lidzdarbosanas", "Līdzdarbošanās un pielāgošanās pārmaiņām"),
        (
            "potenciala-realizacija",
            "Personību un kopienu grupu potenciāla realizācijas iespējas",
        ),
        ("iesaiste-lemumos", "Sadarbība un iesaiste lēmumu pieņemšanā"),
        ("dzives-limenis", "Spēja sasniegt vēlamo dzīves līmeni"),
        ("organizeta-darbiba", "Organizēta sabiedrības darbība"),
        ("lideri", "Līderu esamība"),
        ("uzticiba", "Savstarpēja uzticība"),
        ("komunikacija", "Efektīva komunikācija"),
    ]
    # Only the figures' labels: their values are counted from the records (kopienas.figures),
    # under the same keys.
    assert list(ImpactFigure.objects.values_list("key", "label")) == [
        ("participants", "latgaliešu iesaistījušies iniciatīvā"),
        ("institutions", "iestādes un organizācijas"),
        ("initiatives", "īstenotas vietējo kopienu iniciatīvas"),
        ("trainings", "dažādas mācību nodarbības kopienām un pedagogiem"),
        ("rounds", "kopienu iniciatīvu konkursi"),
        ("supported_ideas", "kopienu idejas guvušas atbalstu konkursos"),
        ("centres", "izveidoti kopienu resursu centri"),
    ]


def test_loads_glossary_with_authors_and_testimonials_with_communities():
    _load_command()

    assert list(GlossaryTerm.objects.values_list("slug", "term", "author")) == [
        ("kopiena", "Kopiena", ""),
        ("ekosistema", "Ekosistēma", "Miklós Gábor Dietz"),
        ("lidzdaliba", "Līdzdalība", ""),
        ("pilsoniska-balss", "Pilsoniskā balss", "Zane Daudziņa, aktrise, runas pētniece"),
        ("socialais-taisnigums", "Sociālais taisnīgums", ""),
        (
            "viriesu-lidzdaliba",
            "Vīriešu līdzdalība",
            "Vilis Brūveris, biedrības „NEXT” valdes loceklis",
        ),
        ("ieklaujosa-kopiena", "Iekļaujoša kopiena", ""),
        (
            "superpilsona-recepte",
            "Superpilsoņa recepte",
            "Linda Jakobsone-Gavala, „Gribu palīdzēt bēgļiem”",
        ),
    ]
    testimonials = community_models.Testimonial.objects.values_list(
        "person", "role", "community__slug"
    )
    assert list(testimonials) == [
        ("Arvita", "", "daugavpils"),
        ("Sandra", "", "priezmale"),
        ("Anita", "", "nautreni"),
        ("Žanna", "", "kraslava"),
        ("Zane Matesoviča", "British Council pārstāvniecības Latvijā vadītāja", None),
        ("Daiga Zaķe", "Izglītības iniciatīvu centra direktore", None),
        ("Kristīne Liepiņa", "Iniciatīvas „Darbīgās kopienas” vadītāja", None),
    ]


def test_loads_seventeen_equipment_items_in_their_centres_order():
    _load_command()

    assert [
        (item.centre.slug, item.order, item.name, item.kind)
        for item in Equipment.objects.select_related("centre").order_by("pk")
    ] == EQUIPMENT


def test_second_run_changes_nothing():
    _load_command()
    before = _dump()

    output = _load_command()

    assert _dump() == before
    assert output.splitlines() == [
        f"{name}: 0 created, 0 updated, {ROW_COUNTS[name]} unchanged, 0 kept as edited, "
        "0 kept as deleted"
        for name in RESULT_KEYS
    ]


def test_coordinator_edits_survive_a_reload():
    _load_command()
    preili = ResourceCentre.objects.get(slug="preili")
    preili.description = "Koordinatores jaunais apraksts."
    preili.save()
    kiln = Equipment.objects.get(centre=preili, name="Keramikas ceplis")
    kiln.kind = Equipment.Kind.SPACE
    kiln.save()
    GlossaryTerm.objects.filter(slug="kopiena").update(text="Koordinatores skaidrojums.")
    # One community moves to another centre, one loses its centre altogether.
    Community.objects.filter(slug="aglona").update(resource_centre=preili)
    Community.objects.filter(slug="dagda").update(resource_centre=None)
    edited = _dump()

    output = _load_command()

    assert _dump() == edited
    assert output.splitlines() == [
        "communities: 0 created, 0 updated, 11 unchanged, 0 kept as edited, 0 kept as deleted",
        "resource_centres: 0 created, 0 updated, 9 unchanged, 1 kept as edited, 0 kept as deleted",
        "equipment: 0 created, 0 updated, 16 unchanged, 1 kept as edited, 0 kept as deleted",
        "model_elements: 0 created, 0 updated, 10 unchanged, 0 kept as edited, 0 kept as deleted",
        "target_groups: 0 created, 0 updated, 4 unchanged, 0 kept as edited, 0 kept as deleted",
        "capacity_dimensions: 0 created, 0 updated, 8 unchanged, 0 kept as edited, "
        "0 kept as deleted",
        "glossary: 0 created, 0 updated, 7 unchanged, 1 kept as edited, 0 kept as deleted",
        "stats: 0 created, 0 updated, 7 unchanged, 0 kept as edited, 0 kept as deleted",
        "testimonials: 0 created, 0 updated, 7 unchanged, 0 kept as edited, 0 kept as deleted",
    ]
    assert dict(
        Community.objects.filter(slug__in=["aglona", "dagda"]).values_list(
            "slug", "resource_centre__slug"
        )
    ) == {"aglona": "preili", "dagda": None}


def test_edited_row_keeps_its_edit_even_when_the_seed_changes_too():
    _load_command()
    ResourceCentre.objects.filter(slug="preili").update(description="Koordinatores apraksts.")
    data = read_latgale_data()
    data["resource_centres"][2]["description"] = "Jauns apraksts datu failā."

    load_latgale(data=data)

    assert ResourceCentre.objects.get(slug="preili").description == "Koordinatores apraksts."


def test_unedited_rows_take_new_seed_values():
    _load_command()
    untouched = _dump()
    data = copy.deepcopy(read_latgale_data())
    preili_row = data["resource_centres"][2]
    assert preili_row["slug"] == "preili"
    preili_row["description"] = "Jauns apraksts datu failā."
    preili_row["equipment"][0]["kind"] = "space"
    data["glossary"][0]["text"] = "Jauns skaidrojums datu failā."
    data["communities"][-1]["municipality"] = "Augšdaugavas novads"
    data["stats"][0]["label"] = "iedzīvotāju iesaistījušies"

    results = load_latgale(data=data)

    assert _summary(results) == _unchanged_except(
        communities=(0, 1, 10, 0, 0),
        resource_centres=(0, 1, 9, 0, 0),
        equipment=(0, 1, 16, 0, 0),
        glossary=(0, 1, 7, 0, 0),
        stats=(0, 1, 6, 0, 0),
    )
    preili = ResourceCentre.objects.get(slug="preili")
    assert (
        preili.description,
        Equipment.objects.get(centre=preili, name="Keramikas ceplis").kind,
        GlossaryTerm.objects.get(slug="kopiena").text,
        Community.objects.get(slug="kraslava").municipality,
        ImpactFigure.objects.get(key="participants").label,
    ) == (
        "Jauns apraksts datu failā.",
        "space",
        "Jauns skaidrojums datu failā.",
        "Augšdaugavas novads",
        "iedzīvotāju iesaistījušies",
    )
    # Everything else is exactly as before.
    changed = _dump()
    for name in ["ModelElement", "TargetGroup", "Testimonial", "CapacityDimension"]:
        assert changed[name] == untouched[name]
    # A third load with the same file is again a no-op: the new values are the new baseline.
    assert _summary(load_latgale(data=data)) == _unchanged_except()


def test_rows_new_in_the_data_file_are_added():
    _load_command()
    data = copy.deepcopy(read_latgale_data())
    data["target_groups"].append(
        {"slug": "seniori", "title": "Seniori", "note": None},
    )

    results = load_latgale(data=data)

    assert _summary(results)["target_groups"] == (1, 0, 4, 0, 0)
    assert list(TargetGroup.objects.values_list("slug", "order", "note"))[-1] == (
        "seniori",
        4,
        "",
    )
