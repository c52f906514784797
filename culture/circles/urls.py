from __future__ import annotations

from django.urls import include, path

app_name = "circles"

urlpatterns = [
    path("", include("culture.circles.urls_coverage")),
    path("", include("culture.circles.urls_siting")),
    path("", include("culture.circles.urls_registry")),
]
