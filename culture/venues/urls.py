from django.urls import path

from culture.venues import views

app_name = "venues"

urlpatterns = [
    path("", views.venue_list_page, name="list"),
    path("map/", views.venue_map, name="map"),
    path("map/points/", views.venue_map_data, name="map_data"),
    path("new/", views.venue_create_page, name="create"),
    path("<str:code>/", views.venue_detail, name="detail"),
    path("<str:code>/edit/", views.venue_edit, name="edit"),
    path("<str:code>/rooms/new/", views.room_form, name="room_add"),
    path("<str:code>/rooms/<id:pk>/edit/", views.room_form, name="room_edit"),
]
