from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Membership
from .services import SEATS_MAX


class MembershipDecisionForm(forms.Form):
    """A leader's answer to one request: approve with a role, or decline."""

    APPROVE = "approve"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        label=_("Lēmums"),
        choices=[(APPROVE, _("Apstiprināt")), (DECLINE, _("Noraidīt"))],
        error_messages={
            "required": _("Izvēlieties „Apstiprināt” vai „Noraidīt”."),
            "invalid_choice": _("Izvēlieties „Apstiprināt” vai „Noraidīt”."),
        },
    )
    role = forms.ChoiceField(
        label=_("Loma"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        required=False,
        error_messages={"invalid_choice": _("Izvēlieties lomu no saraksta.")},
    )

    def clean(self):
        cleaned = super().clean()
        # An unknown role already has its own message.
        if cleaned.get("decision") == self.APPROVE and "role" in cleaned and not cleaned["role"]:
            self.add_error("role", _("Izvēlieties, kādā lomā apstiprināt dalībnieku."))
        return cleaned

    @property
    def approves(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


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
