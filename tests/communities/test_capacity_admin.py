"""The capacity self-assessment in the admin: coordinators edit the instrument's texts until a
round uses a version, and see every community's rounds, answers, consensus and plans without
changing them."""

from communities.models import AssessmentRound, CapacityAnswer, CapacityInstrument
from tests.factories import CommunityFactory
from tests.html import parse


def test_a_coordinator_edits_an_unused_version_but_not_one_a_round_uses(
    client, coordinator, dimensions
):
    instrument = CapacityInstrument.objects.get()
    client.force_login(coordinator)
    path = f"/admin/communities/capacityinstrument/{instrument.pk}/change/"

    unused = parse(client.get(path).content)
    AssessmentRound.objects.create(
        community=CommunityFactory(slug="aglona"),
        instrument=instrument,
        kind=AssessmentRound.Kind.BASELINE,
        title="Pirmā",
        opens_on="2026-03-01",
        closes_on="2026-03-31",
    )
    used = parse(client.get(path).content)

    # The inline's blank template row ("__prefix__") aside.
    assert len([t for t in unused.select("textarea") if "__prefix__" not in t.attrs["name"]]) == 32
    assert used.select("textarea") == []
    assert [p.text for p in used.select("td.field-text p")][:1] == [
        "Sākums: kopīgos darbos piedalās tie paši daži cilvēki; pārmaiņas (skolas slēgšana, "
        "jauns novads) kopiena vēro no malas."
    ]


def test_a_coordinator_sees_answers_of_people_who_left_as_anonymised(
    client, coordinator, round_, activist, dimensions
):
    CapacityAnswer.objects.create(round=round_, person=None, dimension=dimensions[0], level=2)
    client.force_login(coordinator)

    response = client.get("/admin/communities/capacityanswer/")
    cells = [td.text for td in parse(response.content).select("td.field-person_shown")]

    assert (response.status_code, cells) == (200, ["(anonimizēts)"])


def test_a_coordinator_may_look_at_a_round_but_not_change_it(client, coordinator, round_):
    client.force_login(coordinator)

    response = client.post(
        f"/admin/communities/assessmentround/{round_.pk}/change/", {"title": "Cits"}
    )

    round_.refresh_from_db()
    assert (response.status_code, round_.title) == (403, "Sākotnējais novērtējums 2026")
