import html

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.paths import slug_path

register = template.Library()


@register.simple_tag(takes_context=True)
def alternate_url(context, language_code: str, absolute: bool = False) -> str:
    """The current page in another interface language (same path under /en/ or the root)."""
    request = context["request"]
    # One leading slash: "//evil.example/" (or "/\\evil.example/", which browsers read the same
    # way) is a path on this site, never an address of another host.
    path = "/" + request.get_full_path().lstrip("/\\")
    url = translate_url(path, language_code)
    return request.build_absolute_uri(url) if absolute else url


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


@register.simple_tag
def slug_url(viewname: str, slug: str) -> str:
    """{% url viewname slug=slug %} for a page named by a slug, reversed once per view rather
    than once per row (core.paths.slug_path): "Pasākumi manā centrā" links four pages of each of
    its forty events, and reversing them was a tenth of its time."""
    return slug_path(viewname, slug)


@register.simple_tag
def content_lang() -> str:
    """` lang="lv"` for an element holding content written in Latvian, under another interface.

    Names, descriptions, the model and the quotes are kept in Latvian only; under /en/ they sit
    in `<html lang="en">`, and a screen reader would read them with English rules (WCAG 3.1.2).
    Under the Latvian interface the page's own `lang` already says it, so nothing is added.
    """
    content_language = settings.LANGUAGE_CODE
    if get_language() == content_language:
        return ""
    return format_html(' lang="{}"', content_language)


@register.filter
def choice_input(option) -> str:
    """One radio button (or checkbox) of a choice field, `{{ option.tag }}` of a BoundWidget,
    written here as Django's input_option.html writes it: type, name, value, then each
    attribute (a True one bare, a False one left out). Django renders two templates per option;
    the capacity forms have forty options and those renders were a fifth of their pages' time.
    tests/kopienas/test_site_tags.py holds it equal to Django's own for every state."""
    data = option.data
    value = "" if data["value"] is None else format_html(' value="{}"', str(data["value"]))
    attributes = format_html_join(
        "",
        "{}",
        (
            (
                format_html(" {}", name)
                if setting is True
                else format_html(' {}="{}"', name, setting),
            )
            for name, setting in data["attrs"].items()
            if setting is not False
        ),
    )
    return format_html(
        '<input type="{}" name="{}"{}{}>', data["type"], data["name"], value, attributes
    )


@register.filter
def figure_cells(row, scope: str) -> str:
    """The cells of one line of a figures table (kopienas/figures_table.html), written here
    rather than by a loop of the template: the centres' table has a thousand of them, and the
    template engine spent most of /skaitli/'s time on them. Every value is escaped, as the
    template escaped it (django.utils.html.escape is html.escape)."""
    place = html.escape(str(row.slug or row.name))
    scope = html.escape(str(scope))
    cells = "".join(
        f'<td class="number" data-figure="{html.escape(cell.key)}" data-{scope}="{place}">'
        f"{html.escape(cell.written)}</td>"
        for cell in row.cells
    )
    return mark_safe(cells)  # noqa: S308
