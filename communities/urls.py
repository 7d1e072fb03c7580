from django.urls import path

from . import event_views, views

app_name = "communities"

urlpatterns = [
    path("", views.community_list, name="list"),
    path("<slug:slug>/", views.community_detail, name="detail"),
    path("<slug:slug>/kalendars.ics", event_views.community_feed, name="calendar"),
    path("<slug:slug>/pievienoties/", views.join, name="join"),
    path("<slug:slug>/dalibnieki/", views.members, name="members"),
    path("<slug:slug>/dalibnieki/<int:pk>/", views.membership_decide, name="membership_decide"),
]
