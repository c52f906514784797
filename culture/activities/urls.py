from django.urls import path  # noqa: F401 - pages are added by the registry issue

app_name = "activities"

urlpatterns: list = []
