"""The venue manager's booking pages: their venues, the day's bookings of a venue (approve,
reject, mark no-shows, cancel with a reason), the check-in desk, the rooms' booking rules and
maintenance blocks, and the activities' seats.

Reads go through ``culture.booking.selectors`` (a venue manager reaches their venues
only, staff the venues of their scope); every change goes through ``culture.booking.services``
on POST. A refusal is shown as a clear message, never a 500.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from culture.booking import selectors as sel
from culture.booking import services
from culture.booking.forms import (
    CheckInForm,
    ReasonForm,
    RoomBlockForm,
    RoomRuleForm,
    SeatsForm,
    put_error,
)
from culture.booking.models import Booking, BookingStatus
from culture.core.errors import NotFound, OutOfScope, ServiceError
from culture.venues.access import can_write

PAGE_SIZE = 50
MAX_DAYS_AWAY = 3660  # the day list looks at most ten years either way
# What staff may cancel from the day page (pending ones are rejected, with a reason).
CANCELLABLE = (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)
# Bookings a maintenance block cannot override.
USED = (BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW)


def _service_refusal(exc: ServiceError) -> bool:
    """A refusal to show as a message (scope and not-found errors stay 403/404 pages)."""
    return not isinstance(exc, (OutOfScope, NotFound))


def _parse_day(raw: str | None) -> tuple[date, str]:
    """``?date=YYYY-MM-DD`` (default today); a bad or far-off value gives today and a message."""
    today = timezone.localdate()
    if not raw:
        return today, ""
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        return today, _(
            "日期“%(raw)s”无法识别，请按 年-月-日 填写（例如 2026-12-01）；已显示今天"
        ) % {"raw": raw[:20]}
    if abs((day - today).days) > MAX_DAYS_AWAY:
        return today, _("日期“%(raw)s”离今天太远（前后最多 %(n)s 天）；已显示今天") % {
            "raw": raw[:20],
            "n": MAX_DAYS_AWAY,
        }
    return day, ""


def _day_url(venue_code: str, day: date) -> str:
    return f"{reverse('booking:manage_day', args=[venue_code])}?date={day.isoformat()}"


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _hhmm(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment else ""


# ----- venues and the day's bookings ----------------------------------------------------------


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
    day, error = _parse_day(request.GET.get("date"))
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
            "prev_url": _day_url(venue.code, day - timedelta(days=1)),
            "next_url": _day_url(venue.code, day + timedelta(days=1)),
            "today_url": _day_url(venue.code, timezone.localdate()),
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


def _booking_for_action(request: HttpRequest, venue_code: str, code: str) -> tuple[Any, Booking]:
    venue = sel.manage_venue_get(viewer=request.user, code=venue_code, write=True)
    booking = sel.manage_booking_get(viewer=request.user, venue=venue, code=code)
    return venue, booking


def _act(
    request: HttpRequest, venue_code: str, code: str, action: Any, done: str, **kwargs: Any
) -> HttpResponse:
    venue, booking = _booking_for_action(request, venue_code, code)
    default = _day_url(venue.code, timezone.localtime(booking.start_at).date())
    try:
        action(actor=request.user, booking=booking, **kwargs)
    except ServiceError as exc:
        if not _service_refusal(exc):
            raise
        messages.error(request, f"{booking.code}：{exc.message}")
    else:
        messages.success(request, done % {"code": booking.code, "who": sel.who(booking)})
    return _back(request, default)


@login_required
@require_POST
def manage_approve(request: HttpRequest, venue_code: str, code: str) -> HttpResponse:
    return _act(
        request, venue_code, code, services.booking_approve, _("已通过 %(who)s 的预约 %(code)s")
    )


def _with_reason(
    request: HttpRequest, venue_code: str, code: str, action: Any, done: str
) -> HttpResponse:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        venue, booking = _booking_for_action(request, venue_code, code)
        messages.error(request, f"{booking.code}：{form.errors['reason'][0]}")
        return _back(request, _day_url(venue.code, timezone.localtime(booking.start_at).date()))
    return _act(request, venue_code, code, action, done, reason=form.cleaned_data["reason"])


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


# ----- the check-in desk ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def manage_checkin(request: HttpRequest, venue_code: str) -> HttpResponse:
    """One auto-focused input: a scanned QR payload (the scanner types it and presses Enter),
    a typed short code or a read social-security card number. The answer is big and clear."""
    venue = sel.manage_venue_get(viewer=request.user, code=venue_code, write=True)
    result: dict[str, Any] | None = None
    status = 200
    form = CheckInForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            result = {"ok": False, "message": form.errors["token"][0]}
            status = 422
        else:
            try:
                checked = services.booking_check_in(
                    actor=request.user, venue=venue, token=form.cleaned_data["token"]
                )
            except ServiceError as exc:
                if isinstance(exc, OutOfScope):
                    raise
                # an unknown code or card is a refusal at the desk, not a missing page
                result = {"ok": False, "message": str(exc.message)}
                status = 422
            else:
                b = checked.booking
                result = {
                    "ok": True,
                    "already": checked.already,
                    "who": sel.who(b),
                    "what": sel.what(b),
                    "when": f"{_hhmm(b.start_at)}–{_hhmm(b.end_at)}",
                    "code": b.code,
                    "method": b.get_check_in_method_display(),
                    "at": _hhmm(b.checked_in_at),
                }
        form = CheckInForm()  # the input is empty and focused again for the next person
    return render(
        request,
        "booking/manage/checkin.html",
        {"nav": "booking_manage", "venue": venue, "form": form, "result": result, "can_edit": True},
        status=status,
    )


# ----- rooms: booking rules and maintenance blocks -------------------------------------------


@login_required
@require_GET
def manage_rooms(request: HttpRequest, venue_code: str) -> HttpResponse:
    venue = sel.manage_venue_get(viewer=request.user, code=venue_code)
    return render(
        request,
        "booking/manage/rooms.html",
        {
            "nav": "booking_manage",
            "venue": venue,
            "rooms": sel.venue_rooms_with_rules(viewer=request.user, venue=venue),
            "can_edit": can_write(request.user, venue),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_room_rule(request: HttpRequest, venue_code: str, room_id: int) -> HttpResponse:
    venue = sel.manage_venue_get(viewer=request.user, code=venue_code, write=True)
    room = sel.manage_room_get(viewer=request.user, venue=venue, room_id=room_id)
    rule = getattr(room, "booking_rule", None)
    form = RoomRuleForm.for_rule(rule, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.room_rule_set(actor=request.user, room=room, **form.cleaned_data)
        except ServiceError as exc:
            if not _service_refusal(exc):
                raise
            put_error(form, exc)
        else:
            messages.success(request, _("已保存活动室 %(name)s 的预约规则") % {"name": room.name})
            return redirect("booking:manage_rooms", venue_code=venue.code)
    return render(
        request,
        "booking/manage/room_rule.html",
        {"nav": "booking_manage", "venue": venue, "room": room, "rule": rule, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_room_block(request: HttpRequest, venue_code: str, room_id: int) -> HttpResponse:
    """Block a room for a while. GET with the times shows which bookings it will cancel (and
    changes nothing); the POST of the confirmation creates it, cancels them and tells the
    people."""
    venue = sel.manage_venue_get(viewer=request.user, code=venue_code, write=True)
    room = sel.manage_room_get(viewer=request.user, venue=venue, room_id=room_id)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = RoomBlockForm(data)
    collisions = None
    used: list[Booking] = []
    status = 200
    if data is not None:
        if form.is_valid():
            start, end = form.cleaned_data["start_at"], form.cleaned_data["end_at"]
            if request.method == "POST":
                try:
                    _block, cancelled = services.room_block_create(
                        actor=request.user,
                        room=room,
                        start_at=start,
                        end_at=end,
                        reason=form.cleaned_data["reason"],
                    )
                except ServiceError as exc:
                    if not _service_refusal(exc):
                        raise
                    put_error(form, exc)
                    status = 422
                else:
                    messages.success(
                        request,
                        _("活动室 %(name)s 已停用；取消了 %(n)s 个预约，已通知预约人")
                        % {"name": room.name, "n": len(cancelled)},
                    )
                    return redirect("booking:manage_rooms", venue_code=venue.code)
            collisions = sel.block_collisions(room=room, start_at=start, end_at=end)
            # people already checked in (or marked no-show) keep their record: no block over them
            used = [b for b in collisions if b.status in USED]
        else:
            status = 422 if request.method == "POST" else 200
    return render(
        request,
        "booking/manage/room_block.html",
        {
            "nav": "booking_manage",
            "venue": venue,
            "room": room,
            "form": form,
            "collisions": collisions,
            "used": used,
        },
        status=status,
    )


@login_required
@require_POST
def manage_block_delete(request: HttpRequest, venue_code: str, block_id: int) -> HttpResponse:
    venue = sel.manage_venue_get(viewer=request.user, code=venue_code, write=True)
    block = sel.manage_block_get(viewer=request.user, venue=venue, block_id=block_id)
    try:
        services.room_block_delete(actor=request.user, block=block)
    except ServiceError as exc:
        if not _service_refusal(exc):
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已解除活动室 %(name)s 的停用") % {"name": block.room.name})
    return redirect("booking:manage_rooms", venue_code=venue.code)


# ----- activities: seats ----------------------------------------------------------------------


@login_required
@require_GET
def manage_activities(request: HttpRequest, venue_code: str) -> HttpResponse:
    venue = sel.manage_venue_get(viewer=request.user, code=venue_code)
    return render(
        request,
        "booking/manage/activities.html",
        {
            "nav": "booking_manage",
            "venue": venue,
            "activities": sel.venue_bookable_activities(viewer=request.user, venue=venue),
            "can_edit": can_write(request.user, venue),
            "days_back": sel.ACTIVITY_DAYS_BACK,
            "days_ahead": sel.ACTIVITY_DAYS_AHEAD,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_seats(request: HttpRequest, venue_code: str, activity_id: int) -> HttpResponse:
    venue = sel.manage_venue_get(viewer=request.user, code=venue_code, write=True)
    activity = sel.manage_activity_get(viewer=request.user, venue=venue, activity_id=activity_id)
    seats = getattr(activity, "seats", None)
    form = SeatsForm.for_seats(seats, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.seats_set(actor=request.user, activity=activity, **form.cleaned_data)
        except ServiceError as exc:
            if not _service_refusal(exc):
                raise
            put_error(form, exc)
        else:
            messages.success(
                request, _("已保存活动“%(title)s”的预约设置") % {"title": activity.title}
            )
            return redirect("booking:manage_activities", venue_code=venue.code)
    return render(
        request,
        "booking/manage/seats.html",
        {
            "nav": "booking_manage",
            "venue": venue,
            "activity": activity,
            "seats": seats,
            "form": form,
        },
        status=422 if request.method == "POST" else 200,
    )
