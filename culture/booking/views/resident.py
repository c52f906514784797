"""The residents' booking pages (phone first): find an activity or a room near home, open it,
book in one tap, see the confirmation with its QR code, list and cancel one's bookings, read
one's messages.

Finding and opening are public; booking needs a resident's account (an anonymous visitor is sent
to sign in and comes back to the page they were on). Every change is a POST through
``culture.booking.services`` carrying the CSRF token and an ``Idempotency-Key`` made when the
page was rendered, so a double tap books once. A refusal (full, duplicate, not open yet, too
late...) comes back to the page as the service's own message, never as an error page.
"""

from __future__ import annotations

import io
import uuid
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from culture.accounts.models import Resident
from culture.accounts.notifications import notifications_mark_read
from culture.booking import selectors as sel
from culture.booking.models import Booking, BookingStatus
from culture.booking.services import activity_book, booking_cancel, booking_qr_payload, room_book
from culture.booking.slots import room_day_slots
from culture.core.errors import NotFound, OutOfScope, ServiceError
from culture.venues import hours

QR_ERROR = "m"
QR_SCALE = 8
QR_BORDER = 4
# Statuses whose QR code is shown (a waiting-list place or a request under review has no seat
# to check in to yet).
QR_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)


# ----- helpers --------------------------------------------------------------------------------
def _new_key() -> str:
    return uuid.uuid4().hex


def _is_resident(user: Any) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and Resident.objects.filter(user_id=user.pk).exists()
    )


def _refused(request: HttpRequest, exc: ServiceError) -> None:
    """A refusal the page shows as a message; not-found and out-of-scope go on to the error page
    (the middleware), since there is no page to go back to."""
    if isinstance(exc, (NotFound, OutOfScope)):
        raise exc
    messages.error(request, str(exc.message))


def _parse_day(value: str | None, default: date | None) -> date | None:
    if not value:
        return default
    try:
        return parse_date(value) or default
    except ValueError:
        return default


def _day_choices(today: date, days: int) -> list[tuple[date, str]]:
    names = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]
    out = []
    for i in range(days):
        d = today + timedelta(days=i)
        if i == 0:
            label = _("今天")
        elif i == 1:
            label = _("明天")
        else:
            label = names[d.weekday()]
        out.append((d, f"{label} {d:%m-%d}"))
    return out


# ----- find -----------------------------------------------------------------------------------
@require_GET
def find(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    today = timezone.localdate(now)
    kinds = sel.kind_choices()
    kind = request.GET.get("kind", "")
    if kind not in {k for k, _label in kinds}:
        kind = ""
    within_raw = request.GET.get("within", "")
    within = int(within_raw) if within_raw.isdigit() else None
    if within not in sel.DISTANCE_CHOICES:
        within = None
    day = _parse_day(request.GET.get("date"), None)
    if day is not None and not (today <= day < today + timedelta(days=sel.FIND_DAYS)):
        day = None
    filters = sel.FindFilters(
        day=day, kind=kind, free_only=request.GET.get("free") == "1", within_m=within
    )
    result = sel.find_bookable(viewer=request.user, filters=filters, now=now)
    return render(
        request,
        "booking/find.html",
        {
            "nav": "booking",
            "tab": "find",
            "result": result,
            "filters": filters,
            "kinds": kinds,
            "days": _day_choices(today, 14),
            "distances": [(d, f"{d / 1000:g}") for d in sel.DISTANCE_CHOICES],
            "room_kind": sel.ROOM_KIND,
            "filtered": bool(day or kind or filters.free_only or within),
        },
    )


# ----- one activity ---------------------------------------------------------------------------
def _activity_state(seats: Any, mine: Booking | None, now: datetime) -> dict[str, Any]:
    """What the activity page offers: ``action`` "book" / "waitlist" / None, and why not."""
    activity = seats.activity
    if mine is not None:
        return {"action": None, "why_not": ""}
    if activity.cancelled:
        return {"action": None, "why_not": _("这项活动已取消")}
    closes = seats.closes_at or activity.start_at
    if now >= closes:
        return {"action": None, "why_not": _("预约已截止")}
    if seats.opens_at and now < seats.opens_at:
        when = timezone.localtime(seats.opens_at).strftime("%m-%d %H:%M")
        return {"action": None, "why_not": _("%(t)s 开始预约，请到时再来") % {"t": when}}
    if seats.free > 0:
        return {"action": "book", "why_not": ""}
    if seats.waitlist_enabled:
        return {"action": "waitlist", "why_not": ""}
    return {"action": None, "why_not": _("名额已满")}


@require_GET
def activity_page(request: HttpRequest, activity_id: int) -> HttpResponse:
    now = timezone.now()
    seats = sel.activity_seats(activity_id=activity_id)
    mine = sel.active_booking(user=request.user, activity=seats.activity)
    venue = seats.activity.venue
    context = {
        "nav": "booking",
        "seats": seats,
        "activity": seats.activity,
        "venue": venue,
        "venue_hours": hours.readable(venue.opening_hours) if venue else "",
        "mine": mine,
        "waiting": sel.waitlist_length(activity=seats.activity) if seats.free == 0 else 0,
        "idempotency_key": _new_key(),
        "is_resident": _is_resident(request.user),
        "login_url": _login_url(request),
        **_activity_state(seats, mine, now),
    }
    return render(request, "booking/activity.html", context)


def _login_url(request: HttpRequest) -> str:
    return reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()})


