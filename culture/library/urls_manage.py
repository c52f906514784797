"""The library staff's pages (namespace "library", under /library/manage/)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
