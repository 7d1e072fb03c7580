from django import forms
from django.utils.translation import gettext_lazy as _

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

    def __init__(self, *args, municipalities: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["novads"].choices = [("", _("Visi novadi"))] + [(m, m) for m in municipalities]
