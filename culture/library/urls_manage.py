"""The library staff's pages (namespace "library", under /library/manage/): the branches I may
work, and per branch the circulation desk, the deliveries board, transfers, the hold shelf, the
overdue list and (the district library) the books-to-the-grassroots batches."""

from __future__ import annotations

from django.urls import path

from culture.library.views.manage import (
    batches,
    deliveries,
    desk,
    home,
    lists,
    stock,
    transfers,
)

urlpatterns = [
    path("", home.manage_home, name="manage_home"),
    path("<str:venue_code>/", desk.desk, name="desk"),
    path("<str:venue_code>/checkout/", desk.desk_checkout, name="desk_checkout"),
    path("<str:venue_code>/return/", desk.desk_return, name="desk_return"),
    path("<str:venue_code>/reader/", desk.desk_reader, name="desk_reader"),
    path("<str:venue_code>/deliveries/", deliveries.deliveries, name="deliveries"),
    path(
        "<str:venue_code>/deliveries/<id:order_id>/advance/",
        deliveries.delivery_advance,
        name="delivery_advance",
    ),
    path(
        "<str:venue_code>/deliveries/<id:order_id>/cancel/",
        deliveries.delivery_cancel,
        name="delivery_cancel",
    ),
    path("<str:venue_code>/transfers/", transfers.transfers, name="transfers"),
    path("<str:venue_code>/transfers/send/", transfers.transfer_send, name="transfer_send"),
    path(
        "<str:venue_code>/transfers/receive/", transfers.transfer_receive, name="transfer_receive"
    ),
    path("<str:venue_code>/write-off/", stock.write_off_page, name="write_off_page"),
    path("<str:venue_code>/write-off/do/", stock.write_off, name="write_off"),
    path("<str:venue_code>/holds/", lists.hold_shelf, name="hold_shelf"),
    path("<str:venue_code>/overdue/", lists.overdue, name="overdue"),
    path("<str:venue_code>/batches/", batches.batches, name="batches"),
]
