"""No browser or proxy keeps what a signed-in person was shown, nor a page behind a secret
token (DESIGN §8, issue 11): `Cache-Control: private, no-store` on every one of them."""

import pytest

from tests.test_permission_matrix import MATRIX, people, placeholders  # noqa: F401

TOKEN_PAGES = ["events:confirm", "events:registration", "events:personal_feed"]


def _directives(response) -> set[str]:
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}


def _site_paths(names) -> list[str]:
    return [
        template
        for name in names
        for template, _ in MATRIX[name]
        if not template.startswith("/admin/")
    ]


@pytest.mark.parametrize("role", ["member", "coordinator"])
def test_every_page_a_signed_in_person_opens_is_kept_by_nobody(
    client,
    people,  # noqa: F811
    placeholders,  # noqa: F811
    role,
):
    kept = {}
    for template in _site_paths(MATRIX):
        path = template.format(**placeholders)
        client.force_login(people[role])
        response = client.get(path)
        if not {"private", "no-store"} <= _directives(response):
            kept[path] = response.headers.get("Cache-Control")

    assert kept == {}


def test_pages_behind_a_token_are_kept_by_nobody(client, people, placeholders):  # noqa: F811
    answers = {}
    for template in _site_paths(TOKEN_PAGES):
        path = template.format(**placeholders)
        response = client.get(path)
        answers[path] = (response.status_code, {"private", "no-store"} <= _directives(response))

    # Real pages (200) and wrong or revoked tokens (404) alike.
    assert set(answers.values()) == {(200, True), (404, True)}
