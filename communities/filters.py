"""The filters of /pasakumi/ (django-filter). Query parameters are Latvian, as the paths are."""

from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resource_centres.selectors import published_centres

from .models import Community, Event, TargetGroup


class EventFilter(django_filters.FilterSet):
    centrs = django_filters.ModelChoiceFilter(
        label=_("Resursu centrs"),
        field_name="centre",
        to_field_name="slug",
        queryset=published_centres().order_by("sort_name", "name").only("slug", "name"),
        empty_label=_("Visi centri"),
    )
    kopiena = django_filters.ModelChoiceFilter(
        label=_("Kopiena"),
        field_name="community",
        to_field_name="slug",
        queryset=Community.objects.filter(is_published=True).only("slug", "name"),
        empty_label=_("Visas kopienas"),
    )
    veids = django_filters.ChoiceFilter(
        label=_("Veids"), field_name="kind", choices=Event.Kind.choices, empty_label=_("Visi veidi")
    )
    formats = django_filters.ChoiceFilter(
        label=_("Formāts"),
        field_name="format",
        choices=Event.Format.choices,
        empty_label=_("Visi formāti"),
    )
    no = django_filters.DateFilter(
        label=_("No datuma"),
        method="filter_from",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    lidz = django_filters.DateFilter(
        label=_("Līdz datumam"),
        method="filter_until",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    grupa = django_filters.ModelChoiceFilter(
        label=_("Mērķa grupa"),
        field_name="target_groups",
        to_field_name="slug",
        queryset=TargetGroup.objects.only("slug", "title"),
        empty_label=_("Visas grupas"),
    )
    brivas = django_filters.BooleanFilter(
        label=_("Tikai ar brīvām vietām"),
        method="filter_free",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Event
        fields: list[str] = []

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
