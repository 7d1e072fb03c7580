from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("communities", "0005_events_moved_to_events_app"),
    ]

    operations = [
        migrations.AlterModelTable(name=name, table=None)
        for name in ("event", "registration", "eventgroupcount", "calendarfeed")
    ]
