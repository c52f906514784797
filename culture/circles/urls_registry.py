"""URLs of the circles' registry pages (included by culture/circles/urls.py): the staff registry
under ``registry/`` and the public circle pages under ``c/<code>/`` (no sign-in)."""

from __future__ import annotations

from django.urls import path

from culture.circles import views_registry as views

urlpatterns = [
    path("registry/", views.circle_list_page, name="circle_list"),
    path("registry/new/", views.circle_create_page, name="circle_create"),
    path("registry/<str:code>/", views.circle_detail_page, name="circle_detail"),
    path("registry/<str:code>/edit/", views.circle_edit_page, name="circle_edit"),
    path("registry/<str:code>/accept/", views.circle_accept_page, name="circle_accept"),
    path("registry/<str:code>/reopen/", views.circle_reopen_page, name="circle_reopen"),
    path("c/<str:code>/", views.public_page, name="circle_public"),
    path("c/<str:code>/qr.svg", views.public_qr_svg, name="circle_qr_svg"),
    path("c/<str:code>/qr.png", views.public_qr_png, name="circle_qr_png"),
    path("c/<str:code>/poster/", views.public_poster, name="circle_poster"),
]
