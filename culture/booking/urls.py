"""One-click booking pages (namespace "booking", mounted at /booking/): the residents' pages and,
under ``manage/``, the venue managers'."""

from __future__ import annotations

from django.urls import include, path

app_name = "booking"

urlpatterns = [
    path("", include("culture.booking.urls_resident")),
    path("manage/", include("culture.booking.urls_manage")),
]
