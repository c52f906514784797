"""The manager's venues, the day's bookings of a venue and the approvals waiting, and the
actions on one booking: approve, reject or cancel with a reason, mark a no-show."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from culture.booking import selectors as sel
from culture.booking import services
from culture.booking.forms import ReasonForm
from culture.booking.models import Booking, BookingStatus
from culture.booking.views.manage.common import back, day_url, parse_day
from culture.booking.views.refusals import is_refusal
from culture.core.errors import ServiceError
from culture.venues.access import can_write

PAGE_SIZE = 50
# What staff may cancel from the day page (pending ones are rejected, with a reason).
CANCELLABLE = (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)


@login_required
@require_GET
def manage_home(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    venues = sel.manage_venue_list(viewer=request.user, q=q)
    page = Paginator(venues, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "booking/manage/home.html",
        {"nav": "booking_manage", "page": page, "q": q, "today": timezone.localdate()},
    )


@login_required
@require_GET
def manage_day(request: HttpRequest, venue_code: str) -> HttpResponse:
    venue = sel.manage_venue_get(viewer=request.user, code=venue_code)
    day, error = parse_day(request.GET.get("date"))
    rows = sel.venue_day_bookings(viewer=request.user, venue=venue, day=day)
    now = timezone.now()
    no_show = timedelta(minutes=settings.CULTURE_BOOKING_NO_SHOW_AFTER_MINUTES)
    for b in rows:
        started = b.start_at + no_show <= now
        b.can_no_show = b.status == BookingStatus.CONFIRMED and started  # type: ignore[attr-defined]
        b.can_cancel = b.status in CANCELLABLE  # type: ignore[attr-defined]
    return render(
        request,
        "booking/manage/day.html",
        {
            "nav": "booking_manage",
            "venue": venue,
            "day": day,
            "is_today": day == timezone.localdate(),
            "prev_url": day_url(venue.code, day - timedelta(days=1)),
            "next_url": day_url(venue.code, day + timedelta(days=1)),
            "today_url": day_url(venue.code, timezone.localdate()),
            "rows": rows,
            "counts": sel.day_counts(rows),
            "error": error,
            "can_edit": can_write(request.user, venue),
            "here": request.get_full_path(),
        },
    )


@login_required
@require_GET
def manage_approvals(request: HttpRequest, venue_code: str) -> HttpResponse:
    venue = sel.manage_venue_get(viewer=request.user, code=venue_code)
    return render(
        request,
        "booking/manage/approvals.html",
        {
            "nav": "booking_manage",
            "venue": venue,
            "rows": sel.venue_pending(viewer=request.user, venue=venue),
            "can_edit": can_write(request.user, venue),
            "here": request.get_full_path(),
        },
    )


# ----- actions on one booking ------------------------------------------------------------------


def _booking_for_action(request: HttpRequest, venue_code: str, code: str) -> tuple[Any, Booking]:
    venue = sel.manage_venue_get(viewer=request.user, code=venue_code, write=True)
    booking = sel.manage_booking_get(viewer=request.user, venue=venue, code=code)
    return venue, booking


def _act(
    request: HttpRequest, venue_code: str, code: str, action: Any, done: str, **kwargs: Any
) -> HttpResponse:
    venue, booking = _booking_for_action(request, venue_code, code)
    default = day_url(venue.code, timezone.localtime(booking.start_at).date())
    try:
        action(actor=request.user, booking=booking, **kwargs)
    except ServiceError as exc:
        if not is_refusal(exc):
            raise
        messages.error(request, f"{booking.code}：{exc.message}")
    else:
        messages.success(request, done % {"code": booking.code, "who": sel.who(booking)})
    return back(request, default)


def _with_reason(
    request: HttpRequest, venue_code: str, code: str, action: Any, done: str
) -> HttpResponse:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        venue, booking = _booking_for_action(request, venue_code, code)
        messages.error(request, f"{booking.code}：{form.errors['reason'][0]}")
        return back(request, day_url(venue.code, timezone.localtime(booking.start_at).date()))
    return _act(request, venue_code, code, action, done, reason=form.cleaned_data["reason"])


@login_required
@require_POST
def manage_approve(request: HttpRequest, venue_code: str, code: str) -> HttpResponse:
    return _act(
        request, venue_code, code, services.booking_approve, _("已通过 %(who)s 的预约 %(code)s")
    )


@login_required
@require_POST
def manage_reject(request: HttpRequest, venue_code: str, code: str) -> HttpResponse:
    return _with_reason(
        request,
        venue_code,
        code,
        services.booking_reject,
        _("已驳回 %(who)s 的预约 %(code)s，已告知本人"),
    )


@login_required
@require_POST
def manage_cancel(request: HttpRequest, venue_code: str, code: str) -> HttpResponse:
    return _with_reason(
        request,
        venue_code,
        code,
        services.booking_cancel,
        _("已取消 %(who)s 的预约 %(code)s，已告知本人"),
    )


@login_required
@require_POST
def manage_no_show(request: HttpRequest, venue_code: str, code: str) -> HttpResponse:
    return _act(
        request,
        venue_code,
        code,
        services.booking_mark_no_show,
        _("已将 %(who)s 的预约 %(code)s 记为未到场"),
    )
