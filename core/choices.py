"""A choice's label as get_FOO_display writes it, at the cost of one dictionary lookup.

Django's get_FOO_display builds a dictionary of every choice on each call, hashing each lazy
label, which translates it: an event card's kind and format cost a dozen translations, and a
list shows twenty cards. `quick_choice_labels` gives a model get_FOO_display methods that look
the label up in a dictionary made once per field, keyed by value (the labels stay lazy, so
each call still answers in the active language).
"""

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def _display(field: models.Field):
    labels = {make_hashable(value): label for value, label in field.flatchoices}

    def display(self) -> str:
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)

    display.__name__ = f"get_{field.name}_display"
    return display


def quick_choice_labels[M: type[models.Model]](model: M) -> M:
    """Class decorator: the model's get_FOO_display methods (for its own fields with fixed
    choices), each one dictionary lookup; what they return is what Django's would."""
    for field in model._meta.local_fields:
        if isinstance(field.choices, list | tuple):
            setattr(model, f"get_{field.name}_display", _display(field))
    return model
