from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ActionItem, Membership


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


# --- Managing members (issue 17) ---------------------------------------------------------------


def _successor_field(candidates, *, required: bool) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Pēctecis (kļūs par līderi)"),
        coerce=int,
        required=required,
        empty_value=None,
        choices=[("", "—")] + [(m.pk, m.user.get_full_name() or m.user.email) for m in candidates],
        error_messages={
            "required": _("Izvēlieties pēcteci no kopienas aktīvajiem dalībniekiem."),
            "invalid_choice": _("Izvēlieties pēcteci no kopienas aktīvajiem dalībniekiem."),
        },
    )


class RoleChangeForm(forms.Form):
    """A leader gives an active member another role (the members page, one form per row)."""

    role = forms.ChoiceField(
        label=_("Loma"),
        choices=Membership.Role.choices,
        error_messages={
            "required": _("Izvēlieties lomu no saraksta."),
            "invalid_choice": _("Izvēlieties lomu no saraksta."),
        },
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the last leader's row offers it: the service asks for it when it is needed.
        self.fields["successor"] = _successor_field(candidates, required=False)


class RemoveMemberForm(forms.Form):
    message = forms.CharField(
        label=_("Ziņa personai (nav obligāta)"),
        help_text=_("Tiks nosūtīta pa e-pastu kopā ar ziņu par noņemšanu."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _("Ne vairāk kā %(limit_value)d rakstzīmes (tagad %(show_value)d).")
        },
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["successor"] = _successor_field(candidates, required=True)


class LeaveForm(forms.Form):
    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["successor"] = _successor_field(candidates, required=True)


# --- Capacity self-assessment (issue 16) -------------------------------------------------------

LEVEL_CHOICE_ERRORS = {"invalid_choice": _("Izvēlieties līmeni no 1 līdz 4.")}
TOO_LONG = _("Ne vairāk kā %(limit_value)d rakstzīmes (tagad %(show_value)d).")


def _level_choices(row) -> list[tuple[str, str]]:
    return [(str(level.level), f"{level.level} – {level.text}") for level in row.levels]


def _text_field(label, limit: int, *, required: bool = False, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": TOO_LONG, "required": _("Šis lauks ir obligāts.")},
    )


def add_service_errors(form: forms.Form, error) -> None:
    """A service's ValidationError on the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class RoundForm(forms.Form):
    title = forms.CharField(
        label=_("Nosaukums"),
        max_length=200,
        error_messages={"required": _("Šis lauks ir obligāts."), "max_length": TOO_LONG},
    )
    opens_on = forms.DateField(
        label=_("Atvērta no"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Norādiet datumu."),
            "invalid": _("Norādiet datumu formā GGGG-MM-DD."),
        },
    )
    closes_on = forms.DateField(
        label=_("Atvērta līdz (ieskaitot)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Norādiet datumu."),
            "invalid": _("Norādiet datumu formā GGGG-MM-DD."),
        },
    )


class DimensionFieldsForm(forms.Form):
    """A form with a group of fields per dimension, named "<part>-<dimension id>", so the
    services' errors (keyed the same way) land on the right field."""

    parts: tuple[str, ...] = ()

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.add_dimension_fields(row)

    def add_dimension_fields(self, row) -> None:
        raise NotImplementedError

    def groups(self):
        """(row, {part: bound field}) per dimension, for the template's fieldsets."""
        return [
            (row, {part: self[f"{part}-{row.dimension.pk}"] for part in self.parts})
            for row in self.rows
        ]

    def by_dimension(self, part_names: tuple[str, ...]) -> dict[int, tuple]:
        return {
            row.dimension.pk: tuple(
                self.cleaned_data.get(f"{part}-{row.dimension.pk}") or "" for part in part_names
            )
            for row in self.rows
        }

    def add_service_errors(self, error) -> None:
        add_service_errors(self, error)

    def summary_label(self, field) -> str:
        """A field's name in the error summary: its dimension, then its own label."""
        pk = int(field.name.rsplit("-", 1)[1])
        dimension = next(row.dimension for row in self.rows if row.dimension.pk == pk)
        return f"{dimension.title}: {field.label}"


class AnswerForm(DimensionFieldsForm):
    """A member's level and comment for each dimension of a round."""

    parts = ("level", "comment")

    def add_dimension_fields(self, row) -> None:
        pk = row.dimension.pk
        self.fields[f"level-{pk}"] = forms.ChoiceField(
            label=_("Līmenis"),
            choices=_level_choices(row),
            widget=forms.RadioSelect,
            required=False,
            error_messages=LEVEL_CHOICE_ERRORS,
        )
        self.fields[f"comment-{pk}"] = _text_field(_("Komentārs (nav obligāts)"), 2000)

    def answers(self) -> dict[int, tuple]:
        return {
            pk: (level or None, comment)
            for pk, (level, comment) in self.by_dimension(self.parts).items()
        }


class ConsensusForm(DimensionFieldsForm):
    """The leader's record of the agreed level, its reason and evidence, per dimension."""

    parts = ("level", "reason", "evidence")

    def add_dimension_fields(self, row) -> None:
        pk = row.dimension.pk
        self.fields[f"level-{pk}"] = forms.ChoiceField(
            label=_("Kopienas vienošanās līmenis"),
            choices=_level_choices(row),
            widget=forms.RadioSelect,
            required=False,
            error_messages=LEVEL_CHOICE_ERRORS,
        )
        self.fields[f"reason-{pk}"] = _text_field(_("Pamatojums"), 2000)
        self.fields[f"evidence-{pk}"] = _text_field(_("Pierādījumi (nav obligāti)"), 2000)

    def entries(self) -> dict[int, tuple]:
        return {
            pk: (level or None, reason, evidence)
            for pk, (level, reason, evidence) in self.by_dimension(self.parts).items()
            if level or reason or evidence
        }


class ActionItemForm(forms.Form):
    dimension = forms.TypedChoiceField(
        label=_("Dimensija"),
        coerce=int,
        error_messages={
            "required": _("Izvēlieties dimensiju."),
            "invalid_choice": _("Izvēlieties dimensiju no saraksta."),
        },
    )
    text = forms.CharField(
        label=_("Darbība"),
        max_length=500,
        error_messages={"required": _("Šis lauks ir obligāts."), "max_length": TOO_LONG},
    )
    owner = forms.TypedChoiceField(
        label=_("Atbildīgais (nav obligāts)"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Izvēlieties atbildīgo no saraksta.")},
    )
    due_on = forms.DateField(
        label=_("Termiņš (nav obligāts)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Norādiet datumu formā GGGG-MM-DD.")},
    )

    def __init__(self, *args, dimensions, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = [("", "—")] + [(d.pk, d.title) for d in dimensions]
        self.fields["owner"].choices = [("", "—")] + [
            (m.user_id, m.user.get_full_name() or m.user.email) for m in owners
        ]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Statuss"),
        choices=ActionItem.Status.choices,
        error_messages={
            "required": _("Izvēlieties statusu no saraksta."),
            "invalid_choice": _("Izvēlieties statusu no saraksta."),
        },
    )
