"""`make load`: the site served as in production (gunicorn, debug off, PostgreSQL with the
bench data) and driven by a standard load tool (wrk) for a bounded time, on loopback only.

For each page it reports requests per second, p50 and p99 latency and the errors (non-2xx/3xx
answers and socket errors), which must be 0; the first row is a bare view (/robots.txt, one
string and no query) for comparison (issue 15 asks the public pages for at least half of its
rate). A shared machine's speed drifts by half within a minute, so each page is measured in
LOAD_ROUNDS slices, each right after a slice of the bare view, and "of bare" sets the page's
slices against those bare slices: both saw the same minutes. A page's p50 is the median of its
slices' p50s, its p99 the highest of their p99s. The exit status is 1 when any request failed.

Settings, by environment variable:
- LOAD_DATABASE_URL: the PostgreSQL database to serve (default: BENCH_DATABASE_URL, else
  postgres://postgres@127.0.0.1:5432/kopienas_bench); it is filled with the bench data first,
  as `make bench` fills it (a second run adds nothing).
- LOAD_SECONDS (10 per page, in LOAD_ROUNDS slices: 5), LOAD_CONNECTIONS (16;
  LOAD_SIGNED_IN_CONNECTIONS, 2, for the signed-in rows, which the page cache never serves),
  LOAD_PORT (8765), WEB_WORKERS (2) and WEB_THREADS (4), REDIS_URL (the shared cache; the
  database cache without it). gunicorn runs with gunicorn.conf.py, as `make serve` runs it.
- LOAD_KEEP_ALIVE (1): 0 sends every request on a new connection ("Connection: close"), as a
  proxy such as nginx talks to its upstream by default. Kept-alive connections stay with the
  worker that accepted them; gunicorn.conf.py's worker_connections keeps one worker from
  taking them all while another idles (README, "Speed").
"""

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/kopienas_bench"
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Result:
    label: str
    path: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    # The bare view's rate in the slices measured between this page's: a shared machine's
    # speed drifts within a run, so each page is set against its neighbours, not the first row.
    bare_rate: float | None = None


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    """wrk's "1.23ms", "456.00us", "2.01s" in milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(output: str) -> tuple[float, float, float, int, int]:
    """(requests/s, p50 ms, p99 ms, requests, errors) from `wrk --latency` output."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = 0
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket:
        errors += sum(int(number) for number in socket.groups())
    status = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if status:
        errors += int(status.group(1))
    return rate, p50, p99, requests, errors


def combine(slices: list[tuple]) -> tuple[float, float, float, int, int]:
    """One page's slices (each as parse_wrk returns it) as one run: the rate over their whole
    time, the median of their p50s, the highest of their p99s, and every request and error."""
    requests = sum(each[3] for each in slices)
    seconds = sum(each[3] / each[0] for each in slices if each[0])
    p50s = sorted(each[1] for each in slices)
    middle = len(p50s) // 2
    p50 = p50s[middle] if len(p50s) % 2 else (p50s[middle - 1] + p50s[middle]) / 2
    return (
        requests / seconds if seconds else 0.0,
        p50,
        max(each[2] for each in slices),
        requests,
        sum(each[4] for each in slices),
    )


def _environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="kopienas.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_SERVE_MEDIA="1",
        DJANGO_LOG_LEVEL=env.get("DJANGO_LOG_LEVEL", "WARNING"),
        # gunicorn.conf.py reads these (as under `make serve`); two workers by default, as the
        # issue measures, rather than the 2 × cores + 1 of a real server.
        WEB_WORKERS=env.get("WEB_WORKERS") or "2",
        WEB_THREADS=env.get("WEB_THREADS") or "4",
    )
    return env


def _session_of(username: str) -> str:
    """A session cookie of a signed-in bench person (sessions live in the database, which
    every gunicorn worker reads)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _prepare(out) -> list[tuple[str, str, str]]:
    """Migrate, fill with the bench data (as `make bench` does), collect the static files;
    returns the pages to drive (label, path, cookie). Runs in this process, on the environment
    _environment set."""
    import django

    django.setup()
    from django.core.management import call_command

    from devtools.bench import pages
    from devtools.bench.run import prepare_data

    prepare_data(out)
    call_command("collectstatic", interactive=False, verbosity=0)
    event = pages.Page("events:detail", kwargs=pages._busiest_event).url()
    grant_round = pages.Page("grants:round_detail", kwargs=pages._busiest_round).url()
    signed_in = _session_of(pages.BENCH_APPLICANT)
    return [
        ("bare view", "/robots.txt", ""),
        ("home", "/", ""),
        ("centres", "/centri/", ""),
        ("events", "/pasakumi/", ""),
        ("event page", event, ""),
        ("round page", grant_round, ""),
        # Signed in: never from the page cache, each request rendered.
        ("my page", "/mans/", signed_in),
        ("event, in", event, signed_in),
    ]


def slots_warning(connections: int, env: dict[str, str], *, keep_alive: bool) -> str:
    """What to say when wrk keeps more connections open than gunicorn takes (gunicorn.conf.py:
    twice its threads per worker): the rest wait in the listen queue while the others stay
    busy, and time out."""
    slots = int(env["WEB_WORKERS"]) * 2 * int(env["WEB_THREADS"])
    if not keep_alive or connections <= slots:
        return ""
    return (
        f"Warning: {connections} kept-alive connections, but gunicorn takes {slots} "
        f"(WEB_WORKERS × 2 × WEB_THREADS); the rest wait and time out. Lower LOAD_CONNECTIONS "
        "or set LOAD_KEEP_ALIVE=0.\n"
    )


def _serve(env: dict[str, str], port: int) -> subprocess.Popen:
    """`make serve`'s gunicorn: the settings of gunicorn.conf.py, read from BASE_DIR."""
    return subprocess.Popen(  # noqa: S603 (this environment's gunicorn, no shell)
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "kopienas.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=BASE_DIR,
        start_new_session=True,
    )


