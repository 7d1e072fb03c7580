"""On PostgreSQL, two pending or confirmed bookings of one unit whose blocked times (start until
end plus the item's buffer) overlap cannot exist: an exclusion constraint over the time ranges,
half-open so that one booking may start when the previous one's buffer ends. It holds whatever
writes the rows (the services, the admin, a script); the services turn its refusal into "this
time is already taken". SQLite has no such constraint: there the services check under the
database's write lock (resource_centres.booking_services)."""

from django.db import migrations

CONSTRAINT = "booking_no_overlap"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE resource_centres_booking ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(equipment_id WITH =, unit WITH =, tstzrange(starts_at, blocked_until, '[)') WITH &&) "
        "WHERE (status IN ('pending', 'confirmed'))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE resource_centres_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}"
    )


class Migration(migrations.Migration):
    dependencies = [("resource_centres", "0005_bookings")]

    operations = [migrations.RunPython(create, drop)]
