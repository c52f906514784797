from django.urls import path

from culture.activities import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list_page, name="list"),
    path("new/", views.activity_create_page, name="create"),
    path("<id:pk>/", views.activity_detail, name="detail"),
    path("<id:pk>/edit/", views.activity_edit_page, name="edit"),
    path("<id:pk>/cancel/", views.activity_cancel_page, name="cancel"),
]