def _wait_until_up(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on {HOST}:{port} within {seconds:.0f} s")


def wrk_headers(cookie: str = "", *, keep_alive: bool = True) -> list[str]:
    """wrk's -H arguments: the session cookie of a signed-in row, and "Connection: close" for a
    new connection per request (LOAD_KEEP_ALIVE=0)."""
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    if not keep_alive:
        headers += ["-H", "Connection: close"]
    return headers


def drive(
    port: int,
    path: str,
    *,
    seconds: int,
    connections: int,
    cookie: str = "",
    warm_up: bool = True,
    keep_alive: bool = True,
) -> tuple:
    url = f"http://{HOST}:{port}{path}"
    wrk = shutil.which("wrk")
    headers = wrk_headers(cookie, keep_alive=keep_alive)
    if warm_up:
        # A short warm-up: each worker's connections, templates and caches.
        warming = [wrk, "-t2", f"-c{connections}", "-d2s", *headers, url]
        subprocess.run(warming, check=True, capture_output=True)  # noqa: S603 (loopback)
    output = subprocess.run(  # noqa: S603 (wrk on a loopback address, no shell)
        [
            *[wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"],
            *headers,
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return parse_wrk(output)


def report(results: list[Result], out) -> None:
    first_bare = results[0].requests_per_second or 1.0
    out.write(
        f"{'page':<12} {'path':<44} {'req/s':>8} {'of bare':>8} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'requests':>9} {'errors':>7}\n"
    )
    out.write("-" * 110 + "\n")
    for result in results:
        out.write(
            f"{result.label:<12} {result.path[:44]:<44} {result.requests_per_second:>8.0f} "
            f"{result.requests_per_second / (result.bare_rate or first_bare):>7.0%} "
            f"{result.p50_ms:>8.1f} "
            f"{result.p99_ms:>8.1f} {result.requests:>9} {result.errors:>7}\n"
        )


def main() -> int:
    if shutil.which("wrk") is None:
        sys.stderr.write("wrk is not installed: apt-get install wrk\n")
        return 2
    database_url = (
        os.environ.get("LOAD_DATABASE_URL")
        or os.environ.get("BENCH_DATABASE_URL")
        or DEFAULT_DATABASE
    ).strip()
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.stderr.write("make load serves PostgreSQL: set LOAD_DATABASE_URL=postgres://...\n")
        return 2
    seconds = int(os.environ.get("LOAD_SECONDS", "10"))
    rounds = max(1, int(os.environ.get("LOAD_ROUNDS", "5")))
    slice_seconds = max(1, seconds // rounds)
    connections = int(os.environ.get("LOAD_CONNECTIONS", "16"))
    signed_in_connections = int(os.environ.get("LOAD_SIGNED_IN_CONNECTIONS", "2"))
    port = int(os.environ.get("LOAD_PORT", "8765"))
    keep_alive = os.environ.get("LOAD_KEEP_ALIVE", "1").strip() != "0"
    from devtools.bench.run import ensure_database

    ensure_database(database_url)
    env = _environment(database_url)
    os.environ.update(env)
    warning = slots_warning(connections, env, keep_alive=keep_alive)
    if warning:
        sys.stderr.write(warning)
    out = sys.stdout
    out.write(f"Database: {database_url.split('@')[-1]}; preparing the bench data...\n")
    pages = _prepare(out)
    server = _serve(env, port)
    try:
        _wait_until_up(port, server)
        bare_label, bare_path, _ = pages[0]
        results = [
            Result(
                bare_label,
                bare_path,
                *drive(
                    port,
                    bare_path,
                    seconds=seconds,
                    connections=connections,
                    keep_alive=keep_alive,
                ),
            )
        ]
        for label, path, cookie in pages[1:]:
            bare, page = [], []
            for round_number in range(rounds):
                bare.append(
                    drive(
                        port,
                        bare_path,
                        seconds=slice_seconds,
                        connections=connections,
                        warm_up=False,
                        keep_alive=keep_alive,
                    )
                )
                # Signed-in pages are rendered each time: a few people at once, not a crowd.
                page.append(
                    drive(
                        port,
                        path,
                        seconds=slice_seconds,
                        connections=signed_in_connections if cookie else connections,
                        cookie=cookie,
                        warm_up=round_number == 0,
                        keep_alive=keep_alive,
                    )
                )
            results.append(Result(label, path, *combine(page), bare_rate=combine(bare)[0]))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    workers, threads = env["WEB_WORKERS"], env["WEB_THREADS"]
    cache = "Redis" if env.get("REDIS_URL") else "the database cache"
    out.write(
        f"\ngunicorn {workers} workers × {threads} threads on {HOST}:{port}, {cache}; wrk "
        f"{connections} connections ({signed_in_connections} for the signed-in rows"
        f"{'' if keep_alive else ', each request on a new connection'}), "
        f"{rounds * slice_seconds} s per page after a 2 s warm-up, in {rounds} slices of "
        f"{slice_seconds} s "
        f"each after {slice_seconds} s of the bare view; "
        f"{os.cpu_count()} CPUs shared by the server, PostgreSQL and wrk\n\n"
    )
    buffer = StringIO()
    report(results, buffer)
    out.write(buffer.getvalue())
    failed = sum(result.errors for result in results)
    out.write("\nNo errors\n" if not failed else f"\n{failed} failed request(s)\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
