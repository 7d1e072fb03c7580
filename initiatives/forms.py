"""The team's forms: the final report and an initiative a community records on its own.

Like the application form (grants.forms) they check types and lengths only: a draft may be
incomplete, and what a report needs before it is submitted is the services' business
(services.reports.submission_errors). Each field that fails its check is left out of the save
and shown with its message; everything else the person sent is saved.
"""

import datetime
from decimal import Decimal

from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.utils.translation import gettext_lazy as _

from communities.models import ModelElement
from core.forms import AmountField
from grants import uploads
from grants.forms import TOO_LONG, MultipleFileInput
from grants.forms import DateInput as IsoDateInput
from grants.models import MONEY

from .models import FinalReport
from .services.reports import PhotoUpload, ReportChanges

MAX_TEXT = 10_000
MAX_PEOPLE = 100_000
MAX_INSTITUTIONS_TEXT = 20_000
# Photo rows offered on each save; more are added by saving and coming back.
PHOTO_ROWS = 3

NUMBER_MESSAGES = {
    "invalid": _("Ierakstiet veselu skaitli, piemēram, 25."),
    "min_value": _("Skaits nevar būt negatīvs."),
    "max_value": _("Skaits ir neticami liels: ne vairāk kā %(limit_value)s."),
}
AMOUNT_MESSAGES = {
    "invalid": _("Ierakstiet summu eiro ar komatu, piemēram, 1 234,50."),
    "min_value": _("Summa nevar būt negatīva."),
    "max_digits": _("Summa ir neticami liela: pārbaudiet to."),
    "max_whole_digits": _("Summa ir neticami liela: pārbaudiet to."),
    "max_decimal_places": _("Summā var būt ne vairāk kā divi cipari aiz komata (centi)."),
}


def _text(label, *, rows=5, help_text="", max_length=MAX_TEXT) -> forms.CharField:
    field = forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": max_length}),
    )
    for validator in field.validators:
        if isinstance(validator, MaxLengthValidator):
            # Django's own Latvian wording declines the count oddly ("200 zīmei").
            validator.message = TOO_LONG
    return field


class CountField(forms.IntegerField):
    """A number of people, typed as "1 200" too (the Latvian thousands separator)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u00a0", "")
        return super().to_python(value)


def _people(label, *, help_text="") -> forms.IntegerField:
    return CountField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_PEOPLE,
        help_text=help_text,
        error_messages=NUMBER_MESSAGES,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )


def _amount(label) -> AmountField:
    return AmountField(
        label=label,
        required=False,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        min_value=Decimal(0),
        error_messages=AMOUNT_MESSAGES,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 9}),
    )


class DateInput(IsoDateInput):
    """A date input that shows a mistyped value as a browser would: not at all (a date input
    holds only a real date); the field's message says what was wrong."""

    def format_value(self, value):
        if isinstance(value, str):
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                return None
        return super().format_value(value)


class UploadsField(forms.FileField):
    """Several files in one input: each checked by content by the service, which names the
    ones it refuses and stores the others."""

    def clean(self, data, initial=None):
        return [upload for upload in (data or []) if upload]


def spent_name(row) -> str:
    return f"spent_{row.pk}"


def reach_name(group) -> str:
    return f"reach_{group.pk}"


def photo_names(index: int) -> dict[str, str]:
    return {part: f"photo_{index}_{part}" for part in ("file", "alt_text", "caption", "consent")}


class ReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    activities_done = _text(_("Ko izdarījām"), help_text=_("Kādas aktivitātes notika, kad un kur."))
    results = _text(_("Rezultāti"), help_text=_("Kas ir mainījies, ko sasniedzām."))
    next_steps = _text(_("Kas notiks tālāk"), rows=3)
    story = _text(
        _("Stāsts jūsu vārdiem"),
        rows=8,
        help_text=_("Pastāstiet, kā tas notika un ko tas nozīmēja cilvēkiem. Tas būs publisks."),
    )
    model_elements = forms.ModelMultipleChoiceField(
        label=_("Kurus modeļa elementus īstenojāt"),
        queryset=ModelElement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants = _people(_("Dalībnieku skaits kopā"))
    volunteers = _people(_("Brīvprātīgo skaits"))
    institutions = _text(
        _("Iesaistītās iestādes un organizācijas"),
        rows=5,
        max_length=MAX_INSTITUTIONS_TEXT,
        help_text=_("Katru savā rindā, pilnā nosaukumā, piemēram, „Preiļu novada dome”."),
    )
    own_contribution = _amount(_("Līdzfinansējums, EUR"))
    receipts = UploadsField(
        label=_("Pievienot izdevumus apliecinošus dokumentus"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
        help_text=_("Čeki, rēķini, līgumi: PDF, JPEG vai PNG, katra datne līdz 10 MB."),
    )

    def __init__(self, *args, report: FinalReport, spending, target_groups, elements, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.spending_rows = list(spending)
        self.target_groups = list(target_groups)
        self.fields["model_elements"].queryset = elements
        if not report.initiative.is_funded:
            del self.fields["own_contribution"]
            del self.fields["receipts"]
        for row in self.spending_rows:
            self.fields[spent_name(row)] = _amount(
                _("Izlietots: %(item)s, EUR") % {"item": row.item}
            )
        for group in self.target_groups:
            self.fields[reach_name(group)] = _people(group.title)
        for index in range(PHOTO_ROWS):
            names = photo_names(index)
            number = index + 1
            # Checked by content and re-encoded by the service (core.images), which names a
            # refused file and says why.
            self.fields[names["file"]] = forms.FileField(
                label=_("%(number)s. fotoattēls") % {"number": number},
                required=False,
                widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
            )
            self.fields[names["alt_text"]] = forms.CharField(
                label=_("Kas redzams %(number)s. fotoattēlā (alternatīvais teksts)")
                % {"number": number},
                required=False,
                max_length=200,
                error_messages={"max_length": TOO_LONG},
            )
            self.fields[names["caption"]] = forms.CharField(
                label=_("%(number)s. fotoattēla paraksts") % {"number": number},
                required=False,
                max_length=250,
                error_messages={"max_length": TOO_LONG},
            )
            self.fields[names["consent"]] = forms.BooleanField(
                label=_("Cilvēki fotoattēlā piekrīt tā publicēšanai"), required=False
            )

    # The service checks photos by content and says what is wrong with one; the form only
    # passes the upload along.
    def _clean_fields(self):
        super()._clean_fields()
        for index in range(PHOTO_ROWS):
            self.errors.pop(photo_names(index)["file"], None)

    def clean(self):
        data = super().clean()
        for index in range(PHOTO_ROWS):
            names = photo_names(index)
            upload = self.files.get(names["file"]) if self.files else None
            if upload is None:
                continue
            data[names["file"]] = upload
            name = uploads.display_name(upload)
            if not (data.get(names["alt_text"]) or "").strip() and names["alt_text"] not in (
                self.errors
            ):
                self.add_error(
                    names["alt_text"],
                    _(
                        "Fotoattēls „%(name)s” netika pievienots: aprakstiet, kas tajā redzams, "
                        "un pievienojiet to vēlreiz."
                    )
                    % {"name": name},
                )
            if not data.get(names["consent"]):
                self.add_error(
                    names["consent"],
                    _(
                        "Fotoattēls „%(name)s” netika pievienots: apstipriniet, ka cilvēki tajā "
                        "piekrīt tā publicēšanai, un pievienojiet to vēlreiz."
                    )
                    % {"name": name},
                )
        return data

    # --- Groups of fields, for the template --------------------------------------------------

    def spending_fields(self):
        return [(row, self[spent_name(row)]) for row in self.spending_rows]

    def reach_fields(self):
        return [self[reach_name(group)] for group in self.target_groups]

    def photo_rows(self):
        return [
            {part: self[name] for part, name in photo_names(index).items()}
            for index in range(PHOTO_ROWS)
        ]

    # --- What goes to the service ------------------------------------------------------------

    def changes(self, *, with_files: bool, remove_receipts=(), remove_photos=()) -> ReportChanges:
        """Everything that passed its check; what failed is left as it was saved."""
        data = self.cleaned_data
        ok = [name for name in self.fields if name not in self.errors]
        fields = {
            name: data.get(name)
            for name in (
                "activities_done",
                "results",
                "next_steps",
                "story",
                "participants",
                "volunteers",
                "own_contribution",
            )
            if name in ok and name in self.fields
        }
        spending = None
        if self.spending_rows and all(spent_name(row) in ok for row in self.spending_rows):
            # A cap over the whole table: only a fully readable table is weighed against it.
            spending = {row.pk: data.get(spent_name(row)) for row in self.spending_rows}
        reach = {
            group.pk: data.get(reach_name(group))
            for group in self.target_groups
            if reach_name(group) in ok
        }
        changes = ReportChanges(
            fields=fields,
            spending=spending,
            reach=reach,
            institutions=(
                (data.get("institutions") or "").splitlines() if "institutions" in ok else None
            ),
            model_elements=(
                [element.pk for element in data.get("model_elements") or []]
                if "model_elements" in ok
                else None
            ),
        )
        if with_files:
            if "receipts" in self.fields:
                changes.receipts = self.files.getlist("receipts")
            changes.remove_receipts = list(remove_receipts)
            changes.remove_photos = list(remove_photos)
            for index in range(PHOTO_ROWS):
                names = photo_names(index)
                upload = self.files.get(names["file"])
                if upload is None or any(name in self.errors for name in names.values()):
                    continue
                changes.photos.append(
                    PhotoUpload(
                        upload=upload,
                        alt_text=data.get(names["alt_text"], ""),
                        caption=data.get(names["caption"], ""),
                        consent=bool(data.get(names["consent"])),
                    )
                )
        return changes


def report_initial(report: FinalReport, *, spending, reach, institutions, elements) -> dict:
    """The saved report as the form's starting values."""
    initial = {
        "version": report.version,
        "activities_done": report.activities_done,
        "results": report.results,
        "next_steps": report.next_steps,
        "story": report.story,
        "participants": report.participants,
        "volunteers": report.volunteers,
        "own_contribution": report.own_contribution,
        "institutions": "\n".join(institution.name for institution in institutions),
        "model_elements": [element.pk for element in elements],
    }
    for row in spending:
        initial[spent_name(row)] = row.spent
    for row in reach:
        initial[f"reach_{row.target_group_id}"] = row.count
    return initial


# --- A community's own initiative -------------------------------------------------------------


class RecordForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("Kopiena"), queryset=None, empty_label=None, to_field_name="pk"
    )
    title = forms.CharField(label=_("Nosaukums"), max_length=200)
    year = forms.IntegerField(
        label=_("Gads"),
        min_value=2000,
        error_messages={
            "invalid": _("Ierakstiet gadu ar cipariem, piemēram, 2025."),
            "min_value": _("Gadam jābūt ne agrākam par %(limit_value)s."),
            "max_value": _("Iniciatīvu var pieteikt ne vēlāk kā par %(limit_value)s. gadu."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
    )
    summary = _text(
        _("Īsumā: ko kopiena izdarīja"),
        rows=4,
        max_length=2000,
        help_text=_("Pāris teikumos; visu pārējo varēsiet aprakstīt atskaitē."),
    )
    starts_on = forms.DateField(
        label=_("Sākums"),
        required=False,
        widget=DateInput,
        help_text=_("Datums formātā 2025-05-01 vai 1.05.2025."),
        error_messages={"invalid": _("Ierakstiet datumu, piemēram, 2025-05-01.")},
    )
    ends_on = forms.DateField(
        label=_("Beigas"),
        required=False,
        widget=DateInput,
        error_messages={"invalid": _("Ierakstiet datumu, piemēram, 2025-06-30.")},
    )

    def __init__(self, *args, communities, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["year"].validators.append(MaxValueValidator(today.year + 1))
        self.fields["summary"].required = True
        for name in ("title", "summary", "community"):
            self.fields[name].error_messages["required"] = _("Aizpildiet šo lauku.")
        self.fields["year"].error_messages["required"] = _("Norādiet gadu.")
        for validator in self.fields["title"].validators:
            if isinstance(validator, MaxLengthValidator):
                validator.message = TOO_LONG

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Beigas nevar būt agrāk par sākumu."))
        return data


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Posms"), max_length=200)
    due_on = forms.DateField(
        label=_("Plānotais datums"),
        widget=DateInput,
        error_messages={
            "invalid": _("Ierakstiet datumu, piemēram, 2025-05-01."),
            "required": _("Norādiet datumu."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Aizpildiet šo lauku.")
        for validator in self.fields["title"].validators:
            if isinstance(validator, MaxLengthValidator):
                validator.message = TOO_LONG


__all__ = [
    "PHOTO_ROWS",
    "MilestoneForm",
    "RecordForm",
    "ReportForm",
    "report_initial",
]
