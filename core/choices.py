"""A choice's label as get_FOO_display writes it, at the cost of one dictionary lookup.

Django's get_FOO_display builds a dictionary of every choice on each call, hashing each lazy
label, which translates it: an event card's kind and format cost a dozen translations, and a
list shows twenty cards. Here each choices class is read into a dictionary once, by value.
"""

from functools import cache

from django.db import models
from django.utils.encoding import force_str


@cache
def _labels(choices: type[models.Choices]) -> dict:
    return dict(choices.choices)


def choice_label(choices: type[models.Choices], value) -> str:
    """The label of `value` among `choices` in the active language; the value itself when it is
    not one of them (as get_FOO_display)."""
    return force_str(_labels(choices).get(value, value))
