from django.urls import path

from culture.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("elderly-mode/", views.toggle_elderly_mode, name="elderly_mode"),
    path("audit/", views.audit_list, name="audit_list"),
    path("healthz/", views.healthz, name="healthz"),
]
