"""Writes of the communities app."""

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

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
    """Load the initiative's real facts; a second run changes nothing, edits are kept.

    Each entry is tracked by its seed key (see `resource_centres.seeding`): a row a coordinator
    edited is kept as edited, one they deleted stays deleted, and renaming a row or changing its
    slug never makes a second one.
    """
    results: dict[str, SeedResult] = {}

    def tally(name: str, result: SeedResult) -> None:
        results.setdefault(name, SeedResult()).add(result)

    communities: dict[str, Community] = {}
    new_communities: set[str] = set()
    for row in data["communities"]:
        community, result = apply_seed(
            Community,
            key=row["slug"],
            values={
                "slug": row["slug"],
                "name": row["name"],
                "municipality": row["municipality"],
            },
            natural_key={"slug": row["slug"]},
        )
        if community is not None:
            communities[row["slug"]] = community
        if result.created:
            new_communities.add(row["slug"])
        tally("communities", result)

    for row in data["resource_centres"]:
        centre, result = apply_seed(
            ResourceCentre,
            key=row["slug"],
            values={
                "slug": row["slug"],
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
            natural_key={"slug": row["slug"]},
        )
        tally("resource_centres", result)
        if centre is None:
            # The centre's equipment went with it when it was deleted, so it stays deleted too;
            # an equipment item is never made on its own without its centre.
            skipped = SeedResult(kept_deleted=result.kept_deleted, kept_edited=result.kept_edited)
            for _item in row.get("equipment", []):
                tally("equipment", skipped)
            continue
        for order, item in enumerate(row.get("equipment", [])):
            _, result = apply_seed(
                Equipment,
                key=item["key"],
                values={
                    "centre_id": centre.pk,
                    "name": item["name"],
                    "kind": item["kind"],
                    "order": order,
                },
                natural_key={"centre": centre, "name": item["name"]},
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
        ("model_elements", ModelElement, "slug", ["slug", "title", "summary"]),
        ("target_groups", TargetGroup, "slug", ["slug", "title", "note"]),
        ("capacity_dimensions", CapacityDimension, "slug", ["slug", "title"]),
        ("glossary", GlossaryTerm, "slug", ["slug", "term", "author", "text"]),
        ("stats", ImpactFigure, "key", ["key", "qualifier", "value", "label"]),
    ]
    for name, model, natural_key, field_names in simple:
        for order, row in enumerate(data[name]):
            values = {field: row[field] if row[field] is not None else "" for field in field_names}
            values["order"] = order
            _, result = apply_seed(
                model,
                key=row[natural_key],
                values=values,
                natural_key={natural_key: row[natural_key]},
            )
            tally(name, result)

    for order, row in enumerate(data["testimonials"]):
        # A quote has no natural key to adopt a hand-made row by: it is found by its seed key only.
        _, result = apply_seed(
            Testimonial,
            key=row["key"],
            values={
                "person": row["person"],
                "role": row["role"] or "",
                "text": row["text"],
                "order": order,
            },
            create_only={"community": communities.get(row.get("community") or "")},
        )
        tally("testimonials", result)
    return results


def _decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.00001"))
