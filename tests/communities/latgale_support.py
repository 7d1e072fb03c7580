"""What the load_latgale tests share: the seeded models, expected counts and small helpers."""

import io

from django.core.management import call_command

from communities import models as community_models
from communities.models import (
    CapacityDimension,
    Community,
    GlossaryTerm,
    ImpactFigure,
    ModelElement,
    TargetGroup,
)
from core.models import SeedRecord
from resource_centres.models import Equipment, ResourceCentre

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
