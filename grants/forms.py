"""Application forms. They check types and lengths only: a draft may be incomplete, and the
rules for submission live in services.submission_errors."""

from decimal import Decimal

from django import forms
from django.core import signing
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db.models import Exists, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from communities.models import ModelElement, TargetGroup
from core.forms import AmountField

from .models import DRAFT_KEY_SHAPE, MONEY, Application, BudgetLine, GrantRound, new_draft_key

MAX_PARTICIPANTS = 100_000
# The number agrees with the limit ("ne vairāk kā 21 rakstzīme", "… 200 rakstzīmes").
TOO_LONG = ngettext_lazy(
    "Teksts ir par garu: atļauta ne vairāk kā %(limit_value)d rakstzīme (tagad %(show_value)d).",
    "Teksts ir par garu: atļautas ne vairāk kā %(limit_value)d rakstzīmes (tagad %(show_value)d).",
    "limit_value",
)
EXTRA_LINES = 3
MAX_LINES = BudgetLine.MAX_PER_APPLICATION


def _draft_signer(*, user, grant_round) -> signing.Signer:
    return signing.Signer(salt=f"grants.draft-key:{user.pk}:{grant_round.pk}")


def draft_token(*, user, grant_round) -> str:
    """A new form's draft key, issued by the server and signed for this person and round."""
    return _draft_signer(user=user, grant_round=grant_round).sign(new_draft_key())


def draft_key_from_token(token: str, *, user, grant_round) -> str | None:
    """The key a new form's token carries, or None when the server did not issue it to this
    person for this round (typed by hand, copied from someone else, or altered)."""
    try:
        key = _draft_signer(user=user, grant_round=grant_round).unsign(token)
    except signing.BadSignature:
        return None
    return key if DRAFT_KEY_SHAPE.match(key) else None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # The ISO format a date input understands; typed "1.02.2027" is accepted too.
        super().__init__(attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ApplicationForm(forms.ModelForm):
    version = forms.IntegerField(
        label=_("Versija"), widget=forms.HiddenInput, required=False, min_value=0
    )
    # Names a new application before its first save: a second click or a resent copy of the
    # same new form finds the draft the first one made instead of starting another. It carries
    # a key the server issued, signed for this person and round (draft_token), never one the
    # client chose.
    draft_key = forms.CharField(
        label=_("Melnraksta atslēga"), widget=forms.HiddenInput, required=False, max_length=200
    )
    files = forms.FileField(
        label=_("Pievienot pielikumus"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
        help_text=_("PDF, JPEG vai PNG; katra datne līdz 10 MB, kopā ne vairāk kā 10 datņu."),
    )

    class Meta:
        model = Application
        fields = [*Application.CONTENT_FIELDS, *Application.RELATION_FIELDS]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "needs": forms.Textarea(attrs={"rows": 5}),
            "goals": forms.Textarea(attrs={"rows": 5}),
            "activities": forms.Textarea(attrs={"rows": 6}),
            "timeline": forms.Textarea(attrs={"rows": 5}),
            "partners": forms.Textarea(attrs={"rows": 3}),
            "starts_on": DateInput,
            "ends_on": DateInput,
            "target_groups": forms.CheckboxSelectMultiple,
            "model_elements": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "partners": _("Piemēram, pašvaldība, skola, uzņēmumi, biedrības."),
            "starts_on": _("Datums formātā 2027-02-01 vai 1.02.2027."),
        }

    def __init__(self, *args, communities, grant_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["community"].empty_label = None
        self.fields["community"].label = _("Kopiena, kuras vārdā piesakāties")
        # The round's own target groups, or every group when the round names none: one query
        # when the choices are shown, not one to ask and another to list.
        limited = GrantRound.target_groups.through.objects.filter(grantround_id=grant_round.pk)
        self.fields["target_groups"].queryset = TargetGroup.objects.filter(
            Q(pk__in=limited.values("targetgroup_id")) | ~Exists(limited)
        )
        self.fields["model_elements"].queryset = ModelElement.objects.all()
        participants = self.fields["expected_participants"]
        # Own wording: Django's Latvian catalogue spells "jabūt" without its "ā".
        participants.validators = [
            validator
            for validator in participants.validators
            if not isinstance(validator, MinValueValidator | MaxValueValidator)
        ] + [
            MinValueValidator(1, message=_("Dalībnieku skaitam jābūt vismaz %(limit_value)s.")),
            MaxValueValidator(
                MAX_PARTICIPANTS,
                message=_("Dalībnieku skaitam jābūt ne lielākam par %(limit_value)s."),
            ),
        ]
        participants.widget.attrs.update({"min": 1, "max": MAX_PARTICIPANTS})
        for name in Application.TEXT_FIELDS:
            field = self.fields[name]
            field.widget.attrs["maxlength"] = field.max_length
            for validator in field.validators:
                if isinstance(validator, MaxLengthValidator):
                    # Django's own Latvian wording declines the count oddly ("200 zīmei").
                    validator.message = TOO_LONG

    def _post_clean(self):
        # A draft keeps whatever is typed: the model's own checks (uniqueness and the like)
        # are the services' business, not the form's.
        pass


def _money_field(label, *, required=False) -> forms.DecimalField:
    return AmountField(
        label=label,
        required=required,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        min_value=Decimal(0),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
    )


class BudgetLineForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    item = forms.CharField(label=_("Pozīcija"), max_length=200, required=False)
    # Required for every typed line (clean), never assumed: the empty first option stays
    # chosen until the applicant picks one. Not required as a field: the table's empty rows
    # have none.
    category = forms.ChoiceField(
        label=_("Kategorija"),
        choices=[("", _("— izvēlieties —")), *BudgetLine.Category.choices],
        required=False,
    )
    quantity = _money_field(_("Daudzums"))
    unit_price = _money_field(_("Vienības cena, EUR"))
    own_contribution = _money_field(_("Līdzfinansējums, EUR"))

    def clean(self):
        data = super().clean()
        if not self.is_blank() and not data.get("category") and "category" not in self.errors:
            self.add_error("category", _("Izvēlieties pozīcijas kategoriju."))
        return data

    def is_blank(self) -> bool:
        """Nothing typed: an empty row of the table, not a line."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any(
            data.get(name) not in (None, "")
            for name in BudgetLine.CONTENT_FIELDS
            if name != "category"
        )


class BaseBudgetLineFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": _(
            "Budžetā var būt ne vairāk kā %(num)d pozīcijas. Apvienojiet vai izdzēsiet liekās."
        ),
    }


BudgetLineFormSet = forms.formset_factory(
    BudgetLineForm,
    formset=BaseBudgetLineFormSet,
    extra=EXTRA_LINES,
    can_delete=True,
    max_num=MAX_LINES,
    # The cap is the service's (one message, on every path); the form only stops parsing.
    validate_max=False,
    absolute_max=MAX_LINES + EXTRA_LINES,
)
LINES_PREFIX = "lines"


def line_initial(application: Application | None) -> list[dict]:
    if application is None or application.pk is None:
        return []
    return [
        {"id": line.pk, **{name: getattr(line, name) for name in BudgetLine.CONTENT_FIELDS}}
        for line in application.budget_lines.all()
    ]


class WithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
