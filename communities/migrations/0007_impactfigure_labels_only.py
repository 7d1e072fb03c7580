"""Impact figures are counted from the records (kopienas.figures): the typed values go, the
coordinators' labels stay, under the registry's keys."""

from django.db import migrations

from core.seeding import fingerprint

LABEL = "communities.impactfigure"
# The seed's old keys → the registry's.
RENAMED = {"organisations": "institutions", "competitions": "rounds", "resource_centres": "centres"}


def labels_only(apps, schema_editor):
    ImpactFigure = apps.get_model("communities", "ImpactFigure")
    SeedRecord = apps.get_model("core", "SeedRecord")
    for figure in ImpactFigure.objects.all():
        old = {
            "key": figure.key,
            "qualifier": figure.qualifier,
            "value": figure.value,
            "label": figure.label,
            "order": figure.order,
        }
        new_key = RENAMED.get(figure.key, figure.key)
        if new_key != figure.key and not ImpactFigure.objects.filter(key=new_key).exists():
            figure.key = new_key
            figure.save(update_fields=["key"])
        record = SeedRecord.objects.filter(model=LABEL, object_id=figure.pk).first()
        if record is None:
            continue
        record.seed_key = RENAMED.get(record.seed_key, record.seed_key)
        # A row nobody edited stays unedited under the fields the loader now owns, so later
        # wording from the data file still reaches it; an edited one stays the coordinators'.
        if record.fingerprint == fingerprint(old):
            record.fingerprint = fingerprint(
                {"key": figure.key, "label": figure.label, "order": figure.order}
            )
        record.save(update_fields=["seed_key", "fingerprint"])


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0006_language"),
        ("core", "0002_seedrecord_table"),
    ]

    operations = [
        migrations.RunPython(labels_only, migrations.RunPython.noop),
        migrations.RemoveField(model_name="impactfigure", name="qualifier"),
        migrations.RemoveField(model_name="impactfigure", name="value"),
    ]
