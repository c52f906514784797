"""Library pages (namespace "library", mounted at /library/): the residents' pages (search, a
title, one-click borrowing, my loans) and, under ``manage/``, the library staff's desk."""

from __future__ import annotations

from django.urls import include, path

app_name = "library"

urlpatterns = [
    path("", include("culture.library.urls_resident")),
    path("manage/", include("culture.library.urls_manage")),
]
