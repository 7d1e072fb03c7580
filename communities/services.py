"""Writes of the communities app."""

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from resource_centres.models import Equipment, ResourceCentre
from resource_centres.seeding import SeedResult, apply_seed

from .models import (
    CapacityDimension,
    Community,
    GlossaryTerm,
    ImpactFigure,
    ModelElement,
    TargetGroup,
    Testimonial,
)

LATGALE_DATA = Path(__file__).resolve().parent / "data" / "latgale.json"


def read_latgale_data(path: Path = LATGALE_DATA) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def load_latgale(*, data: dict[str, Any]) -> dict[str, SeedResult]:
    """Load the initiative's real facts; a second run changes nothing, edits are kept."""
    results: dict[str, SeedResult] = {}

    def tally(name: str, result: SeedResult) -> None:
        results.setdefault(name, SeedResult()).add(result)

    communities: dict[str, Community] = {}
    new_communities: set[str] = set()
    for row in data["communities"]:
        community, result = apply_seed(
            Community,
            lookup={"slug": row["slug"]},
            values={"name": row["name"], "municipality": row["municipality"]},
        )
        communities[row["slug"]] = community
        if result.created:
            new_communities.add(row["slug"])
        tally("communities", result)

    for row in data["resource_centres"]:
        centre, result = apply_seed(
            ResourceCentre,
            lookup={"slug": row["slug"]},
            values={
                "name": row["name"],
                "host": row["host"],
                "settlement": row["settlement"],
                "municipality": row["municipality"],
                "address": row["address"] or "",
                "latitude": _decimal(row["lat"]),
                "longitude": _decimal(row["lon"]),
                "coords_approximate": bool(row["coords_approx"]),
                "setting": row["setting"],
                "description": row["description"],
            },
        )
        tally("resource_centres", result)
        for order, item in enumerate(row.get("equipment", [])):
            _, result = apply_seed(
                Equipment,
                lookup={"centre": centre, "name": item["name"]},
                values={"kind": item["kind"], "order": order},
            )
            tally("equipment", result)
        # The link is made only with a new community: afterwards it is the coordinators' to change,
        # including to no centre at all.
        community_slug = row.get("community") or ""
        community = communities.get(community_slug)
        if community_slug in new_communities and community.resource_centre_id is None:
            community.resource_centre = centre
            community.save(update_fields=["resource_centre"])

    simple = [
        ("model_elements", ModelElement, "slug", ["title", "summary"]),
        ("target_groups", TargetGroup, "slug", ["title", "note"]),
        ("capacity_dimensions", CapacityDimension, "slug", ["title"]),
        ("glossary", GlossaryTerm, "slug", ["term", "author", "text"]),
        ("stats", ImpactFigure, "key", ["qualifier", "value", "label"]),
    ]
    for key, model, natural_key, fields in simple:
        for order, row in enumerate(data[key]):
            values = {name: row[name] if row[name] is not None else "" for name in fields}
            values["order"] = order
            _, result = apply_seed(model, lookup={natural_key: row[natural_key]}, values=values)
            tally(key, result)

    for order, row in enumerate(data["testimonials"]):
        testimonial, result = apply_seed(
            Testimonial,
            lookup={"seed_key": slugify(row["person"])},
            values={
                "person": row["person"],
                "role": row["role"] or "",
                "text": row["text"],
                "order": order,
            },
        )
        community = communities.get(row.get("community") or "")
        if result.created and community is not None:
            testimonial.community = community
            testimonial.save(update_fields=["community"])
        tally("testimonials", result)
    return results


def _decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.00001"))
