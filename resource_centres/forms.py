from django import forms
from django.utils.translation import gettext_lazy as _

from core import geo
from core.forms import QuickSelect


class CentreFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Meklēt"),
        required=False,
        max_length=100,
        help_text=_("Nosaukums, apdzīvotā vieta, novads vai iestāde"),
    )
    # Written in Python (core.forms.QuickSelect), not by a template per option.
    novads = forms.ChoiceField(label=_("Novads"), required=False, widget=QuickSelect)
    # Its 43 options written by a template each took longer than the rest of the form.
    tuvu = forms.ChoiceField(
        label=_("Kārtot pēc attāluma no"),
        required=False,
        choices=geo.municipality_choices,
        widget=QuickSelect,
    )
    # Filled only by static/js/near-me.js from the browser's location, rounded on the server.
    lat = geo.latitude_field()
    lon = geo.longitude_field()

    def __init__(self, *args, municipalities: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["novads"].choices = [("", _("Visi novadi"))] + [(m, m) for m in municipalities]

    def clean(self):
        cleaned_data = super().clean()
        geo.check_pair(self)
        return cleaned_data
