"""Events get a folded search column, like centres and communities: the site's search finds
"Rēzekne" by "rezekne" with a plain LIKE on every database. The existing rows are filled here;
Event.save() keeps it current from then on. On PostgreSQL a trigram index serves the LIKE, so a
search does not read all 50,000 events of a national network."""

from django.db import migrations, models

from core.text import fold

INDEX = "event_search_trgm"


def fill(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    batch = []
    for event in Event.objects.only("pk", "title", "address").iterator(chunk_size=2000):
        event.search_text = fold(" ".join(part for part in (event.title, event.address) if part))
        batch.append(event)
        if len(batch) >= 2000:
            Event.objects.bulk_update(batch, ["search_text"])
            batch = []
    Event.objects.bulk_update(batch, ["search_text"])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON events_event USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("events", "0006_event_instructs")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
