"""gunicorn's settings for this site. gunicorn reads this file from the folder it starts in, so
`make serve` and `make load` run with it, and so does a production server started from the
project folder (README, "Several app servers"); the tests' servers too, with fewer workers and
threads given on their command line. An option on gunicorn's command line wins over this file.

Environment: WEB_WORKERS (2 × cores + 1, at most 8) and WEB_THREADS (4).
"""

import os


def _number(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise SystemExit(f"{name} must be a whole number of at least 1, not {value!r}.")
    return int(value)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


workers = _number("WEB_WORKERS", min(2 * _cores() + 1, 8))
threads = _number("WEB_THREADS", 4)

# A worker takes at most twice as many connections as it has threads, then leaves the rest to
# the other workers. Without a limit, clients that keep their connections open (a proxy's
# kept-alive upstream connections, a load tool) often all land on the one worker that accepted
# first and stay there, while another worker and its core idle: `make load` halved its rate
# that way (README, "Speed"). A connection beyond the limit waits in the listen queue until one
# of a worker's connections closes (it keeps at most `threads` idle ones): clients that keep
# more than workers × threads connections open and busy would wait there long (README).
worker_connections = 2 * threads


def on_starting(server):
    """The limit above follows the threads gunicorn runs with, also when the command line
    gives them (`--threads`): fewer connections than threads would leave threads idle and close
    every connection after one answer."""
    server.cfg.set("worker_connections", 2 * server.cfg.threads)


# A worker is replaced after this many requests (give or take the jitter), so that memory a
# leak could hold never grows for ever; the page cache's own memory is bounded
# (PAGE_CACHE_LOCAL_BYTES). Seldom: a new worker starts with no pages in memory. At 2,000
# requests, served at ~1,000 a second each, every worker was replaced every two seconds under
# load and each page's rate fell by half.
max_requests = 50_000
max_requests_jitter = 5_000

# The application is imported once, by the master, and warmed up (kopienas/warmup.py); each
# worker is a fork of it: a worker that replaces another answers its first request in
# milliseconds instead of spending a second of a core importing Django and 250 ms more on that
# first request while its share of the connections wait, and the workers share the imported
# code's memory. Importing opens no database or cache connection (each worker opens its own on
# first use; core.notices starts afresh in a fork). New code needs a restart of gunicorn, not a
# HUP.
preload_app = True
