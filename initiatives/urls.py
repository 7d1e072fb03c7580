"""Initiatives: the public list and pages, and each initiative's report for its team."""

from django.urls import path

from .views import public, team

app_name = "initiatives"

urlpatterns = [
    path("", public.initiative_list, name="list"),
    # Before the initiative's own page: "jauna" is never an initiative's slug (services).
    path("jauna/", team.record, name="record"),
    path("<slug:slug>/", public.initiative_detail, name="detail"),
    path("<slug:slug>/foto/<int:pk>/<str:size>/", public.photo, name="photo"),
    path("<slug:slug>/atskaite/", team.report, name="report"),
    path("<slug:slug>/atskaite/datnes/<int:pk>/", team.receipt, name="receipt"),
    path("<slug:slug>/gaita/", team.progress, name="progress"),
]
