"""Registration forms (a signed-in person's and a guest's) and the forms of community events
run from the site."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from communities.models import ModelElement, TargetGroup
from core import formats
from core.forms import IsoDateInput, IsoTimeInput
from core.images import process_photo
from resource_centres.selectors import published_centres

from .community_events import (
    PHOTO_OR_REMOVAL,
    SERIES_MAX,
    TOO_MANY_DATES,
    Repeat,
    Schedule,
    repeat_dates,
)
from .models import EVENT_MAX_DURATION, Event
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


# --- Community events on the public site (issue 17) --------------------------------------------

# input type="date"/"time" send ISO; people type what Latvian writes ("24.03.2026", "18.00").
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%Y."]
TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
DESCRIPTION_MAX = 5000
REQUIRED = _("Šis lauks ir obligāts.")
TOO_LONG = _("Ne vairāk kā %(limit_value)d rakstzīmes (tagad %(show_value)d).")
BAD_DATE = _("Ievadiet datumu, piemēram, 2026-03-24.")
BAD_TIME = _("Ievadiet laiku, piemēram, 18.00.")


def _numeric(size: int = 6) -> forms.TextInput:
    # A text input, as the site's other counts: what was mistyped is shown back as typed
    # (an input type="number" may hold only a number).
    return forms.TextInput(attrs={"inputmode": "numeric", "size": size})


def _date_field(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        widget=IsoDateInput(accepts=DATE_FORMATS),
        error_messages={"invalid": BAD_DATE, "required": REQUIRED},
    )


def _time_field(label):
    return forms.TimeField(
        label=label,
        input_formats=TIME_FORMATS,
        widget=IsoTimeInput(accepts=TIME_FORMATS),
        error_messages={"invalid": BAD_TIME, "required": REQUIRED},
    )


class CommunityEventForm(forms.ModelForm):
    """A community's event as its leaders create, edit and copy it on the site. Times are typed
    on Riga's wall clock; the slug is made by the service; the photo goes through the one
    re-encoder (core.images.process_photo), as in the admin."""

    starts_on = _date_field(_("Datums"))
    starts_time = _time_field(_("Sākuma laiks"))
    ends_on = _date_field(_("Beigu datums"), required=False, help_text=_("Tukšs: tajā pašā dienā."))
    ends_time = _time_field(_("Beigu laiks"))
    deadline_on = _date_field(
        _("Pieteikšanās termiņš"),
        required=False,
        help_text=_("Pieteikties var līdz šīs dienas beigām. Tukšs: līdz pasākuma sākumam."),
    )
    image = forms.FileField(
        label=_("Attēls"),
        required=False,
        help_text=_(
            "JPEG, PNG vai WebP, līdz 10 MB un 40 megapikseļiem. "
            "Atrašanās vietas dati tiek izdzēsti."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    # Shown on the edit page of an event that has a photo.
    remove_image = forms.BooleanField(
        label=_("Noņemt attēlu"),
        required=False,
        help_text=_("Saglabājot pasākumu, attēls un tā apraksts tiks dzēsti."),
    )
    repeat = forms.ChoiceField(
        label=_("Atkārtot"),
        choices=[
            (Repeat.NONE, _("Neatkārtot")),
            (Repeat.WEEKLY, _("Katru nedēļu")),
            (Repeat.MONTHLY, _("Katru mēnesi tajā pašā datumā")),
        ],
        initial=Repeat.NONE,
        widget=forms.RadioSelect,
        help_text=_(
            "Katrs atkārtojums ir atsevišķs pasākums, ko var labot un atcelt atsevišķi. "
            "Mēnešos, kuros šāda datuma nav, pasākums netiek veidots."
        ),
        error_messages={"invalid_choice": _("Izvēlieties no saraksta.")},
    )
    repeat_until = _date_field(_("Atkārtot līdz (ieskaitot)"), required=False)
    repeat_count = forms.IntegerField(
        label=_("Vai: cik reizes kopā"),
        required=False,
        min_value=2,
        max_value=SERIES_MAX,
        widget=_numeric(3),
        error_messages={
            "invalid": _("Ievadiet veselu skaitli."),
            "min_value": _("Vismaz %(limit_value)s reizes."),
        },
    )
    # The `updated_at` of the event the form was made from (optimistic lock).
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    # One per form shown: a second submit of the same form is recognised (leader_views).
    token = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "format",
            "description",
            "centre",
            "address",
            "online_url",
            "registration_mode",
            "capacity",
            "external_registration_url",
            "target_groups",
            "model_elements",
            "image_alt",
            "is_published",
        ]
        widgets = {
            "target_groups": forms.CheckboxSelectMultiple,
            "model_elements": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 6}),
            "capacity": _numeric(),
        }

    def __init__(self, *args, community, repeats: bool = False, carries_image=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        # A copy takes the source's photo unless another is uploaded.
        self.carries_image = carries_image
        self.processed_photo = None
        for form_field in self.fields.values():
            form_field.error_messages.setdefault("max_length", TOO_LONG)
            form_field.error_messages["required"] = REQUIRED
        self.fields["description"].max_length = DESCRIPTION_MAX
        self.fields["description"].validators.append(MaxLengthValidator(DESCRIPTION_MAX))
        if not self.instance.kind:
            # A new event is most often the community's own; the model has no default kind.
            self.initial["kind"] = Event.Kind.COMMUNITY_EVENT
        self.fields["centre"].queryset = published_centres().order_by("name")
        self.fields["centre"].empty_label = _("– Nav centrā –")
        self.fields["target_groups"].queryset = TargetGroup.objects.order_by("order", "pk")
        self.fields["model_elements"].queryset = ModelElement.objects.order_by("order", "pk")
        for name in ("target_groups", "model_elements", "centre", "kind", "format"):
            self.fields[name].error_messages.update(
                invalid_choice=_("Izvēlieties no saraksta."),
                invalid_pk_value=_("Izvēlieties no saraksta."),
            )
        self.fields["capacity"].error_messages.update(
            {"invalid": _("Ievadiet veselu skaitli."), "min_value": _("Vismaz 1 vieta.")}
        )
        if not (self.instance.pk and self.instance.image) or carries_image:
            del self.fields["remove_image"]
        if repeats:
            self.fields["repeat_count"].error_messages["max_value"] = TOO_MANY_DATES % {
                "max": SERIES_MAX
            }
        else:
            for name in ("repeat", "repeat_until", "repeat_count"):
                del self.fields[name]

    @classmethod
    def initial_from(cls, event: Event, *, with_dates: bool = True) -> dict:
        """The form's values for an existing event (to edit it, or to copy it without dates)."""
        initial = {
            "target_groups": list(event.target_groups.all()),
            "model_elements": list(event.model_elements.all()),
        }
        if with_dates:
            starts, ends = formats.riga(event.starts_at), formats.riga(event.ends_at)
            initial.update(
                starts_on=starts.date(),
                starts_time=starts.time(),
                ends_on=ends.date() if ends.date() != starts.date() else None,
                ends_time=ends.time(),
                version=event.updated_at.isoformat(),
            )
            if event.registration_deadline is not None:
                initial["deadline_on"] = (
                    formats.riga(event.registration_deadline) - timedelta(microseconds=1)
                ).date()
        else:
            initial["ends_time"] = formats.riga(event.ends_at).time()
            initial["starts_time"] = formats.riga(event.starts_at).time()
        return initial

    def _clean_day(self, name):
        day = self.cleaned_data.get(name)
        # Far outside any event's time, and beyond what the date arithmetic can hold.
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationError(BAD_DATE)
        return day

    def clean_starts_on(self):
        return self._clean_day("starts_on")

    def clean_ends_on(self):
        return self._clean_day("ends_on")

    def clean_deadline_on(self):
        return self._clean_day("deadline_on")

    def clean_repeat_until(self):
        return self._clean_day("repeat_until")

    def clean_version(self):
        raw = self.cleaned_data.get("version") or ""
        if self.instance.pk is None:
            return None
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            return None

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload or "image" not in self.changed_data:
            return upload
        self.processed_photo = process_photo(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        starts_on, starts_time = cleaned.get("starts_on"), cleaned.get("starts_time")
        ends_time = cleaned.get("ends_time")
        ends_on = cleaned.get("ends_on") or starts_on
        self.schedule = None
        if starts_on and starts_time and ends_time and "ends_on" not in self.errors:
            starts = datetime.combine(starts_on, starts_time, tzinfo=formats.RIGA)
            ends = datetime.combine(ends_on, ends_time, tzinfo=formats.RIGA)
            if ends <= starts:
                self.add_error("ends_time", _("Beigām jābūt pēc sākuma."))
            elif ends - starts > EVENT_MAX_DURATION:
                self.add_error("ends_time", _("Pasākums var ilgt ne vairāk kā 31 dienu."))
            deadline_on = cleaned.get("deadline_on")
            if deadline_on and deadline_on > starts_on:
                self.add_error("deadline_on", _("Termiņam jābūt ne vēlāk kā pasākuma dienā."))
            self._check_repeat(cleaned, starts_on)
            if not self.errors:
                self.schedule = Schedule(
                    starts_on=starts_on,
                    starts_time=starts_time,
                    ends_on=ends_on,
                    ends_time=ends_time,
                    deadline_on=deadline_on,
                    repeat=cleaned.get("repeat") or Repeat.NONE,
                    repeat_until=cleaned.get("repeat_until"),
                    repeat_count=cleaned.get("repeat_count"),
                )
                # The model's own checks (full_clean) see the first date's times.
                self.instance.starts_at, self.instance.ends_at = starts, ends
                if "deadline_on" in self.changed_data or self.instance.pk is None:
                    self.instance.registration_deadline = (
                        datetime.combine(
                            deadline_on + timedelta(days=1), time.min, tzinfo=formats.RIGA
                        )
                        if deadline_on
                        else None
                    )
        removing = bool(cleaned.get("remove_image"))
        if removing and (self.processed_photo or "image" in self.errors):
            self.add_error("remove_image", PHOTO_OR_REMOVAL)
        # A photo being removed needs no description; the description goes with it.
        has_image = (
            self.processed_photo or (self.instance.image and not removing) or self.carries_image
        )
        if has_image and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Aprakstiet attēlu: to nolasa ekrāna lasītāji."))
        mode = cleaned.get("registration_mode")
        if mode == Event.RegistrationMode.EXTERNAL and not cleaned.get("external_registration_url"):
            self.add_error("external_registration_url", _("Norādiet saiti, kur pieteikties."))
        if (
            "centre" not in self.errors
            and not cleaned.get("centre")
            and not (cleaned.get("address") or "").strip()
            and cleaned.get("format") != Event.Format.ONLINE
        ):
            self.add_error("address", _("Norādiet centru vai adresi."))
        return cleaned

    def _check_repeat(self, cleaned, starts_on) -> None:
        repeat = cleaned.get("repeat") or Repeat.NONE
        if repeat == Repeat.NONE or "repeat" not in self.fields:
            return
        until, count = cleaned.get("repeat_until"), cleaned.get("repeat_count")
        if "repeat_until" in self.errors or "repeat_count" in self.errors:
            return
        if until is None and count is None:
            self.add_error("repeat_until", _("Norādiet beigu datumu vai reižu skaitu."))
            return
        if until is not None and count is not None:
            self.add_error("repeat_count", _("Norādiet vai nu beigu datumu, vai reižu skaitu."))
            return
        if until is not None and until <= starts_on:
            self.add_error("repeat_until", _("Beigu datumam jābūt pēc pirmā datuma."))
            return
        try:
            repeat_dates(first=starts_on, repeat=repeat, until=until, count=count)
        except ValidationError as error:
            self.add_error("repeat_until" if until else "repeat_count", error.messages[0])


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("Atcelšanas iemesls"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("To saņems e-pastā visi pieteikušies."),
        error_messages={"required": REQUIRED, "max_length": TOO_LONG},
    )


class CloseEventForm(forms.Form):
    attendees_count = forms.IntegerField(
        label=_("Dalībnieku skaits"),
        min_value=0,
        max_value=100_000,
        widget=_numeric(),
        error_messages={"required": REQUIRED, "invalid": _("Ievadiet veselu skaitli.")},
    )
    organisations_count = forms.IntegerField(
        label=_("Pārstāvēto organizāciju skaits"),
        min_value=0,
        max_value=10_000,
        widget=_numeric(),
        error_messages={"required": REQUIRED, "invalid": _("Ievadiet veselu skaitli.")},
    )
    report = forms.CharField(
        label=_("Īss pārskats"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": TOO_LONG},
    )

    def __init__(self, *args, target_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.target_groups = list(target_groups)
        for group in self.target_groups:
            self.fields[f"group-{group.pk}"] = forms.IntegerField(
                label=_("No tiem: %(group)s") % {"group": group.title},
                required=False,
                min_value=0,
                max_value=100_000,
                widget=_numeric(),
                error_messages={"invalid": _("Ievadiet veselu skaitli.")},
            )

    def group_counts(self) -> dict[int, int]:
        return {
            group.pk: self.cleaned_data[f"group-{group.pk}"]
            for group in self.target_groups
            if self.cleaned_data.get(f"group-{group.pk}") is not None
        }

    def clean(self):
        cleaned = super().clean()
        attendees = cleaned.get("attendees_count")
        if attendees is not None:
            for group in self.target_groups:
                count = cleaned.get(f"group-{group.pk}")
                if count is not None and count > attendees:
                    self.add_error(
                        f"group-{group.pk}",
                        _("Nevar būt vairāk nekā visu dalībnieku skaits."),
                    )
        return cleaned
