"""core.choices: get_FOO_display as one lookup, answering exactly what Django's would."""

import pytest
from django.db.models import Model
from django.utils import translation

from communities.models import Membership
from events.models import Event, Registration
from grants.models import Application, GrantRound
from initiatives.models import Initiative
from resource_centres.booking_models import Booking
from resource_centres.models import Equipment

MODELS = [Event, Registration, Membership, Initiative, Application, GrantRound, Booking, Equipment]


def _choice_fields(model):
    return [field for field in model._meta.local_fields if field.choices]


@pytest.mark.parametrize("language", ["lv", "en"])
def test_every_label_is_the_one_django_writes(language):
    shown, djangos = [], []
    with translation.override(language):
        for model in MODELS:
            for field in _choice_fields(model):
                # Every choice, and a value that is none of them (an old row): shown as it is.
                for value in [*(value for value, _label in field.flatchoices), "nav-tada", None]:
                    row = model(**{field.attname: value})
                    shown.append(getattr(row, f"get_{field.name}_display")())
                    djangos.append(Model._get_FIELD_display(row, field))

    assert shown == djangos


def test_the_labels_follow_the_active_language():
    event = Event(kind=Event.Kind.TEACHERS_SEMINAR, format=Event.Format.ONLINE)
    shown = []
    for language in ("lv", "en", "lv"):
        with translation.override(language):
            shown.append((event.get_kind_display(), event.get_format_display()))

    assert shown == [
        ("Seminārs pedagogiem", "Tiešsaistē"),
        ("Seminar for teachers", "Online"),
        ("Seminārs pedagogiem", "Tiešsaistē"),
    ]


def test_each_decorated_model_has_its_own_quick_methods():
    assert {
        model.__name__: sorted(
            field.name
            for field in _choice_fields(model)
            if getattr(model, f"get_{field.name}_display").__module__ == "core.choices"
        )
        for model in MODELS
    } == {model.__name__: sorted(field.name for field in _choice_fields(model)) for model in MODELS}
