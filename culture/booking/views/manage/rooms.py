"""The rooms of a venue: their booking rules and maintenance blocks."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from culture.booking import selectors as sel
from culture.booking import services
from culture.booking.forms import RoomBlockForm, RoomRuleForm, put_error
from culture.booking.models import Booking, BookingStatus
from culture.booking.views.manage.common import saved
from culture.booking.views.refusals import is_refusal
from culture.core.errors import ServiceError
from culture.venues.access import can_write

# Bookings a maintenance block cannot override.
USED = (BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW)


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
    if saved(request, form, partial(services.room_rule_set, actor=request.user, room=room)):
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
                    if not is_refusal(exc):
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
        if not is_refusal(exc):
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已解除活动室 %(name)s 的停用") % {"name": block.room.name})
    return redirect("booking:manage_rooms", venue_code=venue.code)
