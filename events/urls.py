from django.urls import path

from . import community_event_views, following_views, views

app_name = "events"

# Fixed words come before "<slug>/": an event's slug never shadows them (admin refuses them).
urlpatterns = [
    path("", views.event_list, name="list"),
    path("kalendars.ics", views.feed, name="feed"),
    path("mans/kalendars/", views.calendar_feed_token, name="feed_token"),
    path("mans/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("apstiprinat/<str:token>/", views.confirm, name="confirm"),
    path("pieteikums/<str:token>/", views.registration, name="registration"),
    path(
        "pieteikums/<str:token>/atteikties/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path("atteikties/<int:pk>/", views.cancel, name="cancel"),
    path(
        "apkopojums/atteikties/<str:token>/",
        following_views.digest_unsubscribe,
        name="digest_unsubscribe",
    ),
    path("mana-centra/", community_event_views.centre_events, name="centre_events"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/pieteikties/", views.register, name="register"),
    path("<slug:slug>/kalendars.ics", views.event_feed, name="event_feed"),
    # Run from the site by the community's leaders and the centre's managers (issue 17).
    path("<slug:slug>/labot/", community_event_views.event_edit, name="edit"),
    path("<slug:slug>/kopet/", community_event_views.event_copy, name="copy"),
    path("<slug:slug>/atcelt/", community_event_views.event_cancel, name="event_cancel"),
    path("<slug:slug>/apmeklejums/", community_event_views.event_attendance, name="attendance"),
]

RESERVED_SLUGS = {
    "kalendars",
    "mans",
    "apstiprinat",
    "pieteikums",
    "atteikties",
    "apkopojums",
    "mana-centra",
}
