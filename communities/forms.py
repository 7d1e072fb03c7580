from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Membership


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
