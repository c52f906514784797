"""One activity or one room: its page, and booking it in one tap (a seat, or consecutive slots
of the room's grid)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from culture.booking import selectors as sel
from culture.booking.models import Booking, BookingStatus
from culture.booking.services import activity_book, room_book
from culture.booking.slots import room_day_slots
from culture.booking.views.resident.common import (
    day_choices,
    is_resident,
    login_url,
    new_key,
    parse_day,
    show_refusal,
)
from culture.core.errors import ServiceError
from culture.venues import hours


def _booked(request: HttpRequest, page: str, book: Callable[[], Booking]) -> HttpResponse:
    """Book through the service: on to the booking's page with what happened, or back to
    ``page`` with the refusal."""
    try:
        booking = book()
    except ServiceError as exc:
        show_refusal(request, exc)
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
        "idempotency_key": new_key(),
        "is_resident": is_resident(request.user),
        "login_url": login_url(request),
        **_activity_state(seats, mine, now),
    }
    return render(request, "booking/activity.html", context)


@require_POST
def activity_book_view(request: HttpRequest, activity_id: int) -> HttpResponse:
    page = reverse("booking:activity", args=[activity_id])
    if not request.user.is_authenticated:  # sign in, then back to the page (not the POST URL)
        return redirect_to_login(page)
    seats = sel.activity_seats(activity_id=activity_id)
    return _booked(
        request,
        page,
        lambda: activity_book(
            user=request.user,
            activity=seats.activity,
            idempotency_key=request.POST.get("idempotency_key", "")[:64],
        ),
    )


# ----- one room -------------------------------------------------------------------------------
@require_GET
def room_page(request: HttpRequest, room_id: int) -> HttpResponse:
    now = timezone.now()
    today = timezone.localdate(now)
    rule = sel.room_rule(room_id=room_id)
    room = rule.room
    days = day_choices(today, rule.advance_days + 1)
    day = parse_day(request.GET.get("date"), today)
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
            "idempotency_key": new_key(),
            "is_resident": is_resident(request.user),
            "login_url": login_url(request),
        },
    )


class _BadChoice(Exception):
    pass


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


@require_POST
def room_book_view(request: HttpRequest, room_id: int) -> HttpResponse:
    day = parse_day(request.POST.get("date"), None)
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
    return _booked(
        request,
        page,
        lambda: room_book(
            user=request.user,
            room=rule.room,
            start_at=start_at,
            end_at=end_at,
            purpose=request.POST.get("purpose", "").strip()[:200],
            people=people,
            idempotency_key=request.POST.get("idempotency_key", "")[:64],
        ),
    )
