"""Forms of the signed-in person's pages and the fields allauth's sign-up form adds."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

NAME_MAX_LENGTH = 150  # User.first_name and User.last_name
PHONE_MAX_LENGTH = 30  # Profile.phone
# Digits with the separators people write: "+371 20 000 000", "(+371) 6512-3456".
PHONE_CHARACTERS = re.compile(r"^[0-9 ()+\-]+$")
PHONE_MIN_DIGITS = 8
PHONE_MAX_DIGITS = 15  # E.164
# The number agrees with the limit ("ne vairāk kā 21 rakstzīme", "… 150 rakstzīmes").
TOO_LONG = ngettext_lazy(
    "Ne vairāk kā %(limit_value)d rakstzīme (tagad %(show_value)d).",
    "Ne vairāk kā %(limit_value)d rakstzīmes (tagad %(show_value)d).",
    "limit_value",
)


def _name_field(label, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
        error_messages={
            "required": _("Šis lauks ir obligāts."),
            "max_length": TOO_LONG,
        },
    )


class SignupForm(forms.Form):
    """What allauth's sign-up form asks besides email and password (ACCOUNT_SIGNUP_FORM_CLASS).

    allauth's adapter copies first_name and last_name to the new user; `signup` then gives the
    person their profile.
    """

    first_name = _name_field(_("Vārds"), "given-name")
    last_name = _name_field(_("Uzvārds"), "family-name")

    # allauth's sign-up form applies this order: the name first, as on a paper form.
    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def signup(self, request, user) -> None:
        # Imported here: allauth imports this module while its own forms module loads.
        from communities.services import save_profile

        save_profile(
            user=user,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
            phone="",
        )


def validate_phone(value: str) -> None:
    digits = sum(character.isdigit() for character in value)
    if (
        not PHONE_CHARACTERS.match(value)
        or value.count("+") > 1
        or not PHONE_MIN_DIGITS <= digits <= PHONE_MAX_DIGITS
    ):
        raise ValidationError(
            _("Ierakstiet tālruņa numuru ar 8–15 cipariem, piemēram, +371 20 000 000."),
            code="invalid_phone",
        )


class ProfileForm(forms.Form):
    first_name = _name_field(_("Vārds"), "given-name")
    last_name = _name_field(_("Uzvārds"), "family-name")
    phone = forms.CharField(
        label=_("Tālrunis"),
        required=False,
        max_length=PHONE_MAX_LENGTH,
        help_text=_("Nav obligāts. Kopienas līderis vai koordinators var jums piezvanīt."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={
            "max_length": TOO_LONG,
        },
    )

    def clean_phone(self) -> str:
        # Here rather than in `validators`: a number that is too long gets one message, not two.
        phone = self.cleaned_data["phone"]
        if phone:
            validate_phone(phone)
        return phone


class AccountDeleteForm(forms.Form):
    """Deleting an account cannot be undone: the person confirms it with their password."""

    password = forms.CharField(
        label=_("Jūsu parole"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Ierakstiet savu paroli, lai apstiprinātu dzēšanu.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("Parole nav pareiza."), code="wrong_password")
        return password


CONTACT_MESSAGE_MIN = 10
CONTACT_MESSAGE_MAX = 3000


class ContactLeadersForm(forms.Form):
    """Writing to a community's leaders (communities.contact). A signed-in person writes under
    their account's name and address; a visitor gives both."""

    name = forms.CharField(
        label=_("Jūsu vārds"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Lūdzu, norādiet savu vārdu."), "max_length": TOO_LONG},
    )
    email = forms.EmailField(
        label=_("Jūsu e-pasta adrese"),
        max_length=254,
        help_text=_("Līderis to redzēs vēstulē, lai varētu jums atbildēt."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Lūdzu, norādiet e-pasta adresi, uz kuru atbildēt."),
            "invalid": _("Ievadiet derīgu e-pasta adresi, piemēram, vards@example.lv."),
            "max_length": TOO_LONG,
        },
    )
    message = forms.CharField(
        label=_("Ziņa"),
        min_length=CONTACT_MESSAGE_MIN,
        max_length=CONTACT_MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Lūdzu, uzrakstiet ziņu."),
            "min_length": ngettext_lazy(
                "Ziņā jābūt vismaz %(limit_value)d rakstzīmei.",
                "Ziņā jābūt vismaz %(limit_value)d rakstzīmēm.",
                "limit_value",
            ),
            "max_length": TOO_LONG,
        },
    )
    # Made when the form is shown: the same form sent twice is one message.
    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and user.is_authenticated:
            # The account's own name and address: nobody writes in someone else's name.
            del self.fields["name"]
            del self.fields["email"]

    def clean_message(self) -> str:
        from communities.contact import check_message

        return check_message(self.cleaned_data["message"])

    def sender(self) -> tuple[str, str]:
        if "email" in self.fields:
            return self.cleaned_data["name"], self.cleaned_data["email"]
        full_name = self.user.get_full_name().strip()
        return full_name or _("Vietnes lietotājs"), self.user.email
