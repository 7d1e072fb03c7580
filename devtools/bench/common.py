"""What every family of bench data shares: the record of what was made, targets by scale,
batch sizes and fresh planner statistics after a bulk load."""

from dataclasses import dataclass, field

from django.db import connection

from communities.models import Community
from resource_centres.models import ResourceCentre

BATCH = 500
BIG_BATCH = 5000


@dataclass
class Made:
    """What the command created, by family, so later families can link to earlier ones."""

    counts: dict[str, int] = field(default_factory=dict)
    centres: list[ResourceCentre] = field(default_factory=list)
    communities: list[Community] = field(default_factory=list)


def target(scale: float, per_scale: int) -> int:
    # Half up, so --scale 0.02 gives exactly 2 centres and 20 communities.
    return int(scale * per_scale + 0.5)


def analyze(models) -> None:
    """Fresh planner statistics after a bulk load, as autovacuum would gather them later: with
    none, PostgreSQL guesses one row per filter and sorts where it could walk an index."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
