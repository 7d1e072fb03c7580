"""Test settings: the production settings with debug off, plus what only tests need."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-not-for-production")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

from kopienas.settings import *  # noqa: F403

# Manifest storage needs collectstatic; tests read the source static files.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"  # noqa: F405
# WhiteNoise scans STATIC_ROOT at start-up; tests never run collectstatic, so give it an
# empty folder of its own rather than warn about a missing one.
STATIC_ROOT = BASE_DIR / "test-artifacts" / "static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# A service call's mails are delivered when its transaction commits (core.outbox), so tests
# see them in mail.outbox; the outbox's own tests turn this off and run the real worker.
OUTBOX_DELIVER_ON_COMMIT = True
# The page cache is tested where it is the subject (tests/core/test_page_cache.py): elsewhere a
# test that changes a setting or the clock between two requests means no change of data.
PAGE_CACHE = False
# Nor are writes renewing it (a cache write per transaction would add to the query counts),
# except in those tests and where this process writes as a server would (test_two_servers).
PAGE_CACHE_RENEW = False
# Nor announced to other processes (a query per renewal; core.notices), but in the tests of the
# notices and where servers run beside this process (test_two_servers).
GENERATION_NOTICES = False
