"""Idempotent loading of the project's own seed data that never overwrites coordinators' edits.

Every seeded row remembers a fingerprint of the values it was loaded with. On the next load a
row whose seeded fields still match that fingerprint is untouched by people, so newer seed
values may replace it; a row whose fields differ was edited in the admin and is left alone.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction


class SeededModel(models.Model):
    seed_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True


def fingerprint(values: dict[str, Any]) -> str:
    payload = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _current(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


@dataclass
class SeedResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_edited: int = 0

    def add(self, other: "SeedResult") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.kept_edited += other.kept_edited


@transaction.atomic
def apply_seed(
    model: type[SeededModel], *, lookup: dict[str, Any], values: dict[str, Any]
) -> tuple[SeededModel, SeedResult]:
    """Create or refresh one seeded row; `values` holds plain (non-relational-set) fields."""
    fields = sorted(values)
    obj = model.objects.select_for_update().filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.seed_fingerprint = fingerprint(_current(obj, fields))
        obj.full_clean()
        obj.save()
        return obj, SeedResult(created=1)
    if obj.seed_fingerprint != fingerprint(_current(obj, fields)):
        return obj, SeedResult(kept_edited=1)
    if _current(obj, fields) == values:
        return obj, SeedResult(unchanged=1)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.seed_fingerprint = fingerprint(_current(obj, fields))
    obj.full_clean()
    obj.save()
    return obj, SeedResult(updated=1)
