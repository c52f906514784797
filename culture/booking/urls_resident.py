"""The residents' booking pages (namespace "booking", mounted at /booking/)."""

from __future__ import annotations

from django.urls import path

from culture.booking.views.resident import book, find, messages, mine

urlpatterns = [
    path("", find.find, name="find"),
    path("a/<id:activity_id>/", book.activity_page, name="activity"),
    path("a/<id:activity_id>/book/", book.activity_book_view, name="activity_book"),
    path("r/<id:room_id>/", book.room_page, name="room"),
    path("r/<id:room_id>/book/", book.room_book_view, name="room_book"),
    path("mine/", mine.mine, name="mine"),
    path("b/<str:code>/", mine.booking_page, name="booking"),
    path("b/<str:code>/qr.svg", mine.booking_qr, name="booking_qr"),
    path("b/<str:code>/cancel/", mine.booking_cancel_view, name="booking_cancel"),
    path("messages/", messages.messages_page, name="messages"),
    path("messages/read/", messages.messages_read, name="messages_read"),
]
