import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# As django.utils.html.json_script: the JSON cannot close the script element or open a comment.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data: dict) -> str:
    """A schema.org block. Data blocks are not run, so they need no CSP nonce."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    # Escaped above exactly as json_script does: no user text can end the element.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.filter
def map_url(event) -> str:
    """OpenStreetMap at the centre's point, or a search for the free address."""
    from urllib.parse import quote

    if event.centre_id and not event.address:
        lat, lon = event.centre.latitude, event.centre.longitude
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"
    if event.address:
        return "https://www.openstreetmap.org/search?query=" + quote(event.address)
    return ""
