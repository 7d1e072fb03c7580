"""The path of a page named by a slug, without reversing the URL pattern for every row.

A list page names a page for each of its rows: /centri/ a hundred centres, /kopienas/ fifty
communities and their centres. `reverse` walks the URL patterns each time (about 20 µs); here a
path is reversed once per view, language, script prefix and URL configuration, with a marker
for the slug, and the marker is replaced. A slug that a slug pattern would not take (or that
reverse would quote) is reversed as before.
"""

import re

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_MARK = "0slug0"
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_paths: dict[tuple, str] = {}


def slug_path(viewname: str, slug: str) -> str:
    """reverse(viewname, kwargs={"slug": slug}), the same string."""
    if not _SLUG.fullmatch(slug):
        return reverse(viewname, kwargs={"slug": slug})
    # The resolver is Django's own cache of the URL configuration: a new one (after
    # clear_url_caches, as when a test overrides ROOT_URLCONF) reverses afresh.
    key = (viewname, get_language(), get_script_prefix(), get_resolver(get_urlconf()))
    path = _paths.get(key)
    if path is None:
        path = _paths[key] = reverse(viewname, kwargs={"slug": _MARK})
    return path.replace(_MARK, slug, 1)
