from django.urls import path

from culture.org import views

app_name = "org"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("geojson/", views.geojson, name="geojson"),
    path("<str:code>/", views.unit, name="unit"),
    path("<str:code>/edit/", views.unit_edit, name="unit_edit"),
]
