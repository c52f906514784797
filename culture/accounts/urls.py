from django.urls import path

from culture.accounts.views import auth, residents, staff, users

app_name = "accounts"

urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("me/", auth.me, name="me"),
    path("signup/", auth.signup, name="signup"),
    path("signup/verify/", auth.signup_verify, name="signup_verify"),
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_edit, name="user_create"),
    path("users/<id:pk>/", users.user_edit, name="user_edit"),
    path("users/<id:pk>/active/", users.user_deactivate, name="user_deactivate"),
    path("staff/", staff.staff_list, name="staff_list"),
    path("staff/new/", staff.staff_edit, name="staff_create"),
    path("staff/<id:pk>/", staff.staff_detail, name="staff_detail"),
    path("staff/<id:pk>/edit/", staff.staff_edit, name="staff_edit"),
    path("staff/<id:pk>/deactivate/", staff.staff_deactivate, name="staff_deactivate"),
    path("residents/", residents.resident_list, name="resident_list"),
    path("residents/new/", residents.resident_create, name="resident_create"),
    path("residents/<id:pk>/", residents.resident_detail, name="resident_detail"),
    path("residents/<id:pk>/reveal/", residents.resident_reveal, name="resident_reveal"),
    path("residents/<id:pk>/active/", residents.resident_active, name="resident_active"),
]
