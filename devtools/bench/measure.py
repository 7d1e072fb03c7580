"""How `make bench` measures a page, and the table it prints.

A page is measured in-process with Django's test client: the number of queries of one request,
the median and 95th percentile of the server time over REPEATS requests after a warm-up (a
streamed response, such as an export, read to its end), and the page weight: gzip (level 6) of
the HTML plus every stylesheet and script it references from STATIC_URL.
"""

import gzip
import statistics
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .pages import MAX_P50_MS, MAX_QUERIES, MAX_WEIGHT_KB, REPEATS, Page

WARMUP = 5


class _AssetParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").split():
            self.assets.append(attributes.get("href") or "")
        elif tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"])


def _gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def page_weight(html: bytes, *, is_html: bool) -> tuple[int, list[str]]:
    """Bytes on the wire (gzip 6) of the document plus its own CSS and JS; and what is missing."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    total = _gzip_size(html)
    missing = []
    if not is_html:
        return total, missing
    parser = _AssetParser()
    parser.feed(html.decode("utf-8", errors="replace"))
    for href in dict.fromkeys(parser.assets):
        path = href.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(settings.STATIC_URL):
            # Another origin would break the CSP; count it as missing, do not fetch it.
            missing.append(href)
            continue
        found = finders.find(path.removeprefix(settings.STATIC_URL))
        if not found:
            missing.append(href)
            continue
        total += _gzip_size(Path(found).read_bytes())
    return total, missing


@dataclass
class Result:
    url: str
    status: int
    queries: int
    p50_ms: float
    p95_ms: float
    weight_kb: float
    missing: list[str]
    budget_ms: float = MAX_P50_MS
    max_queries: int = MAX_QUERIES
    max_weight_kb: float | None = MAX_WEIGHT_KB

    @property
    def over(self) -> list[str]:
        over = []
        if self.status != 200:
            over.append(f"HTTP {self.status}")
        if self.queries > self.max_queries:
            over.append("queries")
        if self.p50_ms > self.budget_ms:
            over.append("p50")
        if self.max_weight_kb is not None and self.weight_kb > self.max_weight_kb:
            over.append("weight")
        if self.missing:
            over.append("missing assets")
        return over


def client_for(page: Page):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    if page.user:
        client.force_login(get_user_model().objects.get(username=page.user))
    return client


def measure(
    client,
    url: str,
    *,
    budget_ms: float = MAX_P50_MS,
    max_queries: int = MAX_QUERIES,
    max_weight_kb: float | None = MAX_WEIGHT_KB,
    repeats: int = REPEATS,
) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        read(client.get(url))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        # A streamed response (an export) makes its rows, and runs their queries, as it is read.
        content = read(response)
    # Read now: the log the capture slices is cleared by the next request.
    query_count = len(queries)
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        read(client.get(url))
        timings.append((time.perf_counter() - started) * 1000)
    is_html = response.get("Content-Type", "").startswith("text/html")
    weight, missing = page_weight(content, is_html=is_html)
    return Result(
        url=url,
        status=response.status_code,
        queries=query_count,
        p50_ms=statistics.median(timings),
        p95_ms=statistics.quantiles(timings, n=20, method="inclusive")[18],
        weight_kb=weight / 1000,
        missing=missing,
        budget_ms=budget_ms,
        max_queries=max_queries,
        max_weight_kb=max_weight_kb,
    )


def read(response) -> bytes:
    """The whole body; a streamed one is read to its end, as a browser would."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def _mark(value: float, limit: float) -> str:
    return "OK" if value <= limit else "OVER"


def report(results: list[Result], out) -> int:
    """The table; a page whose budget differs from the public pages' shows it in brackets."""
    width = max(len("page"), *(len(r.url) for r in results))
    header = (
        f"{'page':<{width}}  {'queries (≤' + str(MAX_QUERIES) + ')':>20}  "
        f"{'p50 ms (≤' + format(MAX_P50_MS, 'g') + ')':>22}  {'p95 ms':>7}  "
        f"{'weight kB (≤' + format(MAX_WEIGHT_KB, 'g') + ')':>19}"
    )
    out.write(header + "\n" + "-" * len(header) + "\n")
    for r in results:
        status = "" if r.status == 200 else f"  HTTP {r.status}"
        query_limit = "" if r.max_queries == MAX_QUERIES else f"(≤{r.max_queries})"
        time_limit = "" if r.budget_ms == MAX_P50_MS else f"(≤{r.budget_ms:g})"
        weight_mark = "—" if r.max_weight_kb is None else _mark(r.weight_kb, r.max_weight_kb)
        out.write(
            f"{r.url:<{width}}  {query_limit:>6} {r.queries:>8} "
            f"{_mark(r.queries, r.max_queries):<4}  {time_limit:>8} {r.p50_ms:>8.1f} "
            f"{_mark(r.p50_ms, r.budget_ms):<4}  {r.p95_ms:>7.1f}  "
            f"{r.weight_kb:>14.1f} {weight_mark:<4}{status}\n"
        )
        if r.missing:
            out.write(f"    assets not found under STATIC_URL: {', '.join(r.missing)}\n")
    return sum(1 for r in results if r.over)
