from django.urls import path

from . import views

app_name = "communities"

# A community's own page and its calendar also show what the apps built on communities hold
# about it (its events), so the project composes them into this namespace (kopienas/urls.py).

urlpatterns = [
    path("", views.community_list, name="list"),
    path("<slug:slug>/pievienoties/", views.join, name="join"),
    path("<slug:slug>/dalibnieki/", views.members, name="members"),
    path("<slug:slug>/dalibnieki/<int:pk>/", views.membership_decide, name="membership_decide"),
]
