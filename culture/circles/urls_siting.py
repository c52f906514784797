"""URLs of the circles' siting pages (included by culture/circles/urls.py)."""

from __future__ import annotations

from django.urls import path

from culture.circles import views_siting as views

urlpatterns: list = [
    path("siting/", views.siting_page, name="siting"),
]
