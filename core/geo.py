"""Distances on the Earth's surface, in SQL: the lists of centres and events can be sorted by
how far they are from a chosen place without reading every row into Python.

The great-circle (haversine) distance is written with Django's database functions, which both
PostgreSQL and SQLite run (Django gives SQLite the trigonometric functions it lacks).
"""

from django import forms
from django.db.models import F, FloatField, Func, Value
from django.db.models.functions import ASin, Cast, Cos, Power, Radians, Sin, Sqrt
from django.utils.translation import gettext_lazy as _

from .municipalities import ADMINISTRATIVE_CENTRES, MUNICIPALITIES

EARTH_RADIUS_KM = 6371.0088


def _radians(value) -> Func:
    return Radians(Cast(value, FloatField()))


def distance_km(latitude: float, longitude: float, *, lat_field: str, lon_field: str) -> Func:
    """Kilometres along the Earth's surface from (latitude, longitude) to the row's point in
    `lat_field` / `lon_field` (NULL where the row has no point)."""
    lat1, lon1 = _radians(Value(float(latitude))), _radians(Value(float(longitude)))
    lat2, lon2 = _radians(F(lat_field)), _radians(F(lon_field))
    half_chord = Power(Sin((lat2 - lat1) / 2), 2) + Cos(lat1) * Cos(lat2) * Power(
        Sin((lon2 - lon1) / 2), 2
    )
    return 2 * EARTH_RADIUS_KM * ASin(Sqrt(half_chord), output_field=FloatField())


# --- Where to measure from ---------------------------------------------------------------------

# The browser's location is rounded to this many decimals (about a kilometre) before it is
# used, and never stored: enough to sort by distance, not enough to find someone's house.
COORDINATE_DECIMALS = 2
LATITUDE_ERROR = _("Platumam jābūt skaitlim no −90 līdz 90.")
LONGITUDE_ERROR = _("Garumam jābūt skaitlim no −180 līdz 180.")
PAIR_ERROR = _("Atrašanās vietai vajag gan platumu, gan garumu.")


def municipality_choices() -> list[tuple[str, str]]:
    return [("", _("Nekārtot pēc attāluma"))] + [(name, name) for name in MUNICIPALITIES]


def latitude_field(field_class=forms.FloatField, **kwargs):
    return field_class(
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": LATITUDE_ERROR,
            "min_value": LATITUDE_ERROR,
            "max_value": LATITUDE_ERROR,
        },
        **kwargs,
    )


def longitude_field(field_class=forms.FloatField, **kwargs):
    return field_class(
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": LONGITUDE_ERROR,
            "min_value": LONGITUDE_ERROR,
            "max_value": LONGITUDE_ERROR,
        },
        **kwargs,
    )


def check_pair(form: forms.Form) -> None:
    """Refuse half a location (a latitude without a longitude, or the other way round)."""
    data = form.cleaned_data
    if "lat" in data and "lon" in data and (data["lat"] is None) != (data["lon"] is None):
        form.add_error("lon" if data["lat"] is None else "lat", PAIR_ERROR)


def located(*, lat=None, lon=None) -> tuple[float, float] | None:
    """The browser's location, rounded, when both halves came; otherwise none."""
    if lat is None or lon is None:
        return None
    return (round(float(lat), COORDINATE_DECIMALS), round(float(lon), COORDINATE_DECIMALS))


def origin(*, municipality: str = "", lat=None, lon=None) -> tuple[float, float] | None:
    """The point to measure from: the browser's (rounded) location when both halves came,
    otherwise the chosen municipality's administrative centre, otherwise none."""
    return located(lat=lat, lon=lon) or ADMINISTRATIVE_CENTRES.get(municipality)
