"""The resident's own bookings: the list, one booking with its QR code, cancelling it."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from culture.booking import selectors as sel
from culture.booking.models import BookingStatus
from culture.booking.services import booking_cancel, booking_qr_payload
from culture.booking.views.resident.common import show_refusal
from culture.core.errors import ServiceError

QR_ERROR = "m"
QR_SCALE = 8
QR_BORDER = 4
# Statuses whose QR code is shown (a waiting-list place or a request under review has no seat
# to check in to yet).
QR_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)


@never_cache
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    now = timezone.now()
    coming, past = sel.my_bookings(user=request.user, now=now)
    rows = [(b, sel.cancel_state(b, now=now)) for b in coming]
    return render(
        request,
        "booking/mine.html",
        {"nav": "booking", "tab": "mine", "coming": rows, "past": past},
    )


@never_cache
@require_GET
def booking_page(request: HttpRequest, code: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    booking = sel.own_booking(user=request.user, code=code)
    return render(
        request,
        "booking/booking.html",
        {
            "nav": "booking",
            "tab": "mine",
            "booking": booking,
            "cancel": sel.cancel_state(booking),
            "show_qr": booking.status in QR_STATUSES,
            "code_spaced": f"{booking.code[:4]} {booking.code[4:]}",
        },
    )


@never_cache
@require_GET
def booking_qr(request: HttpRequest, code: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    booking = sel.own_booking(user=request.user, code=code)
    out = io.BytesIO()
    qr = segno.make(booking_qr_payload(booking), error=QR_ERROR, micro=False)
    qr.save(out, kind="svg", scale=QR_SCALE, border=QR_BORDER, light="#fff")
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def booking_cancel_view(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the confirm step ("取消这条预约吗？"); POST: cancel through the service."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    booking = sel.own_booking(user=request.user, code=code)
    if request.method == "GET":
        return render(
            request,
            "booking/cancel.html",
            {"nav": "booking", "tab": "mine", "booking": booking,
             "cancel": sel.cancel_state(booking)},
        )  # fmt: skip
    try:
        booking_cancel(actor=request.user, booking=booking, reason=_("本人取消"))
    except ServiceError as exc:
        show_refusal(request, exc)
        return redirect("booking:booking", code=booking.code)
    messages.success(request, _("已取消预约 %(code)s。") % {"code": booking.code})
    return redirect("booking:mine")
