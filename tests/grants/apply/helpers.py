"""Helpers shared by the applying tests: the messages a page shows, a new form's draft key."""

from tests.html import parse


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def page_messages(client, url) -> list[str]:
    return parse(client.get(url).content).texts("ul.messages li")


def new_form_key(client) -> str:
    page = parse(client.get("/konkursi/dk-2026/pieteikties/").content)
    return page.select_one("input[name=draft_key]").get("value")
