"""SeedRecord now lives in core (core/migrations/0001_initial.py); its table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("resource_centres", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SeedRecord")],
            database_operations=[],
        ),
    ]
