import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kopienas.settings")
application = get_wsgi_application()

from kopienas.warmup import warm_up  # noqa: E402 (needs the apps get_wsgi_application set up)

warm_up()
