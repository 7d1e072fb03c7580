"""Idempotent loading of the project's own seed data that never overwrites people's work.

Every entry of the data file has a stable seed key (its slug, or an explicit "key"). For each
row it makes, the loader keeps a `SeedRecord`: the key, the row's id and a fingerprint of the
values it wrote. On the next load, by that record:

- no record: the row is new in the data file, so it is created (or adopted, below);
- a record whose row is gone: a coordinator deleted it, and it stays deleted;
- a row that still hashes to the fingerprint: nobody has touched it, so newer seed values may
  replace it;
- a row that no longer hashes to it: someone edited it (even only its slug), so it is kept.

Rows are found by the record's id only, never by a field people may edit, so renaming a row or
changing its slug never makes the loader create a second one.

Adoption: a row that already has the entry's natural key (a unique slug, or an equipment item's
name in its centre) but no record was made by hand before the first load. Creating another would
break the unique key; overwriting it would lose a person's work. So the loader adopts it as it
is: it records the row with the fingerprint of the *seed* values, that is, as if the loader had
written them and a person had changed them since. A row that differs from the seed is thus kept
as edited, now and on every later load; a row that happens to equal the seed is unchanged and
takes later seed updates like any other, which loses nothing a person typed. A row whose natural
key was taken over by another seeded row (a coordinator gave it that slug) is not adopted: it is
left alone, and the entry is reported as kept as edited.

A seed key is forever: changing one in the data file makes a new entry, not a rename.
"""

import hashlib
import json
from dataclasses import dataclass, fields
from typing import Any

from django.db import models, transaction

from .models import SeedRecord


def fingerprint(values: dict[str, Any]) -> str:
    payload = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _current(obj: models.Model, names: list[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


@dataclass
class SeedResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_edited: int = 0
    kept_deleted: int = 0

    def add(self, other: "SeedResult") -> None:
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))


@transaction.atomic
def apply_seed(
    model: type[models.Model],
    *,
    key: str,
    values: dict[str, Any],
    natural_key: dict[str, Any] | None = None,
    create_only: dict[str, Any] | None = None,
) -> tuple[models.Model | None, SeedResult]:
    """Create, refresh or leave alone the row of one data-file entry.

    `values` are the plain fields the loader owns (foreign keys as `<name>_id`): they are written
    on create, compared for edits, and refreshed while unedited. `natural_key` finds a row made by
    hand before the first load, to adopt it instead of duplicating it (None: the model has none).
    `create_only` values are set only on a new row and are people's to change afterwards.
    Returns the row, or None when there is none to use (deleted, or its key taken).
    """
    label = model._meta.label_lower
    names = sorted(values)
    seeded = fingerprint(values)
    record = SeedRecord.objects.select_for_update().filter(model=label, seed_key=key).first()
    if record is None:
        return _create_or_adopt(
            model,
            label=label,
            key=key,
            values=values,
            natural_key=natural_key,
            create_only=create_only or {},
        )

    obj = model.objects.select_for_update().filter(pk=record.object_id).first()
    if obj is None:
        return None, SeedResult(kept_deleted=1)
    current = _current(obj, names)
    if fingerprint(current) != record.fingerprint:
        return obj, SeedResult(kept_edited=1)
    if current == values:
        return obj, SeedResult(unchanged=1)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    record.fingerprint = seeded
    record.save(update_fields=["fingerprint", "updated_at"])
    return obj, SeedResult(updated=1)


def _create_or_adopt(
    model: type[models.Model],
    *,
    label: str,
    key: str,
    values: dict[str, Any],
    natural_key: dict[str, Any] | None,
    create_only: dict[str, Any],
) -> tuple[models.Model | None, SeedResult]:
    seeded = fingerprint(values)
    existing = None
    if natural_key is not None:
        existing = model.objects.select_for_update().filter(**natural_key).first()
    if existing is None:
        obj = model(**values, **create_only)
        obj.full_clean()
        obj.save()
        SeedRecord.objects.create(model=label, seed_key=key, object_id=obj.pk, fingerprint=seeded)
        return obj, SeedResult(created=1)
    if SeedRecord.objects.filter(model=label, object_id=existing.pk).exists():
        return None, SeedResult(kept_edited=1)
    SeedRecord.objects.create(model=label, seed_key=key, object_id=existing.pk, fingerprint=seeded)
    if _current(existing, sorted(values)) == values:
        return existing, SeedResult(unchanged=1)
    return existing, SeedResult(kept_edited=1)
