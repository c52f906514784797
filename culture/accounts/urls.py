from django.urls import path

from culture.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("me/", views.me, name="me"),
    path("users/", views.user_list, name="user_list"),
    path("staff/", views.staff_list, name="staff_list"),
    path("residents/", views.resident_list, name="resident_list"),
]
