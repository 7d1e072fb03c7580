"""On PostgreSQL, two weekly rows of one centre and weekday whose times overlap cannot exist:
an exclusion constraint over the rows' minutes of the day, half-open so that a lunch break may
end where the morning ends. The admin's formset and set_weekly_hours check the same before
saving; this holds when two people save the same centre's hours at once. DEFERRABLE INITIALLY
DEFERRED: the admin saves a day's changed rows one by one (9-12 becoming 9-14 before 13-17
becomes 14-17), so the rows are compared as they stand at the commit. SQLite has no such
constraint."""

from django.db import migrations

CONSTRAINT = "weeklyhours_no_overlap"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE resource_centres_weeklyhours ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(centre_id WITH =, weekday WITH =, "
        "int4range(CAST(EXTRACT(EPOCH FROM opens) AS integer), "
        "CAST(EXTRACT(EPOCH FROM closes) AS integer), '[)') WITH &&) "
        "DEFERRABLE INITIALLY DEFERRED"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE resource_centres_weeklyhours DROP CONSTRAINT IF EXISTS {CONSTRAINT}"
    )


class Migration(migrations.Migration):
    dependencies = [("resource_centres", "0008_booking_person_forgotten")]

    operations = [migrations.RunPython(create, drop)]
