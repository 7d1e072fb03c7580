"""Addresses, query ceilings and form helpers shared by the admin assessment tests."""

from django.contrib.messages import get_messages

from grants.models import Assessment

MINE = "/admin/grants/assessment/"
# Fixed ceilings: they depend on the number of rounds, never on applications or assessments.
QUERIES_MINE = 15
QUERIES_ASSESS = 28


def assess_url(application) -> str:
    return f"/admin/grants/assessment/vertet/{application.pk}/"


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def cells(page, selector: str) -> list[list[str]]:
    """The text of each cell (th and td, in order) of the table rows `selector` finds."""
    return [
        [cell.text for cell in row.iter() if cell.tag in ("th", "td")]
        for row in page.select(selector)
    ]


def scores_data(criteria, version, action="save", points=("", ""), comments=("", "")) -> dict:
    data = {"version": version, "action": action}
    for criterion, value, comment in zip(criteria, points, comments, strict=True):
        data[f"points_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = comment
    return data


def declared_none(client, application, assessor) -> Assessment:
    """Open the page and declare no conflict, as the assessor would."""
    client.get(assess_url(application))
    assessment = Assessment.objects.get(application=application, assessor=assessor)
    # Followed, as a browser would: the page shows (and so uses up) the "Saglabāts" message.
    client.post(
        assess_url(application),
        {"action": "conflict", "conflict": "none", "version": assessment.version},
        follow=True,
    )
    assessment.refresh_from_db()
    return assessment
