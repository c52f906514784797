"""URLs of the circles' coverage pages (included by culture/circles/urls.py)."""

from __future__ import annotations

from django.urls import path

from culture.circles import views_coverage as views

urlpatterns: list = [
    path("", views.coverage_page, name="coverage"),
    path("coverage/data/", views.coverage_data, name="coverage_data"),
    path("points/", views.point_list, name="points"),
    path("candidate-sites/", views.site_list, name="sites"),
]
