"""The booking request form of an item's week page (resource_centres.booking_views)."""

from datetime import date, time

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import IsoDateInput, IsoTimeInput

from .booking_services import REPEAT_WEEKS_MAX

NOTE_MAX = 300
# input type="time" sends "10:00"; people type "10.00" as Latvian writes it.
TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%Y."]
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


class BookingRequestForm(forms.Form):
    day = forms.DateField(
        label=_("Datums"),
        input_formats=DATE_FORMATS,
        widget=IsoDateInput(accepts=DATE_FORMATS),
        error_messages={"invalid": _("Ievadiet datumu, piemēram, 2026-03-24.")},
    )
    starts = forms.TimeField(
        label=_("Sākums"),
        input_formats=TIME_FORMATS,
        widget=IsoTimeInput(accepts=TIME_FORMATS),
        error_messages={"invalid": _("Ievadiet laiku, piemēram, 10.00.")},
    )
    ends = forms.TimeField(
        label=_("Beigas"),
        input_formats=TIME_FORMATS,
        widget=IsoTimeInput(accepts=TIME_FORMATS),
        error_messages={"invalid": _("Ievadiet laiku, piemēram, 12.00.")},
    )
    note = forms.CharField(
        label=_("Kam izmantosiet (nav obligāti)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    repeat = forms.BooleanField(label=_("Atkārtot katru nedēļu"), required=False)
    weeks = forms.TypedChoiceField(
        label=_("Cik nedēļas pēc kārtas"),
        choices=[(number, str(number)) for number in range(2, REPEAT_WEEKS_MAX + 1)],
        coerce=int,
        initial=4,
        required=False,
        help_text=_("Kopā ar pirmo reizi; tikai, ja atzīmēts „Atkārtot katru nedēļu”."),
    )
    # One per form shown: a second submit of the same form is recognised (a double click, the
    # back button), whatever the number of units (booking_views).
    token = forms.UUIDField(widget=forms.HiddenInput)

    def clean_day(self):
        day = self.cleaned_data["day"]
        # Far outside any booking's time, and beyond what the date arithmetic can hold.
        if not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(self.fields["day"].error_messages["invalid"])
        return day

    def clean(self):
        data = super().clean()
        if data.get("repeat") and not data.get("weeks") and "weeks" not in self.errors:
            self.add_error("weeks", _("Izvēlieties, cik nedēļas atkārtot."))
        return data

    @staticmethod
    def initial_for(day: date | None, starts: time | None, ends: time | None) -> dict:
        return {"day": day, "starts": starts, "ends": ends}
