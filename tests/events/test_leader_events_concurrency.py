"""Two leaders save the same event at the same moment, both from the form they opened: the
event's row lock and its version let one through and refuse the other, so no change is lost
silently (issue 17). Real threads against PostgreSQL, as in test_concurrency.py."""

import pytest

from events import community_events
from events.models import Event
from tests.events.test_concurrency import _at_once, postgresql  # noqa: F401
from tests.factories import EventFactory


@pytest.mark.postgres
def test_two_edits_from_one_version_at_once_save_one_and_refuse_the_other(postgresql):  # noqa: F811
    event = EventFactory(title="Talka")
    shown = event.updated_at
    outcomes = []

    def save(title):
        edited = Event.objects.get(pk=event.pk)
        edited.title = title
        try:
            community_events.update_community_event(
                event=edited, version=shown, target_groups=[], model_elements=[]
            )
        except community_events.EventChanged:
            outcomes.append(("refused", title))
        else:
            outcomes.append(("saved", title))

    errors = _at_once(save, ["Anna saglabā", "Jānis saglabā"])

    saved = [title for outcome, title in outcomes if outcome == "saved"]
    assert errors == []
    assert sorted(outcome for outcome, _title in outcomes) == ["refused", "saved"]
    assert Event.objects.get(pk=event.pk).title == saved[0]
