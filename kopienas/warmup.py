"""What a process would otherwise do on its first request, done while it starts: with gunicorn's
preload_app (gunicorn.conf.py) the master does it once, before it forks, and every worker, a
replacement too, answers its first request as fast as its thousandth (without it, a first
request took about 250 ms: importing every URLconf, allauth's and its two-factor code with them,
filling the resolver for each language, and hashing the code for the page cache's keys).

Nothing here opens a database or cache connection: the workers would share it.
"""

from django.conf import settings
from django.urls import get_resolver, reverse
from django.utils import translation

from core import pagecache


def warm_up() -> None:
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            # Imports every URLconf and fills the resolver's tables and patterns of this language.
            get_resolver().resolve(reverse("home"))
            reverse("admin:index")
    if settings.PAGE_CACHE:
        # The key space of the page cache, from the code this process was started with.
        pagecache.code_version()
