"""The grant area's public pages: rounds, their results, applying and one application."""

from django.urls import path

from . import views

app_name = "grants"

urlpatterns = [
    path("konkursi/", views.round_list, name="round_list"),
    path("konkursi/<slug:slug>/", views.round_detail, name="round_detail"),
    path("konkursi/<slug:slug>/rezultati/", views.round_results, name="round_results"),
    path("konkursi/<slug:slug>/pieteikties/", views.apply, name="apply"),
    path("pieteikumi/<str:key>/", views.application_detail, name="application_detail"),
    path("pieteikumi/<str:key>/labot/", views.application_edit, name="application_edit"),
    path("pieteikumi/<str:key>/atsaukt/", views.application_withdraw, name="application_withdraw"),
    path(
        "pieteikumi/<str:key>/pielikumi/<int:pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
