from django.urls import path

from culture.teams import views

app_name = "teams"

urlpatterns = [
    path("", views.team_list, name="team_list"),
    path("new/", views.team_edit, name="team_create"),
    path("team/<str:code>/", views.team_detail, name="team_detail"),
    path("team/<str:code>/edit/", views.team_edit, name="team_edit"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_edit, name="organisation_create"),
    path("organisations/<str:code>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<str:code>/edit/", views.organisation_edit, name="organisation_edit"),
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views.household_edit, name="household_create"),
    path("households/<str:code>/edit/", views.household_edit, name="household_edit"),
    path("talents/", views.talent_list, name="talent_list"),
    path("talents/new/", views.talent_edit, name="talent_create"),
    path("talents/<str:code>/edit/", views.talent_edit, name="talent_edit"),
]
