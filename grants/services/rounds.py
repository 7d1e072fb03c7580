"""A round's set-up: copying last year's round for the next one."""

from datetime import datetime

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.formats import riga

from ..models import Criterion, GrantRound


def copy_round(*, grant_round: GrantRound, actor) -> GrantRound:
    """Next year's round from this one: same texts, criteria, budget and target groups, dates a
    year later, in preparation (draft), with no applications or assessors."""
    year = grant_round.year + 1

    def later(moment):
        if isinstance(moment, datetime):
            # A year later on Riga's clock: in UTC a deadline near a summer-time change would
            # move by an hour (23:59 becoming 00:59 of the next day).
            moment = riga(moment)
        try:
            return moment.replace(year=moment.year + 1)
        except ValueError:  # 29 February
            return moment.replace(year=moment.year + 1, day=28)

    def free(field_name: str, base: str, limit: int) -> str:
        candidate, n = base[:limit], 1
        while GrantRound.objects.filter(**{field_name: candidate}).exists():
            n += 1
            suffix = f"-{n}"
            candidate = base[: limit - len(suffix)] + suffix
        return candidate

    with transaction.atomic():
        copy = GrantRound.objects.create(
            slug=free("slug", slugify(f"{grant_round.title} {year}"), 80),
            title=_("%(title)s (kopija)") % {"title": grant_round.title},
            year=year,
            summary=grant_round.summary,
            description=grant_round.description,
            rules=grant_round.rules,
            opens_at=later(grant_round.opens_at),
            closes_at=later(grant_round.closes_at),
            implementation_starts=later(grant_round.implementation_starts),
            implementation_ends=later(grant_round.implementation_ends),
            total_budget=grant_round.total_budget,
            max_grant=grant_round.max_grant,
            disagreement_threshold=grant_round.disagreement_threshold,
            reference_code=free("reference_code", f"DK-{year}", 20),
        )
        copy.target_groups.set(grant_round.target_groups.all())
        Criterion.objects.bulk_create(
            Criterion(
                round=copy,
                title=criterion.title,
                guidance=criterion.guidance,
                max_points=criterion.max_points,
                weight=criterion.weight,
                order=criterion.order,
                comment_required=criterion.comment_required,
            )
            for criterion in grant_round.criteria.all()
        )
    return copy
