"""schema.org blocks in pages: `{% load structured_data %}{% json_ld data %}`."""

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
