from django.urls import path

from . import capacity_views, views

app_name = "communities"

# A community's own page and its calendar also show what the apps built on communities hold
# about it (its events), so the project composes them into this namespace (kopienas/urls.py).

urlpatterns = [
    path("", views.community_list, name="list"),
    path("<slug:slug>/pievienoties/", views.join, name="join"),
    path("<slug:slug>/dalibnieki/", views.members, name="members"),
    path("<slug:slug>/dalibnieki/<int:pk>/", views.membership_decide, name="membership_decide"),
    # Managing members (issue 17): the community's leaders and coordinators; leaving: the member.
    path("<slug:slug>/dalibnieki/<int:pk>/loma/", views.member_role, name="member_role"),
    path("<slug:slug>/dalibnieki/<int:pk>/nonemt/", views.member_remove, name="member_remove"),
    path("<slug:slug>/pamest/", views.leave, name="leave"),
    # The community's capacity self-assessment (issue 16): its members' and coordinators' only.
    path("<slug:slug>/ricibspeja/", capacity_views.overview, name="capacity"),
    path("<slug:slug>/ricibspeja/jauna/", capacity_views.round_open, name="capacity_open"),
    path("<slug:slug>/ricibspeja/rezultati/", capacity_views.results, name="capacity_results"),
    path(
        "<slug:slug>/ricibspeja/rezultati.csv",
        capacity_views.results_csv,
        name="capacity_results_csv",
    ),
    path("<slug:slug>/ricibspeja/<int:pk>/", capacity_views.round_detail, name="capacity_round"),
    path(
        "<slug:slug>/ricibspeja/<int:pk>/vienosanas/",
        capacity_views.consensus,
        name="capacity_consensus",
    ),
    path("<slug:slug>/ricibspeja/<int:pk>/plans/", capacity_views.plan, name="capacity_plan"),
    path(
        "<slug:slug>/ricibspeja/<int:pk>/plans/<int:item_pk>/",
        capacity_views.item_status,
        name="capacity_item_status",
    ),
]
