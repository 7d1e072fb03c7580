"""Events now live in the events app (events/migrations/0001_initial.py); their tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0004_events"),
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="calendarfeed",
                    name="user",
                ),
                migrations.RemoveIndex(
                    model_name="event",
                    name="event_published_start",
                ),
                migrations.RemoveIndex(
                    model_name="event",
                    name="event_centre_start",
                ),
                migrations.RemoveIndex(
                    model_name="event",
                    name="event_community_start",
                ),
                migrations.RemoveIndex(
                    model_name="event",
                    name="event_kind_start",
                ),
                migrations.RemoveIndex(
                    model_name="event",
                    name="event_closed",
                ),
                migrations.RemoveConstraint(
                    model_name="event",
                    name="event_seats_within_capacity",
                ),
                migrations.RemoveConstraint(
                    model_name="event",
                    name="event_ends_after_start",
                ),
                migrations.RemoveConstraint(
                    model_name="eventgroupcount",
                    name="eventgroupcount_unique",
                ),
                migrations.RemoveIndex(
                    model_name="registration",
                    name="registration_queue",
                ),
                migrations.RemoveIndex(
                    model_name="registration",
                    name="registration_user_status",
                ),
                migrations.RemoveConstraint(
                    model_name="registration",
                    name="registration_unique_user",
                ),
                migrations.RemoveConstraint(
                    model_name="registration",
                    name="registration_unique_guest",
                ),
                migrations.DeleteModel(
                    name="CalendarFeed",
                ),
                migrations.RemoveField(
                    model_name="event",
                    name="centre",
                ),
                migrations.RemoveField(
                    model_name="event",
                    name="community",
                ),
                migrations.RemoveField(
                    model_name="event",
                    name="model_elements",
                ),
                migrations.RemoveField(
                    model_name="event",
                    name="target_groups",
                ),
                migrations.RemoveField(
                    model_name="registration",
                    name="event",
                ),
                migrations.RemoveField(
                    model_name="registration",
                    name="user",
                ),
                migrations.DeleteModel(
                    name="EventGroupCount",
                ),
                migrations.DeleteModel(
                    name="Event",
                ),
                migrations.DeleteModel(
                    name="Registration",
                ),
            ],
            database_operations=[],
        ),
    ]
