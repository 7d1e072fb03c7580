"""Peak memory of a round's exports (issue 15): the XLSX and the CSV of the assessed round (its
1,000 applications) for the coordinator, each through its admin view and read to the end as a
browser would. The figure is the peak of what Python allocated during that one request
(tracemalloc), the request's own work only: the process's resident size says more of everything
the bench loaded before. Their times are in the table of pages (devtools.bench.pages), where
tracemalloc does not slow them down.

An export that holds every row before writing grows with the round; a streamed one stays at a
few megabytes whatever its size.
"""

import tracemalloc

from .measure import client_for, read
from .pages import PAGES

# The exports measured, by URL name, as PAGES lists them (the assessed round, the coordinator).
EXPORTS = {
    "admin:grants_grantround_export_xlsx": "XLSX",
    "admin:grants_grantround_export_csv": "CSV",
}


def peak_memory(client, url: str) -> tuple[int, int, int]:
    """(status, bytes of the body, peak bytes Python allocated) of one request read whole."""
    read(client.get(url))  # warm: imports, translations, the session
    tracemalloc.start()
    try:
        response = client.get(url)
        size = 0
        # Read to its end, a piece at a time (the test client then closes the response).
        for piece in response.streaming_content if response.streaming else [response.content]:
            size += len(piece)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return response.status_code, size, peak


def measure_exports(out) -> None:
    from grants.models import Application

    pages = [page for page in PAGES if page.url_name in EXPORTS]
    round_pk = (pages[0].kwargs() if callable(pages[0].kwargs) else pages[0].kwargs)["pk"]
    count = Application.objects.filter(round_id=round_pk, status__in=Application.COMPETING).count()
    applications = f"{count:,}".replace(",", " ")
    out.write(
        f"\nExports of the assessed round ({applications} applications) for the coordinator: "
        "peak Python memory\nof one request (tracemalloc); their times are in the table above\n"
    )
    for page in pages:
        status, size, peak = peak_memory(client_for(page), page.url())
        problem = "" if status == 200 else f"  HTTP {status}"
        out.write(
            f"  {EXPORTS[page.url_name]:<5} {size / 1000:>8.0f} kB  "
            f"peak {peak / 1024 / 1024:>6.1f} MB{problem}\n"
        )
