"""Every write to initiatives (DESIGN §3).

An initiative starts when the applicant is told their application is supported: grants'
publication calls `follow_decision`, named in settings.GRANT_DECISION_FOLLOWERS (grants may not
import this app, which sits to its right in DESIGN §3's order).
"""

from django.utils.text import slugify

from .models import Initiative


def follow_decision(*, application, supported: bool) -> Initiative | None:
    """Start the initiative of a supported application (once); if support is withdrawn before
    any work was recorded (still planned), cancel it; a cancelled one that is supported again
    is planned again. Returns the application's initiative, if it has one."""
    initiative = Initiative.objects.filter(application=application).first()
    if supported:
        if initiative is None:
            initiative = Initiative.objects.create(
                slug=_free_slug(f"{application.reference} {application.title}"),
                title=application.title,
                community_id=application.community_id,
                year=application.round.year,
                summary=application.summary,
                application=application,
                participants=application.expected_participants,
            )
            initiative.target_groups.set(application.target_groups.all())
            initiative.model_elements.set(application.model_elements.all())
        elif initiative.status == Initiative.Status.CANCELLED:
            initiative.status = Initiative.Status.PLANNED
            initiative.save(update_fields=["status", "updated_at"])
    elif initiative is not None and initiative.status == Initiative.Status.PLANNED:
        initiative.status = Initiative.Status.CANCELLED
        initiative.save(update_fields=["status", "updated_at"])
    return initiative


def _free_slug(text: str) -> str:
    base = slugify(text)[:90].strip("-") or "iniciativa"
    slug, n = base, 1
    while Initiative.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
