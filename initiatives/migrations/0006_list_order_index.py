"""The list's order as an index. On PostgreSQL it carries the folded search text beside it
(INCLUDE): a search for a common word then reads the index in the list's order and stops at the
page's twentieth match instead of scanning every wide row. SQLite keeps the plain index (it
has no INCLUDE; its regional data needs none). It replaces the (status, year) index, whose
columns it starts with."""

from django.db import migrations, models

INDEX = "initiative_list_order"


def cover_search_text(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON initiatives_initiative "
        "(status, year DESC, title, id) INCLUDE (search_text)"
    )


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0005_search_trigram_index")]

    operations = [
        migrations.RemoveIndex(model_name="initiative", name="initiative_status_year"),
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(fields=["status", "-year", "title", "id"], name=INDEX),
        ),
        # Undone with the index itself (AddIndex drops it by name).
        migrations.RunPython(cover_search_text, migrations.RunPython.noop),
    ]