@require_POST
def activity_book_view(request: HttpRequest, activity_id: int) -> HttpResponse:
    page = reverse("booking:activity", args=[activity_id])
    if not request.user.is_authenticated:  # sign in, then back to the page (not the POST URL)
        return redirect_to_login(page)
    seats = sel.activity_seats(activity_id=activity_id)
    try:
        booking = activity_book(
            user=request.user,
            activity=seats.activity,
            idempotency_key=request.POST.get("idempotency_key", "")[:64],
        )
    except ServiceError as exc:
        _refused(request, exc)
        return redirect(page)
    messages.success(request, _booked_message(booking))
    return redirect("booking:booking", code=booking.code)


def _booked_message(booking: Booking) -> str:
    if booking.status == BookingStatus.WAITLISTED:
        rank = sel.waitlist_rank(booking)
        return _("名额已满，您已加入候补，排在第 %(n)d 位。有人取消时会按顺序递补并通知您。") % {
            "n": rank
        }
    if booking.status == BookingStatus.PENDING:
        return _("预约申请已提交，等待场馆审核，结果会通过消息通知您。")
    return _("预约成功！到场时出示下面的二维码或预约码。")


# ----- one room -------------------------------------------------------------------------------
@require_GET
def room_page(request: HttpRequest, room_id: int) -> HttpResponse:
    now = timezone.now()
    today = timezone.localdate(now)
    rule = sel.room_rule(room_id=room_id)
    room = rule.room
    days = _day_choices(today, rule.advance_days + 1)
    day = _parse_day(request.GET.get("date"), today)
    if day is None or not (today <= day <= today + timedelta(days=rule.advance_days)):
        day = today
    slots = room_day_slots(room=room, day=day, now=now)
    return render(
        request,
        "booking/room.html",
        {
            "nav": "booking",
            "rule": rule,
            "room": room,
            "venue": room.venue,
            "venue_hours": hours.readable(room.venue.opening_hours),
            "day": day,
            "days": days,
            "slots": slots,
            "any_free": any(s.state == "free" for s in slots),
            "idempotency_key": _new_key(),
            "is_resident": _is_resident(request.user),
            "login_url": _login_url(request),
        },
    )


def _chosen_span(request: HttpRequest, rule: Any) -> tuple[datetime, datetime]:
    """The span of the ticked slots, which must follow one another without a gap."""
    starts = []
    for raw in request.POST.getlist("slot"):
        try:
            value = parse_datetime(raw)
        except ValueError:
            value = None
        if value is None:
            raise _BadChoice(_("所选时段无法识别，请重新选择"))
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        starts.append(value)
    if not starts:
        raise _BadChoice(_("请先选择要预约的时段"))
    starts = sorted(set(starts))
    step = timedelta(minutes=rule.slot_minutes)
    for a, b in zip(starts, starts[1:], strict=False):
        if b - a != step:
            raise _BadChoice(_("请选择相连的时段（中间不能空开）"))
    return starts[0], starts[-1] + step


class _BadChoice(Exception):
    pass


@require_POST
def room_book_view(request: HttpRequest, room_id: int) -> HttpResponse:
    day = _parse_day(request.POST.get("date"), None)
    page = reverse("booking:room", args=[room_id]) + (f"?date={day.isoformat()}" if day else "")
    if not request.user.is_authenticated:  # sign in, then back to the page (not the POST URL)
        return redirect_to_login(page)
    rule = sel.room_rule(room_id=room_id)
    try:
        start_at, end_at = _chosen_span(request, rule)
    except _BadChoice as exc:
        messages.error(request, str(exc))
        return redirect(page)
    people_raw = request.POST.get("people", "1").strip()
    people = int(people_raw) if people_raw.isdigit() else 0
    if not 1 <= people <= rule.room.capacity:
        messages.error(
            request,
            _("人数请填 1 到 %(n)d 之间的数字（这间活动室最多容纳 %(n)d 人）")
            % {"n": rule.room.capacity},
        )
        return redirect(page)
    try:
        booking = room_book(
            user=request.user,
            room=rule.room,
            start_at=start_at,
            end_at=end_at,
            purpose=request.POST.get("purpose", "").strip()[:200],
            people=people,
            idempotency_key=request.POST.get("idempotency_key", "")[:64],
        )
    except ServiceError as exc:
        _refused(request, exc)
        return redirect(page)
    messages.success(request, _booked_message(booking))
    return redirect("booking:booking", code=booking.code)


# ----- the resident's own bookings ------------------------------------------------------------
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
        _refused(request, exc)
        return redirect("booking:booking", code=booking.code)
    messages.success(request, _("已取消预约 %(code)s。") % {"code": booking.code})
    return redirect("booking:mine")


# ----- messages -------------------------------------------------------------------------------
@never_cache
@require_GET
def messages_page(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    items = sel.notifications(user=request.user)
    return render(
        request,
        "booking/messages.html",
        {
            "nav": "booking",
            "tab": "messages",
            "items": items,
            "unread": sum(1 for n in items if n.read_at is None),
        },
    )


@require_POST
def messages_read(request: HttpRequest) -> HttpResponse:
    """Mark one message (``id``) or all of them read; with ``open``, go on to its link."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("booking:messages"))
    raw = request.POST.get("id", "")
    one = int(raw) if raw.isdigit() else None
    target = notifications_mark_read(user=request.user, notification_id=one)
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("booking:messages")
