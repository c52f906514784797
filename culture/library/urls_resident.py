"""The residents' library pages (namespace "library", mounted at /library/)."""

from __future__ import annotations

from django.urls import path

from culture.library.views.resident import mine, search, title

urlpatterns = [
    path("", search.search, name="search"),
    path("t/<id:title_id>/", title.title_page, name="title"),
    path("t/<id:title_id>/borrow/", title.title_borrow, name="title_borrow"),
    path("t/<id:title_id>/hold/", title.title_hold, name="title_hold"),
    path("mine/", mine.mine, name="mine"),
    path("mine/history/", mine.history, name="history"),
    path("loans/<id:loan_id>/renew/", mine.loan_renew_view, name="loan_renew"),
    path("holds/<id:hold_id>/cancel/", mine.hold_cancel_view, name="hold_cancel"),
    path("orders/<id:order_id>/cancel/", mine.order_cancel_view, name="order_cancel"),
]
