"""Addresses and page readers shared by the admin decision and publishing tests."""

from tests.html import parse


def decision_url(application):
    return f"/admin/grants/application/{application.pk}/lemums/"


def ranking_url(grant_round):
    return f"/admin/grants/grantround/{grant_round.pk}/ranking/"


def decide(client, application, *, decision="supported", amount="", message="", follow=False):
    return client.post(
        decision_url(application),
        {"decision": decision, "awarded_amount": amount, "decision_message": message},
        follow=follow,
    )


def field_errors(response) -> dict[str, list[str]]:
    page = parse(response.content)
    errors = {}
    for row in page.select("div.form-row.errors"):
        name = (row.select("input") or row.select("textarea"))[0].get("name")
        errors[name] = row.texts("ul.errorlist li")
    non_field = page.texts("div.errornote ul.errorlist li")
    if non_field:
        errors["__all__"] = non_field
    return errors


def typed(response) -> dict[str, str]:
    page = parse(response.content)
    return {
        "decision": [
            radio.get("value")
            for radio in page.select("input[name=decision]")
            if "checked" in radio.attrs
        ],
        "awarded_amount": page.select_one("input[name=awarded_amount]").get("value"),
        "decision_message": page.select_one("textarea[name=decision_message]").text,
    }


def messages_of(response) -> list[str]:
    return parse(response.content).texts("ul.messagelist li")


def publish_url(grant_round):
    return f"/admin/grants/grantround/{grant_round.pk}/publicet/"
