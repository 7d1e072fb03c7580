"""What makes the cached figures, the initiatives and events lists' options and counts and the
sitemap's totals outdated (core.generations, generation PUBLIC_COUNTS): any saved or deleted row
of what they count or offer, whichever path saved it (a service, the admin, a command).

Connected in KopienasConfig.ready(). Writes that bypass signals (QuerySet.update, bulk_create)
on these models are used only for fields the figures do not read (seats taken, notification
times); bulk_create of a published initiative's reach runs inside the initiative's own save,
which bumps.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from communities.models import Community, ModelElement, TargetGroup
from core import generations
from events.models import Event, EventGroupCount
from grants.models import Application, GrantRound
from initiatives.models import Initiative, InitiativeReach, Institution
from resource_centres.booking_models import Booking
from resource_centres.models import Equipment, ResourceCentre

from .sources import GENERATION

COUNTED = (
    Event,
    EventGroupCount,
    Initiative,
    InitiativeReach,
    Institution,
    GrantRound,
    ResourceCentre,
    Community,
    TargetGroup,
    ModelElement,
    # "rezervētās stundas": an item moved to another centre or deleted with its bookings.
    Equipment,
)
# The initiatives list filters by these (initiatives.filters), the events list by an event's
# target groups (events.filters; its counts are cached, events.selectors.list_count).
COUNTED_LINKS = (
    Initiative.institutions.through,
    Initiative.target_groups.through,
    Initiative.model_elements.through,
    Event.target_groups.through,
)


def _changed(sender, **kwargs) -> None:
    generations.bump(GENERATION)


def _application_changed(sender, instance, **kwargs) -> None:
    # Drafts and autosaves change no figure: only an application whose decision was told does.
    if instance.notified_decision or kwargs.get("signal") is post_delete:
        generations.bump(GENERATION)


def _booking_changed(sender, instance, created=False, **kwargs) -> None:
    # A new request waiting for approval changes no figure; every other change may (confirmed,
    # cancelled after confirmation, marked as a no-show, deleted).
    if not (created and instance.status == Booking.Status.PENDING):
        generations.bump(GENERATION)


def connect() -> None:
    for model in COUNTED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"figures-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"figures-del-{model.__name__}")
    for link in COUNTED_LINKS:
        m2m_changed.connect(_changed, sender=link, dispatch_uid=f"figures-m2m-{link.__name__}")
    post_save.connect(_application_changed, sender=Application, dispatch_uid="figures-app-save")
    post_delete.connect(_application_changed, sender=Application, dispatch_uid="figures-app-del")
    post_save.connect(_booking_changed, sender=Booking, dispatch_uid="figures-booking-save")
    post_delete.connect(_booking_changed, sender=Booking, dispatch_uid="figures-booking-del")
