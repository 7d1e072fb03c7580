"""The pages of the permission matrix (tests/test_permission_matrix.py) a role may open.

Tests that must hold on "every page" walk these: the matrix already names every URL of
the project with the objects it needs, so a new page is covered as soon as it has its row.
"""

from http import HTTPStatus

from django.conf import settings
from django.test import Client

from tests.test_permission_matrix import MATRIX


def matrix_pages(people, placeholders, role: str, *, english: bool = False) -> list[str]:
    """Every path of the matrix that answers `role` 200 with an HTML page, in matrix order.

    Feeds, sitemaps and downloads are not pages; the test client tells them apart by their
    content type, so the list needs no upkeep of its own. With `english`, each Latvian page's
    English twin under /en/ follows it, where the matrix has no row for it and it exists.
    """
    client = Client()

    def is_page(path: str) -> bool:
        # Signed in afresh for each page, as the matrix does: confirming another person's
        # email address, for one, signs the visitor out.
        if people[role] is not None:
            client.force_login(people[role])
        response = client.get(path)
        return response.status_code == HTTPStatus.OK and response["Content-Type"].startswith(
            "text/html"
        )

    paths = [
        template.format(**placeholders)
        for rows in MATRIX.values()
        for template, expectations in rows
        if not template.startswith("/admin/") and expectations[role] == HTTPStatus.OK
    ]
    pages = []
    for path in paths:
        if not is_page(path):
            continue
        pages.append(path)
        twin = "/en" + path
        if english and not path.startswith("/en/") and twin not in paths and is_page(twin):
            pages.append(twin)
    return pages


def sign_in(context, people, role: str, base_url: str) -> None:
    """Give a browser context a fresh session of `role`, as if they had just logged in."""
    client = Client()
    client.force_login(people[role])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": base_url, "secure": False}]
    )
