"""The residents' booking pages (namespace "booking", mounted at /booking/)."""

from __future__ import annotations

from django.urls import path

from culture.booking.views import resident as views

urlpatterns = [
    path("", views.find, name="find"),
    path("a/<int:activity_id>/", views.activity_page, name="activity"),
    path("a/<int:activity_id>/book/", views.activity_book_view, name="activity_book"),
    path("r/<int:room_id>/", views.room_page, name="room"),
    path("r/<int:room_id>/book/", views.room_book_view, name="room_book"),
    path("mine/", views.mine, name="mine"),
    path("b/<str:code>/", views.booking_page, name="booking"),
    path("b/<str:code>/qr.svg", views.booking_qr, name="booking_qr"),
    path("b/<str:code>/cancel/", views.booking_cancel_view, name="booking_cancel"),
    path("messages/", views.messages_page, name="messages"),
    path("messages/read/", views.messages_read, name="messages_read"),
]
