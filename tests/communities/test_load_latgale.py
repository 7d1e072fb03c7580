"""`manage.py load_latgale` and `manage.py demo_data`: the real data, loaded idempotently, and
clearly marked sample content on top of it."""

import copy
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from communities import models as community_models
from communities.latgale import read_latgale_data
from communities.models import (
    CapacityDimension,
    Community,
    GlossaryTerm,
    ImpactFigure,
    Membership,
    ModelElement,
    TargetGroup,
)
from communities.services import load_latgale
from core.models import SeedRecord
from resource_centres import permissions
from resource_centres.models import CentrePhoto, Equipment, ResourceCentre
from tests.factories import with_totp

pytestmark = pytest.mark.django_db

SEEDED_MODELS = [
    ResourceCentre,
    Equipment,
    Community,
    ModelElement,
    TargetGroup,
    GlossaryTerm,
    # Imported through the module: pytest would take a bare `Testimonial` for a test class.
    community_models.Testimonial,
    CapacityDimension,
    ImpactFigure,
]

CENTRE_NAMES = [
    "Sakstagala kopienu resursu centrs „Pī Boņa”",
    "Nautrēnu kopienas resursu centrs",
    "Preiļu kopienas resursu centrs",
    "Aglonas kopienu resursu centrs",
    "Daugavpils kopienas resursu centrs",
    "Vārkavas kopienas resursu centrs",
    "Zilupes kopienas resursu centrs",
    "Dagdas kopienas resursu centrs",
    "Ilūkstes kopienas resursu centrs",
    "Priežmales kopienas resursu centrs",
]

COMMUNITY_CENTRES = {
    "aglona": "aglona",
    "dagda": "dagda",
    "daugavpils": "daugavpils",
    "ilukste": "ilukste",
    "kraslava": None,
    "nautreni": "nautreni",
    "preili": "preili",
    "priezmale": "priezmale",
    "sakstagals": "sakstagals",
    "varkava": "varkava",
    "zilupe": "zilupe",
}

EQUIPMENT = [
    ("sakstagals", 0, "Āra sanākšanas vieta (2 ha)", "space"),
    ("sakstagals", 1, "Sporta laukums", "space"),
    ("nautreni", 0, "Žāvējamais skapis dabas velšu saglabāšanai", "equipment"),
    ("preili", 0, "Keramikas ceplis", "equipment"),
    ("preili", 1, "Darbnīca darbam ar mālu", "space"),
    ("aglona", 0, "Lāzergravieris", "equipment"),
    ("aglona", 1, "Adāmmašīna", "equipment"),
    ("daugavpils", 0, "Telpa iniciatīvu plānošanai", "space"),
    ("varkava", 0, "Centra telpas muižas ēkā", "space"),
    ("varkava", 1, "Lapene Vārkavas parkā", "space"),
    ("zilupe", 0, "Datori", "equipment"),
    ("dagda", 0, "Dators", "equipment"),
    ("dagda", 1, "Printeris", "equipment"),
    ("dagda", 2, "Skaņas pastiprināšanas aparatūra", "equipment"),
    ("dagda", 3, "Sanāksmju telpa", "space"),
    ("ilukste", 0, "Āra sanākšanas vieta", "space"),
    ("priezmale", 0, "Sanāksmju telpa", "space"),
]

RESULT_KEYS = [
    "communities",
    "resource_centres",
    "equipment",
    "model_elements",
    "target_groups",
    "capacity_dimensions",
    "glossary",
    "stats",
    "testimonials",
]
ROW_COUNTS = {
    "communities": 11,
    "resource_centres": 10,
    "equipment": 17,
    "model_elements": 10,
    "target_groups": 4,
    "capacity_dimensions": 8,
    "glossary": 8,
    "stats": 7,
    "testimonials": 7,
}


def _dump() -> dict[str, list[dict]]:
    """Every value of every seeded row and seed record, timestamps included, so any write shows
    up."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in [*SEEDED_MODELS, SeedRecord]
    }


def _load_command(*args: str) -> str:
    out = io.StringIO()
    call_command("load_latgale", *args, stdout=out)
    return out.getvalue()


def _summary(results) -> dict[str, tuple[int, int, int, int, int]]:
    """(created, updated, unchanged, kept as edited, kept as deleted) for each family."""
    return {
        name: (
            result.created,
            result.updated,
            result.unchanged,
            result.kept_edited,
            result.kept_deleted,
        )
        for name, result in results.items()
    }


def _unchanged_except(**families: tuple[int, int, int, int, int]) -> dict:
    """The summary of a reload in which only `families` differ from "all unchanged"."""
    return {name: families.get(name, (0, 0, ROW_COUNTS[name], 0, 0)) for name in RESULT_KEYS}


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
    assert [str(figure) for figure in ImpactFigure.objects.all()] == [
        "ap 6\xa0000 latgaliešu iesaistījušies iniciatīvā",
        "vairāk nekā 300 iestādes un organizācijas",
        "vairāk nekā 150 īstenotas vietējo kopienu iniciatīvas",
        "95 dažādas mācību nodarbības kopienām un pedagogiem",
        "3 kopienu iniciatīvu konkursi",
        "32 kopienu idejas guvušas atbalstu konkursos",
        "10 izveidoti kopienu resursu centri",
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
    data["stats"][0]["value"] = 6500

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
        ImpactFigure.objects.get(key="participants").value,
    ) == (
        "Jauns apraksts datu failā.",
        "space",
        "Jauns skaidrojums datu failā.",
        "Augšdaugavas novads",
        6500,
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


# --- deletions, renames and rows made by hand -------------------------------------------------


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


# --- demo_data --------------------------------------------------------------------------------

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
        "Demo konti (parole visiem: demo-kopienas-2026):",
        "  aktivists.<kopiena>@example.lv   kopienu aktīvisti ar iepriekšējo konkursu "
        "pieteikumiem un lēmumiem /mans/ (piemēram, aktivists.preili@example.lv)",
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
        # Four staff and activist accounts, two more assessors, an activist per community.
        "users": 17,
        "photos": 8,
        # The activists', and the third assessor's in Ilūkste (a conflict the platform finds).
        "memberships": 13,
        "managers": 1,
        "user_groups": 5,
    }
    assert _demo_counts() == counts
    assert _dump()["ResourceCentre"] == centres


def test_demo_data_runs_with_debug_off_when_allowed(latgale, settings):
    settings.DEBUG = False

    call_command("demo_data", "--allow-production", stdout=io.StringIO())

    assert _demo_counts()["users"] == 17


def test_demo_data_keeps_what_a_coordinator_filled_in(latgale, settings):
    settings.DEBUG = True
    ResourceCentre.objects.filter(slug="preili").update(
        opening_hours="P. 9.00–17.00", contact_person="Inese Kalniņa"
    )

    call_command("demo_data", stdout=io.StringIO())

    preili = ResourceCentre.objects.get(slug="preili")
    assert (preili.opening_hours, preili.contact_person) == ("P. 9.00–17.00", "Inese Kalniņa")
    aglona = ResourceCentre.objects.get(slug="aglona")
    assert aglona.opening_hours == "P.–Pk. 10.00–18.00\nS. 10.00–14.00\nSv. slēgts\n(parauga dati)"
