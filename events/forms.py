"""Registration forms: a signed-in person's and a guest's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import SEATS_MAX


class RegistrationForm(forms.Form):
    """Registration by a signed-in person; a guest's form adds name and email."""

    seats = forms.TypedChoiceField(
        label=_("Vietu skaits"),
        choices=[(number, str(number)) for number in range(1, SEATS_MAX + 1)],
        coerce=int,
        initial=1,
        help_text=_("Sev un tiem, kurus vedīsiet līdzi (līdz 4)."),
    )
    needs = forms.CharField(
        label=_("Piekļūstamības vai citas vajadzības"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Piemēram, ieeja ratiņkrēslam, ēdienu ierobežojumi, asistents."),
    )
    photo_consent = forms.BooleanField(
        label=_("Piekrītu, ka mani var fotografēt un foto publicēt"),
        required=False,
    )
    institution = forms.CharField(
        label=_("Izglītības iestāde, kuru pārstāvat"),
        max_length=200,
        required=False,
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        if event.is_teachers_seminar:
            self.fields["institution"].required = True
        else:
            del self.fields["institution"]


class GuestRegistrationForm(RegistrationForm):
    name = forms.CharField(label=_("Vārds, uzvārds"), max_length=150)
    email = forms.EmailField(
        label=_("E-pasts"),
        help_text=_("Uz to nosūtīsim saiti: vieta tiks rezervēta, kad to atvērsiet."),
    )
    field_order = ["name", "email", "seats", "institution", "needs", "photo_consent"]
