from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def alternate_url(context, language_code: str, absolute: bool = False) -> str:
    """The current page in another interface language (same path under /en/ or the root)."""
    request = context["request"]
    url = translate_url(request.get_full_path(), language_code)
    return request.build_absolute_uri(url) if absolute else url


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)
