"""The filters of /pasakumi/ (django-filter). Query parameters are Latvian, as the paths are."""

from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import geo
from core.forms import QuickSelect, chosen_or_typed, offer, offer_or_box
from core.municipalities import CHOICES as MUNICIPALITY_CHOICES
from core.text import fold

from . import selectors
from .models import Event

# Dates a person could mean; "9999-12-31" plus a day would not fit in a date at all.
DATE_LIMITS = [
    MinValueValidator(date(1900, 1, 1), message=_("Norādiet datumu no 1900. līdz 2999. gadam.")),
    MaxValueValidator(date(2999, 12, 31), message=_("Norādiet datumu no 1900. līdz 2999. gadam.")),
]


SEARCH_MAX_LENGTH = 100
# What the community filter's box asks for, past core.forms.SELECT_LIMIT communities.
COMMUNITY_BOX_HELP = _("Nosaukuma vai novada daļa; garumzīmes nav jāraksta.")
# Parameters that order the list rather than filter it: they change no count.
SORT_FIELDS = {"tuvu", "lat", "lon"}


class EventFilterForm(forms.Form):
    def clean(self):
        cleaned_data = super().clean()
        geo.check_pair(self)
        return cleaned_data


class EventFilter(django_filters.FilterSet):
    # The site's search (kopienas.search) links here for all of an event search's results.
    q = django_filters.CharFilter(
        label=_("Meklēt"),
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text=_("Nosaukumā vai adresē; garumzīmes nav jāraksta."),
        widget=forms.TextInput(attrs={"type": "search", "aria-describedby": "id_q_help"}),
    )
    # Slugs as plain choices (read as tuples, kept in the shared cache): validating a value
    # needs no further query, and no model instance is built for a thousand options.
    centrs = django_filters.ChoiceFilter(
        label=_("Resursu centrs"),
        field_name="centre__slug",
        empty_label=_("Visi centri"),
        widget=QuickSelect,
    )
    kopiena = django_filters.ChoiceFilter(
        label=_("Kopiena"),
        method="filter_community",
        empty_label=_("Visas kopienas"),
        widget=QuickSelect,
    )
    veids = django_filters.ChoiceFilter(
        label=_("Veids"),
        field_name="kind",
        choices=Event.Kind.choices,
        empty_label=_("Visi veidi"),
        widget=QuickSelect,
    )
    formats = django_filters.ChoiceFilter(
        label=_("Formāts"),
        field_name="format",
        choices=Event.Format.choices,
        empty_label=_("Visi formāti"),
        widget=QuickSelect,
    )
    no = django_filters.DateFilter(
        label=_("No datuma"),
        method="filter_from",
        validators=DATE_LIMITS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    lidz = django_filters.DateFilter(
        label=_("Līdz datumam"),
        method="filter_until",
        validators=DATE_LIMITS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    grupa = django_filters.ChoiceFilter(
        label=_("Mērķa grupa"),
        field_name="target_groups__slug",
        empty_label=_("Visas grupas"),
        widget=QuickSelect,
    )
    brivas = django_filters.BooleanFilter(
        label=_("Tikai ar brīvām vietām"),
        method="filter_free",
        widget=forms.CheckboxInput,
    )

    tuvu = django_filters.ChoiceFilter(
        label=_("Kārtot pēc attāluma no"),
        choices=MUNICIPALITY_CHOICES,
        empty_label=_("Nekārtot pēc attāluma"),
        method="sort_only",
        # 43 options: written in Python, as a template per option cost more than the rest.
        widget=QuickSelect,
    )
    # Filled only by static/js/near-me.js from the browser's location, rounded on the server.
    lat = geo.latitude_field(django_filters.NumberFilter, method="sort_only")
    lon = geo.longitude_field(django_filters.NumberFilter, method="sort_only")

    class Meta:
        model = Event
        fields: list[str] = []
        form = EventFilterForm

    def __init__(self, *args, options: dict | None = None, **kwargs):
        # The option lists of an earlier filterset of the same request (the view filters again
        # without the invalid values): read once per request, however often the form is built.
        super().__init__(*args, **kwargs)
        self.options = options

    def get_form_class(self):
        # django-filter builds a new form class for every request; its fields never change
        # (labels are lazy, the lists below are set per form), so one class serves them all.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    @property
    def form(self):
        # The lists go onto the form's own fields, after Django has copied them for this form:
        # copying a thousand choices per request cost more than reading them. They come from
        # the shared cache with their options written (selectors.filter_options).
        if not hasattr(self, "_form"):
            form = super().form
            if self.options is None:
                self.options = selectors.filter_options()
            for name, options in self.options.items():
                if name != "kopiena":
                    offer(form.fields[name], options)
            offer_or_box(
                form,
                "kopiena",
                self.options["kopiena"],
                help_text=COMMUNITY_BOX_HELP,
                max_length=SEARCH_MAX_LENGTH,
            )
        return self._form

    def filter_community(self, queryset: QuerySet[Event], name: str, value: str):
        """A community's slug (from the list or a link), or part of a name or municipality typed
        in the box that replaces the list at scale (core.forms.offer_or_box)."""
        return chosen_or_typed(
            queryset,
            value,
            self.options["kopiena"],
            slug="community__slug",
            folded_text="community__search_text",
        )

    def valid_filters(self) -> list[tuple[str, str]]:
        """The values this list is filtered by, after validation (for selectors.list_count)."""
        if not self.is_bound:
            return []
        return [
            (name, str(value))
            for name, value in self.form.cleaned_data.items()
            if value and name not in SORT_FIELDS
        ]

    @property
    def location(self) -> tuple[float, float] | None:
        """The browser's location the list is sorted from, rounded (core.geo.located)."""
        if not self.is_bound:
            return None
        self.form.is_valid()  # Validated once; cleaned_data keeps the fields that are valid.
        data = self.form.cleaned_data
        return geo.located(lat=data.get("lat"), lon=data.get("lon"))

    @property
    def origin(self) -> tuple[float, float] | None:
        if not self.is_bound:
            return None
        self.form.is_valid()
        return self.location or geo.origin(municipality=self.form.cleaned_data.get("tuvu") or "")

    def sort_only(self, queryset: QuerySet[Event], name: str, value) -> QuerySet[Event]:
        return queryset

    # Sorting by distance (`origin`) is the list's paging: selectors.NearestFirst.

    @property
    def counts_seats(self) -> bool:
        """Whether the list is filtered by free seats: taken seats change without a save of
        the event, so such a list is counted afresh (selectors.list_count)."""
        return self.is_bound and bool(self.form.cleaned_data.get("brivas"))

    def filter_search(self, queryset: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        # Every word, ignoring case and diacritics: "rezekne talka" finds "Rēzeknes talka".
        for word in fold(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    # Whole days in Riga time, as a range on the indexed column rather than a cast per row.
    def filter_from(self, queryset: QuerySet[Event], name: str, value) -> QuerySet[Event]:
        return queryset.filter(starts_at__gte=_day_start(value)) if value else queryset

    def filter_until(self, queryset: QuerySet[Event], name: str, value) -> QuerySet[Event]:
        if not value:
            return queryset
        return queryset.filter(starts_at__lt=_day_start(value + timedelta(days=1)))

    def filter_free(self, queryset: QuerySet[Event], name: str, value) -> QuerySet[Event]:
        if not value:
            return queryset
        # Open for registration here, not cancelled, with a seat left before the deadline.
        now = timezone.now()
        return queryset.filter(
            registration_mode=Event.RegistrationMode.PLATFORM,
            cancelled_at__isnull=True,
            starts_at__gt=now,
            seats_confirmed__lt=F("capacity"),
        ).exclude(registration_deadline__lte=now)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
