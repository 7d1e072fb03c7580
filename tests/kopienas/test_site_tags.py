"""site_tags' choice_input writes a choice field's option exactly as Django's own widget
templates do, in every state a form puts it in."""

import pytest
from django import forms
from django.template import Context, Template

from kopienas.templatetags.site_tags import choice_input


class LevelForm(forms.Form):
    level = forms.ChoiceField(
        choices=[("1", "Pirmais"), ("2", "Otrais <b>&</b> „trešais”"), ("3", "Trešais")],
        widget=forms.RadioSelect(attrs={"class": "level", "data-note": 'a "quoted" <note>'}),
        help_text="Izvēlieties vienu.",
    )
    extra = forms.MultipleChoiceField(
        choices=[(1, "Viens"), (2, "Divi")], widget=forms.CheckboxSelectMultiple, required=False
    )


@pytest.mark.parametrize(
    ("data", "initial"),
    [
        (None, {}),
        (None, {"level": "2", "extra": [2]}),
        ({"level": "3", "extra": ["1", "2"]}, {}),
        ({"level": "9"}, {}),  # invalid: the errors' aria attributes
        ({}, {}),  # required and missing
    ],
)
def test_choice_input_is_djangos_own_option(data, initial):
    form = LevelForm(data, initial=initial)
    if data is not None:
        form.is_valid()
    for name in ("level", "extra"):
        options = list(form[name])
        assert options
        assert [choice_input(option) for option in options] == [option.tag() for option in options]


def test_choice_input_in_a_template_is_escaped_once():
    form = LevelForm(initial={"level": "2"})
    rendered = Template(
        "{% load site_tags %}{% for radio in form.level %}{{ radio|choice_input }}{% endfor %}"
    ).render(Context({"form": form}))
    assert rendered == "".join(option.tag() for option in form["level"])
    assert rendered.count('data-note="a &quot;quoted&quot; &lt;note&gt;"') == 3
    assert rendered.count(" checked") == 1
