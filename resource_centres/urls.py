from django.urls import path

from . import views

app_name = "resource_centres"

urlpatterns = [
    path("", views.centre_list, name="list"),
    path("<slug:slug>/", views.centre_detail, name="detail"),
]
