"""SeedRecord moves here from resource_centres with its rows (core.moving)."""

from django.db import migrations, models

from core.moving import move_content_types


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("resource_centres", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SeedRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("model", models.CharField(max_length=100)),
                        ("seed_key", models.CharField(max_length=100)),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("fingerprint", models.CharField(max_length=64)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "verbose_name": "ielādēto datu ieraksts",
                        "verbose_name_plural": "ielādēto datu ieraksti",
                        "ordering": ["model", "seed_key"],
                        "db_table": "resource_centres_seedrecord",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("model", "seed_key"), name="seedrecord_unique_key"
                            ),
                            models.UniqueConstraint(
                                fields=("model", "object_id"), name="seedrecord_unique_object"
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        move_content_types(source="resource_centres", target="core", models=("seedrecord",)),
    ]
