"""The impact figures in the admin: coordinators edit the labels and see, beside each, the
value the registry counts now and its definition; no number is typed there."""

from communities.models import Community, ImpactFigure
from kopienas.figures.registry import BY_KEY
from tests.html import parse
from tests.kopienas.figures_support import held_event, initiative

CHANGELIST = "/admin/communities/impactfigure/"


def test_the_list_shows_each_figure_s_current_value_from_the_registry(
    client, latgale, coordinator, django_assert_max_num_queries
):
    preili = Community.objects.get(slug="preili")
    held_event(attendees=1200, centre=preili.resource_centre)
    initiative(participants=34, community=preili)
    client.force_login(coordinator)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    doc = parse(response.content)
    rows = [
        (row.select_one(".field-label").text, row.select_one(".field-current_value").text)
        for row in doc.select("#result_list tbody tr")
    ]
    assert rows == [
        ("latgaliešu iesaistījušies iniciatīvā", "1 234"),
        ("iestādes un organizācijas", "0"),
        ("īstenotas vietējo kopienu iniciatīvas", "1"),
        ("dažādas mācību nodarbības kopienām un pedagogiem", "1"),
        ("kopienu iniciatīvu konkursi", "0"),
        ("kopienu idejas guvušas atbalstu konkursos", "0"),
        ("izveidoti kopienu resursu centri", "10"),
    ]
    definition = doc.select("#result_list tbody tr")[0].select_one(".field-definition").text
    assert definition.startswith(" ".join(str(BY_KEY["participants"].definition).split()))
    # The value is the registry's, not a field: nothing to type.
    assert [
        el.get("name") for el in doc.select("#result_list input") if el.get("type") != "checkbox"
    ] == [f"form-{index}-order" for index in range(7)]


def test_the_change_form_has_the_label_and_the_value_read_only(client, latgale, coordinator):
    client.force_login(coordinator)
    figure = ImpactFigure.objects.get(key="centres")

    response = client.get(f"{CHANGELIST}{figure.pk}/change/")

    doc = parse(response.content)
    assert [el.get("name") for el in doc.select("fieldset input")] == [
        "key",
        "label",
        "order",
    ]
    assert doc.select_one(".field-current_value .readonly").text == "10"
    counts = doc.select_one(".field-definition .readonly").text
    assert "Skaita: Publicētus resursu centrus." in counts


def test_a_label_without_a_registry_figure_says_so(client, latgale, coordinator):
    client.force_login(coordinator)
    figure = ImpactFigure.objects.create(key="vecs-skaitlis", label="kaut kas")

    doc = parse(client.get(f"{CHANGELIST}{figure.pk}/change/").content)

    assert doc.select_one(".field-current_value .readonly").text == (
        "Reģistrā nav skaitļa ar šo atslēgu."
    )
