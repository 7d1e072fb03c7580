"""Migration 0007 keeps the coordinators' labels of the impact figures, under the registry's
keys, and drops the typed values: an unedited row still takes newer wording from the data
file, an edited one stays the coordinators'."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.seeding import fingerprint

BEFORE = [("communities", "0006_language"), ("core", "0002_seedrecord_table")]
AFTER = [("communities", "0007_impactfigure_labels_only"), ("core", "0002_seedrecord_table")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_labels_stay_under_the_registry_keys_and_values_go():
    apps = _migrate(BEFORE)
    ImpactFigure = apps.get_model("communities", "ImpactFigure")
    SeedRecord = apps.get_model("core", "SeedRecord")
    rows = [
        ("participants", "ap", 6000, "latgaliešu iesaistījušies iniciatīvā", False),
        ("organisations", "vairāk nekā", 300, "iestādes un organizācijas", False),
        # A coordinator changed this one's wording: it stays theirs.
        ("competitions", "", 3, "konkursi, ko rīkojām", True),
    ]
    for order, (key, qualifier, value, label, edited) in enumerate(rows):
        figure = ImpactFigure.objects.create(
            key=key, qualifier=qualifier, value=value, label=label, order=order
        )
        seeded = {"key": key, "qualifier": qualifier, "value": value, "order": order}
        seeded["label"] = "kopienu iniciatīvu konkursi" if edited else label
        SeedRecord.objects.create(
            model="communities.impactfigure",
            seed_key=key,
            object_id=figure.pk,
            fingerprint=fingerprint(seeded),
        )

    apps = _migrate(AFTER)
    ImpactFigure = apps.get_model("communities", "ImpactFigure")
    SeedRecord = apps.get_model("core", "SeedRecord")

    assert list(ImpactFigure.objects.order_by("order").values_list("key", "label")) == [
        ("participants", "latgaliešu iesaistījušies iniciatīvā"),
        ("institutions", "iestādes un organizācijas"),
        ("rounds", "konkursi, ko rīkojām"),
    ]
    assert {field.name for field in ImpactFigure._meta.get_fields()} == {
        "id",
        "key",
        "label",
        "order",
    }
    records = {
        record.seed_key: record.fingerprint
        for record in SeedRecord.objects.filter(model="communities.impactfigure")
    }
    assert records == {
        "participants": fingerprint(
            {"key": "participants", "label": "latgaliešu iesaistījušies iniciatīvā", "order": 0}
        ),
        "institutions": fingerprint(
            {"key": "institutions", "label": "iestādes un organizācijas", "order": 1}
        ),
        # Still not what the row holds: kept as edited.
        "rounds": records["rounds"],
    }
    assert records["rounds"] != fingerprint(
        {"key": "rounds", "label": "konkursi, ko rīkojām", "order": 2}
    )
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
