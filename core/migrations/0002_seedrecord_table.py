from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("resource_centres", "0002_seedrecord_moved_to_core"),
    ]

    operations = [migrations.AlterModelTable(name="seedrecord", table=None)]
