"""The initiative a supported application starts, cancels and restores."""

import pytest

from grants.services import renotify
from initiatives.models import Initiative
from tests.factories import ModelElementFactory, TargetGroupFactory
from tests.grants.services.decisions.helpers import NOT_SUPPORTED, SUPPORTED, D, decide, publish

pytestmark = pytest.mark.django_db


# --- the initiative ---------------------------------------------------------------------------


def test_supported_application_starts_an_initiative(
    grant_round, coordinator, decided, django_capture_on_commit_callbacks
):
    first = decided[0]
    groups = [TargetGroupFactory(), TargetGroupFactory()]
    elements = [ModelElementFactory()]
    first.target_groups.set(groups)
    first.model_elements.set(elements)

    publish(grant_round, coordinator, django_capture_on_commit_callbacks)

    initiative = Initiative.objects.get()
    assert (
        initiative.application,
        initiative.slug,
        initiative.title,
        initiative.community,
        initiative.year,
        initiative.summary,
        initiative.participants,
        initiative.status,
        set(initiative.target_groups.all()),
        set(initiative.model_elements.all()),
    ) == (
        first,
        "dk-2026-001-kopienas-darzs-pie-skolas",
        "Kopienas dārzs pie skolas",
        first.community,
        2026,
        first.summary,
        # Reached people come from the accepted report, never from what the application expected.
        None,
        Initiative.Status.SUPPORTED,
        set(groups),
        set(elements),
    )


def test_withdrawn_support_cancels_the_initiative_and_renewed_support_restores_it(
    grant_round, coordinator, decided, django_capture_on_commit_callbacks
):
    first = decided[0]
    publish(grant_round, coordinator, django_capture_on_commit_callbacks)

    decide(first, coordinator, NOT_SUPPORTED, None, "Pieteicējs atteicās.")
    # Not yet told: the initiative stands until the re-notification.
    assert Initiative.objects.get().status == Initiative.Status.SUPPORTED
    with django_capture_on_commit_callbacks(execute=True):
        renotify(grant_round=grant_round, actor=coordinator)
    assert Initiative.objects.get().status == Initiative.Status.CANCELLED

    decide(first, coordinator, SUPPORTED, D("1200.00"), "Atbalsts atjaunots.")
    with django_capture_on_commit_callbacks(execute=True):
        renotify(grant_round=grant_round, actor=coordinator)
    assert list(Initiative.objects.values_list("application", "status")) == [
        (first.pk, Initiative.Status.SUPPORTED)
    ]


def test_initiative_under_way_is_left_alone(
    grant_round, coordinator, decided, django_capture_on_commit_callbacks
):
    first = decided[0]
    publish(grant_round, coordinator, django_capture_on_commit_callbacks)
    Initiative.objects.update(status=Initiative.Status.IN_PROGRESS)

    decide(first, coordinator, NOT_SUPPORTED, None, "")
    with django_capture_on_commit_callbacks(execute=True):
        renotify(grant_round=grant_round, actor=coordinator)

    assert Initiative.objects.get().status == Initiative.Status.IN_PROGRESS


def test_initiative_slug_is_unique(
    grant_round, coordinator, decided, django_capture_on_commit_callbacks
):
    first = decided[0]
    Initiative.objects.create(
        slug="dk-2026-001-kopienas-darzs-pie-skolas",
        title="Cita iniciatīva",
        community=first.community,
        year=2025,
    )
    publish(grant_round, coordinator, django_capture_on_commit_callbacks)
    assert Initiative.objects.get(application=first).slug == (
        "dk-2026-001-kopienas-darzs-pie-skolas-2"
    )
