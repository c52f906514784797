"""/api/booking/: one-click booking as JSON (residents book, cancel and list their own; venue
staff check people in). Every write goes through ``culture.booking.services``.

Create operations take an ``Idempotency-Key`` header (up to 64 characters, unique per caller):
a retried request with the same key gets the first answer back (the same booking, or the same
refusal) and books nothing new. Refusals are JSON with a ``code``: 409 "full" / "duplicate" /
"slot_taken", 422 "not_open" / "too_far_ahead" / "outside_hours" / "bad_slot" /
"limit_reached" / "too_late", 403 "suspended".
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from ninja import Field, Header, Query, Router, Schema, Status

from culture.booking import selectors
from culture.booking.models import ActivitySeats, Booking
from culture.booking.services import (
    activity_book,
    booking_cancel,
    booking_check_in,
    booking_qr_payload,
    room_book,
)
from culture.booking.slots import room_day_slots
from culture.core.api_params import row_id

router = Router(tags=["booking"])

IDEMPOTENCY_KEY = Header(
    "",
    alias="Idempotency-Key",
    max_length=64,
    description="a fresh random key per booking attempt (e.g. a UUID); a retry reuses it",
)


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class BookableActivityOut(Schema):
    id: int
    title: str
    kind: str
    venue: str | None = Field(None, description="venue code")
    venue_name: str | None = None
    start_at: datetime
    end_at: datetime
    capacity: int
    free: int
    waitlist_enabled: bool
    needs_approval: bool
    opens_at: datetime | None
    closes_at: datetime | None


class ActivityFilters(Schema):
    date_from: date | None = None
    date_to: date | None = None
    kind: str | None = Field(None, max_length=32)
    venue: str | None = Field(None, max_length=32, description="venue code")
    free_only: bool = False
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class SlotOut(Schema):
    start: datetime
    end: datetime
    state: str = Field(description="free, taken, blocked, closed or past")


class BookingOut(Schema):
    code: str
    status: str
    status_label: str
    activity: int | None = Field(None, description="activity id (a seat booking)")
    room: int | None = Field(None, description="room id (a room booking)")
    title: str
    venue: str | None = Field(None, description="venue code")
    venue_name: str | None = None
    start_at: datetime
    end_at: datetime
    waitlist_position: int | None
    purpose: str
    people: int
    qr: str = Field(description="the QR code's text: scanned at the desk to check in")
    created_at: datetime


class RoomBookingIn(Schema):
    start_at: datetime
    end_at: datetime
    purpose: str = Field("", max_length=200)
    people: int = Field(1, ge=1, le=1000)


class CancelIn(Schema):
    reason: str = Field("", max_length=200)


class CheckInIn(Schema):
    token: str = Field(
        ...,
        min_length=1,
        max_length=300,
        description="the QR code's text, the 8-character booking code, or an ID / "
        "social-security card number",
    )


class CheckInOut(Schema):
    booking: BookingOut
    method: str
    already: bool = Field(description="true: checked in before; nothing changed")


def _activity_out(seats: ActivitySeats) -> dict[str, Any]:
    a = seats.activity
    return {
        "id": a.pk,
        "title": a.title,
        "kind": a.kind,
        "venue": a.venue.code if a.venue else None,
        "venue_name": a.venue.name_zh if a.venue else None,
        "start_at": a.start_at,
        "end_at": a.end_at,
        "capacity": seats.capacity,
        "free": seats.free,
        "waitlist_enabled": seats.waitlist_enabled,
        "needs_approval": seats.needs_approval,
        "opens_at": seats.opens_at,
        "closes_at": seats.closes_at,
    }


def _booking_out(b: Booking) -> dict[str, Any]:
    thing = b.activity if b.activity_id else b.room
    return {
        "code": b.code,
        "status": b.status,
        "status_label": str(b.get_status_display()),
        "activity": b.activity_id,
        "room": b.room_id,
        "title": getattr(thing, "title", None) or getattr(thing, "name", ""),
        "venue": b.venue.code if b.venue else None,
        "venue_name": b.venue.name_zh if b.venue else None,
        "start_at": b.start_at,
        "end_at": b.end_at,
        "waitlist_position": b.waitlist_position,
        "purpose": b.purpose,
        "people": b.people,
        "qr": booking_qr_payload(b),
        "created_at": b.created_at,
    }


@router.get(
    "/activities",
    response=list[BookableActivityOut],
    summary="可预约活动 / bookable activities",
    description="Activities that take bookings and have not started, soonest first.",
)
def list_activities(request, filters: Query[ActivityFilters]):
    return [_activity_out(s) for s in selectors.upcoming_activities(**filters.dict())]


@router.get(
    "/rooms/{room_id}/slots",
    response={200: list[SlotOut], 404: ErrorOut},
    summary="活动室某日时段 / a room's slots on a day",
)
def room_slots(request, room_id: int = row_id(), day: date | None = None):
    room = selectors.bookable_room(room_id=room_id)
    slots = room_day_slots(room=room, day=day or timezone.localdate())
    return [{"start": s.start, "end": s.end, "state": s.state} for s in slots]


@router.post(
    "/activities/{activity_id}/bookings",
    response={201: BookingOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="预约活动名额 / book a seat",
    description="201 with status confirmed, pending (needs approval) or waitlisted (with its "
    "position). 409 full / duplicate; 422 not_open / too_late / limit_reached; 403 suspended.",
)
def book_activity(request, activity_id: int = row_id(), idempotency_key: str = IDEMPOTENCY_KEY):
    activity = selectors.bookable_activity(activity_id=activity_id)
    b = activity_book(user=request.user, activity=activity, idempotency_key=idempotency_key)
    return Status(201, _booking_out(b))


@router.post(
    "/rooms/{room_id}/bookings",
    response={201: BookingOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="预约活动室 / book a room",
    description="One or more consecutive slots of the room's grid. 409 slot_taken; 422 "
    "bad_slot / outside_hours / too_far_ahead / limit_reached; 403 suspended.",
)
def book_room(
    request, payload: RoomBookingIn, room_id: int = row_id(), idempotency_key: str = IDEMPOTENCY_KEY
):
    room = selectors.bookable_room(room_id=room_id)
    b = room_book(
        user=request.user, room=room, idempotency_key=idempotency_key, **payload.model_dump()
    )
    return Status(201, _booking_out(b))


@router.get("/mine", response=list[BookingOut], summary="我的预约 / my bookings")
def my_bookings(request, upcoming: bool = False):
    return [_booking_out(b) for b in selectors.own_bookings(user=request.user, upcoming=upcoming)]


@router.post(
    "/bookings/{code}/cancel",
    response={200: BookingOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="取消预约 / cancel a booking",
    description="The holder before the cancellation deadline (422 too_late after it); staff of "
    "the venue at any time, with a reason.",
)
def cancel_booking(request, code: str, payload: CancelIn):
    b = selectors.booking_for_cancel(viewer=request.user, code=code)
    b = booking_cancel(actor=request.user, booking=b, reason=payload.reason)
    return _booking_out(b)


@router.post(
    "/venues/{venue_code}/check-in",
    response={200: CheckInOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="签到核验 / check a person in",
    description="Staff of the venue: the QR code's text, the booking code, or an ID / "
    "social-security card number (that person's booking here nearest to now, today). A second "
    "scan answers already=true and changes nothing. 422 wrong_venue / wrong_day / "
    "not_approved / waitlisted / not_checkable.",
)
def check_in(request, venue_code: str, payload: CheckInIn):
    venue = selectors.manage_venue_get(viewer=request.user, code=venue_code, write=True)
    result = booking_check_in(actor=request.user, venue=venue, token=payload.token)
    return {"booking": _booking_out(result.booking), "method": result.method,
            "already": result.already}  # fmt: skip
