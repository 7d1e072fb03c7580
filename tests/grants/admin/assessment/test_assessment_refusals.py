"""The admin assess page refuses bad points, missing comments, stale forms and second submits."""

from decimal import Decimal

import pytest

from grants.models import Assessment, HistoryEntry, Score
from tests.grants.admin.assessment.helpers import (
    assess_url,
    cells,
    declared_none,
    messages_of,
    scores_data,
)
from tests.html import parse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("11", "Punktiem jābūt no 0 līdz 10."),
        ("-1", "Punktiem jābūt no 0 līdz 10."),
        ("abc", "Ievadiet veselu skaitli."),
        ("1.5", "Ievadiet veselu skaitli."),
    ],
)
def test_invalid_points_are_refused_at_their_field_and_everything_typed_kept(
    client, assessor, application, criteria, typed, message
):
    client.force_login(assessor)
    assessment = declared_none(client, application, assessor)

    response = client.post(
        assess_url(application),
        scores_data(
            criteria,
            assessment.version,
            points=(typed, "4"),
            comments=("Mans komentārs ar ā un ž.", "Otrs komentārs."),
        ),
    )

    page = parse(response.content)
    first, second = criteria
    assert response.status_code == 400
    assert page.texts(f"#points_{first.pk}-error") == [message]
    assert page.select_one(f"#points_{first.pk}").get("aria-describedby") == (
        f"points_{first.pk}-error"
    )
    assert page.select_one(f"#points_{first.pk}").get("aria-invalid") == "true"
    assert page.select_one(f"#points_{first.pk}").get("value") == typed
    assert page.select_one(f"#points_{second.pk}").get("value") == "4"
    assert page.texts(f"#comment_{first.pk}") == ["Mans komentārs ar ā un ž."]
    assert page.texts(f"#comment_{second.pk}") == ["Otrs komentārs."]
    assert page.select(f"#points_{second.pk}-error") == []
    # The summary at the top of "Jūsu vērtējums" links to the field; the form lands there.
    assert page.texts("#error-summary li") == [f"Kritērijs 1, punkti: {message}"]
    assert [a.get("href") for a in page.select("#error-summary a")] == [f"#points_{first.pk}"]
    assert page.select_one("#scores-form").get("action") == "#vertejums"
    assert page.texts(".messagelist li") == ["Nav saglabāts: izlabojiet atzīmētās kļūdas."]
    assert Score.objects.filter(assessment=assessment).count() == 0
    assert Assessment.objects.get(pk=assessment.pk).version == assessment.version


def test_submitting_without_a_required_comment_is_refused(client, assessor, application, criteria):
    client.force_login(assessor)
    assessment = declared_none(client, application, assessor)

    response = client.post(
        assess_url(application),
        scores_data(
            criteria,
            assessment.version,
            action="submit",
            points=("7", "3"),
            comments=("Pamatojums.", ""),
        ),
    )

    page = parse(response.content)
    second = criteria[1]
    assert response.status_code == 400
    assert page.texts(f"#comment_{second.pk}-error") == ["Pamatojiet vērtējumu komentārā."]
    assert page.select_one(f"#comment_{second.pk}").get("aria-describedby") == (
        f"comment_{second.pk}-error"
    )
    assert page.texts(".messagelist li") == [
        "Vērtējums nav iesniegts: izlabojiet atzīmētās kļūdas."
    ]
    assert [i.get("value") for i in page.select("input[type=number]")] == ["7", "3"]
    assessment.refresh_from_db()
    assert (assessment.status, assessment.weighted_total) == (Assessment.Status.DRAFT, None)


def test_a_script_in_a_comment_is_shown_as_text(client, assessor, application, criteria):
    client.force_login(assessor)
    assessment = declared_none(client, application, assessor)
    script = "<script>alert('x')</script>"
    client.post(
        assess_url(application),
        scores_data(criteria, assessment.version, points=("1", "1"), comments=(script, "Labi.")),
    )

    draft = client.get(assess_url(application)).content.decode()
    assessment.refresh_from_db()
    client.post(
        assess_url(application),
        scores_data(
            criteria,
            assessment.version,
            action="submit",
            points=("1", "1"),
            comments=(script, "Labi."),
        ),
    )
    submitted = client.get(assess_url(application))

    for content in (draft, submitted.content.decode()):
        assert script not in content
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content
    assert cells(parse(submitted.content), "#own-scores tbody tr")[0] == [
        "Kritērijs 1",
        "1 / 10",
        script,
    ]


def test_a_stale_form_is_refused_and_overwrites_nothing(client, assessor, application, criteria):
    client.force_login(assessor)
    assessment = declared_none(client, application, assessor)
    # The same form open in two tabs: both carry this version.
    version = assessment.version
    client.post(
        assess_url(application),
        scores_data(criteria, version, points=("8", "4"), comments=("Pirmā cilne.", "")),
        follow=True,
    )

    response = client.post(
        assess_url(application),
        scores_data(criteria, version, points=("2", "1"), comments=("Otrā cilne.", "")),
    )

    page = parse(response.content)
    first = criteria[0]
    assert response.status_code == 409
    assert page.texts(".messagelist li") == [
        "Šis vērtējums ir mainīts citā logā vai cilnē. Zemāk redzamas saglabātās vērtības; "
        "pārbaudiet un saglabājiet vēlreiz."
    ]
    assert [i.get("value") for i in page.select("input[type=number]")] == ["8", "4"]
    assert page.texts(f"#comment_{first.pk}") == ["Pirmā cilne."]
    assert page.select_one("#scores-form input[name=version]").get("value") == str(version + 1)
    assert sorted(Score.objects.values_list("points", "comment")) == [
        (4, ""),
        (8, "Pirmā cilne."),
    ]


def test_a_second_submit_of_the_same_form_is_refused(client, assessor, application, criteria):
    client.force_login(assessor)
    assessment = declared_none(client, application, assessor)
    data = scores_data(
        criteria,
        assessment.version,
        action="submit",
        points=("10", "5"),
        comments=("Izcili.", "Izcili."),
    )

    first = client.post(assess_url(application), data, follow=True)
    second = client.post(assess_url(application), data)

    assert (first.redirect_chain, parse(first.content).texts(".messagelist li")) == (
        [(assess_url(application), 302)],
        ["Vērtējums iesniegts"],
    )
    assert (second.status_code, second["Location"], messages_of(second)) == (
        302,
        assess_url(application),
        ["Vērtējums jau ir iesniegts, un to vairs nevar mainīt."],
    )
    assert (
        HistoryEntry.objects.filter(
            assessment=assessment, action=HistoryEntry.Action.SUBMITTED
        ).count()
        == 1
    )
    assessment.refresh_from_db()
    assert (assessment.status, assessment.weighted_total) == (
        Assessment.Status.SUBMITTED,
        Decimal("100.00"),
    )
