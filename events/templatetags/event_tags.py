"""Event-page helpers for templates."""

from urllib.parse import quote

from django import template

register = template.Library()


@register.filter
def map_url(event) -> str:
    """OpenStreetMap at the centre's point, or a search for the free address."""
    if event.centre_id and not event.address:
        lat, lon = event.centre.latitude, event.centre.longitude
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"
    if event.address:
        return "https://www.openstreetmap.org/search?query=" + quote(event.address)
    return ""
