"""On PostgreSQL, the initiatives' search (`search_text LIKE '%word%'`, folded text) uses a
trigram index instead of reading every initiative: at national scale a search otherwise costs a
full scan for the count and another for the page. SQLite has no such index; its scan of a
regional dataset is fast enough."""

from django.db import migrations

INDEX = "initiative_search_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON initiatives_initiative "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0004_statuses_and_roles")]

    operations = [migrations.RunPython(create, drop)]
