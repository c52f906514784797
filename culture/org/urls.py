from django.urls import path

from culture.org import views

app_name = "org"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("geojson/", views.geojson, name="geojson"),
    path("<str:code>/", views.unit, name="unit"),
    path("<str:code>/edit/", views.unit_edit, name="unit_edit"),
]

# Residential developments and future communities (S08, S36). Put first so that
# "developments/" is not read as an org unit code by "<str:code>/".
from culture.org import views_developments  # noqa: E402

urlpatterns = [
    path("developments/", views_developments.development_list_page, name="development_list"),
    path("developments/new/", views_developments.development_edit, name="development_create"),
    path(
        "developments/<str:code>/",
        views_developments.development_detail,
        name="development_detail",
    ),
    path(
        "developments/<str:code>/edit/",
        views_developments.development_edit,
        name="development_edit",
    ),
    *urlpatterns,
]
