"""The move of events from communities to their own app, and of SeedRecord to core, keeps every
row (issue 10): a database migrated and filled before the move migrates forward intact, with
the role groups' permissions and the admin's history following the content types."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The migration state of main before the move: events still in communities, SeedRecord in
# resource_centres, no core or events app.
BEFORE_THE_MOVE = [
    ("events", None),
    ("core", None),
    ("communities", "0004_events"),
    ("resource_centres", "0001_initial"),
]


DJANGO_APPS = ("admin", "auth", "contenttypes")
MOVED_MODELS = ["event", "registration", "eventgroupcount", "calendarfeed", "seedrecord"]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _fill_before_the_move(apps) -> dict:
    """Rows of every moved table, made with the models as they were before the move."""
    user = apps.get_model("auth", "User").objects.create(username="anna", email="anna@example.lv")
    centre = apps.get_model("resource_centres", "ResourceCentre").objects.create(
        slug="aglona",
        name="Aglonas centrs",
        settlement="Aglona",
        municipality="Preiļu novads",
        latitude="56.1",
        longitude="27.0",
    )
    community = apps.get_model("communities", "Community").objects.create(
        slug="aglonas-kopiena", name="Aglonas kopiena", municipality="Preiļu novads"
    )
    group_kind = apps.get_model("communities", "TargetGroup").objects.create(
        slug="youth", title="Neredzamā jaunatne"
    )
    event = apps.get_model("communities", "Event").objects.create(
        slug="seminars",
        title="Seminārs pedagogiem",
        kind="teachers_seminar",
        centre=centre,
        community=community,
        starts_at=datetime(2026, 3, 28, 10, tzinfo=UTC),
        ends_at=datetime(2026, 3, 29, 10, tzinfo=UTC),
        capacity=20,
        seats_confirmed=2,
    )
    event.target_groups.add(group_kind)
    registration = apps.get_model("communities", "Registration").objects.create(
        event=event,
        user=user,
        name="Anna Ozola",
        email="anna@example.lv",
        seats=2,
        status="confirmed",
        token="tokens-stay-the-same",
    )
    apps.get_model("communities", "EventGroupCount").objects.create(
        event=event, target_group=group_kind, count=7
    )
    apps.get_model("communities", "CalendarFeed").objects.create(user=user, token="feed-token")
    seed = apps.get_model("resource_centres", "SeedRecord").objects.create(
        model="resource_centres.resourcecentre", seed_key="aglona", object_id=centre.pk,
        fingerprint="f" * 64,
    )  # fmt: skip
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    event_type, _ = ContentType.objects.get_or_create(app_label="communities", model="event")
    change_event, _ = Permission.objects.get_or_create(
        content_type=event_type, codename="change_event", defaults={"name": "Can change event"}
    )
    managers = apps.get_model("auth", "Group").objects.create(name="Pārbaudes vadītāji")
    managers.permissions.add(change_event)
    apps.get_model("admin", "LogEntry").objects.create(
        user=user,
        content_type=event_type,
        object_id=str(event.pk),
        object_repr="Seminārs pedagogiem",
        action_flag=2,
        action_time=datetime(2026, 3, 1, tzinfo=UTC),
    )
    return {
        "event": event.pk,
        "registration": registration.pk,
        "seed": seed.pk,
        "user": user.pk,
        "content_type": event_type.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_rows_made_before_the_move_survive_it():
    executor = _migrate(BEFORE_THE_MOVE)
    try:
        graph = executor.loader.graph
        nodes = [node for node in graph.leaf_nodes() if node[0] in DJANGO_APPS] + [
            target for target in BEFORE_THE_MOVE if target[1] is not None
        ]
        made = _fill_before_the_move(executor.loader.project_state(nodes).apps)
        _migrate(_latest())

        from django.contrib.admin.models import LogEntry
        from django.contrib.auth.models import Group, User
        from django.contrib.contenttypes.models import ContentType

        from core.models import SeedRecord
        from events.models import CalendarFeed, Event, EventGroupCount, Registration

        event = Event.objects.get(pk=made["event"])
        registration = Registration.objects.get(pk=made["registration"])
        seed = SeedRecord.objects.get(pk=made["seed"])
        managers = Group.objects.get(name="Pārbaudes vadītāji")
        entry = LogEntry.objects.get(object_id=str(made["event"]))
        assert {
            "event": (event.title, event.centre.slug, event.community.slug, event.seats_confirmed),
            "target_groups": list(event.target_groups.values_list("slug", flat=True)),
            "registration": (registration.event_id, registration.user_id, registration.token),
            "counts": list(EventGroupCount.objects.values_list("event_id", "count")),
            "feed": list(CalendarFeed.objects.values_list("user_id", "token")),
            "seed": (seed.model, seed.seed_key, seed.fingerprint),
            "permissions": sorted(
                managers.permissions.values_list("content_type__app_label", "codename")
            ),
            "history": (entry.content_type_id, entry.content_type.app_label),
            "tables": sorted(
                name
                for name in connection.introspection.table_names()
                if name.startswith(("events_", "core_", "communities_event"))
                or name.endswith("seedrecord")
            ),
            "stale content types": ContentType.objects.filter(
                app_label__in=["communities", "resource_centres"],
                model__in=[
                    "event",
                    "registration",
                    "eventgroupcount",
                    "calendarfeed",
                    "seedrecord",
                ],
            ).count(),
        } == {
            "event": ("Seminārs pedagogiem", "aglona", "aglonas-kopiena", 2),
            "target_groups": ["youth"],
            "registration": (made["event"], made["user"], "tokens-stay-the-same"),
            "counts": [(made["event"], 7)],
            "feed": [(made["user"], "feed-token")],
            "seed": ("resource_centres.resourcecentre", "aglona", "f" * 64),
            "permissions": [("events", "change_event")],
            "history": (made["content_type"], "events"),
            "tables": [
                "core_outgoingmail",
                "core_seedrecord",
                "events_calendarfeed",
                "events_digest",
                "events_digestedevent",
                "events_event",
                "events_event_instructs",
                "events_event_model_elements",
                "events_event_target_groups",
                "events_eventgroupcount",
                "events_follow",
                "events_registration",
            ],
            "stale content types": 0,
        }
        assert User.objects.filter(pk=made["user"]).exists()
    finally:
        _migrate(_latest())
