"""The error summary's links: every field's error leads to an element that exists."""

from django import forms
from django.template.loader import render_to_string

from tests.html import parse


class Choice(forms.Form):
    name = forms.CharField(label="Vārds", max_length=5)
    size = forms.ChoiceField(
        label="Izmērs", choices=[("s", "Mazs"), ("l", "Liels")], widget=forms.RadioSelect
    )
    days = forms.MultipleChoiceField(
        label="Dienas", choices=[("1", "P"), ("2", "O")], widget=forms.CheckboxSelectMultiple
    )


class Named(forms.Form):
    note = forms.CharField(label="Piezīme")

    def summary_label(self, field):
        return f"Pirmā daļa: {field.label}"


def summary(form) -> tuple[list[str], list[str]]:
    page = parse(render_to_string("includes/error_summary.html", {"form": form}))
    return page.texts("#kludas li"), [a.get("href") for a in page.select("#kludas a")]


def test_each_error_links_to_an_element_of_the_page_also_for_a_group_of_choices():
    form = Choice(data={"name": "Ilgvārds", "size": "xl"})
    page = parse(form.as_div())

    texts, links = summary(form)

    assert texts == [
        "Vārds: Pārliecinieties, ka vērtībā ir ne vairāk kā 5 rakstzīmes (tajā ir 8).",
        "Izmērs: Izvēlieties derīgu vērtību. xl nav starp pieejamajām.",
        "Dienas: Šis lauks ir obligāts.",
    ]
    assert links == ["#id_name", "#id_size_0", "#id_days_0"]
    # Each link's target is on the page (the form's own HTML).
    assert [page.select(link)[0].get("id") for link in links] == [
        "id_name",
        "id_size_0",
        "id_days_0",
    ]


def test_a_form_can_name_its_fields_for_the_summary():
    texts, links = summary(Named(data={}))

    assert texts == ["Pirmā daļa: Piezīme: Šis lauks ir obligāts."]
    assert links == ["#id_note"]
