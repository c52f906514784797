"""Reads for the venue manager's booking pages and the API's check-in desk, always through the
viewer's reach: a venue manager sees the venues bound to them, staff the venues their scope
covers (``culture.venues.access``). Residents appear by masked name and masked phone only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.accounts.masking import mask_name
from culture.activities.models import Activity
from culture.booking.models import (
    HOLDING_STATUSES,
    Booking,
    BookingStatus,
    RoomBlock,
)
from culture.booking.selectors.days import day_bounds
from culture.booking.services.common import normalise_code
from culture.core.errors import NotFound, OutOfScope
from culture.core.scope import viewer_scope
from culture.venues.access import can_see, venue_q
from culture.venues.models import Room, Venue
from culture.venues.selectors import venue_get, venue_get_for_edit

# How far ahead the manager's list of activities looks, and how far back.
ACTIVITY_DAYS_AHEAD = 60
ACTIVITY_DAYS_BACK = 7


def who(booking: Booking) -> str:
    """The person of a booking as the desk may see them: 王*国 (138****5678)."""
    user = booking.user
    resident = getattr(user, "resident", None)
    name = mask_name(resident.name if resident is not None else str(user))
    return f"{name}（{user.phone_masked}）" if user.phone_masked else name


def what(booking: Booking) -> str:
    """What was booked: the activity's title, or the room's name."""
    if booking.activity is not None:
        return booking.activity.title
    return booking.room.name if booking.room is not None else ""


def _described(rows: list[Booking]) -> list[Booking]:
    """Each booking with ``who`` and ``what`` for the desk's lists."""
    for b in rows:
        b.who = who(b)  # type: ignore[attr-defined]
        b.what = what(b)  # type: ignore[attr-defined]
    return rows


# ----- venues --------------------------------------------------------------------------------


def manage_venue_list(*, viewer: Any, q: str = "") -> QuerySet[Venue]:
    """The venues the viewer may see, with what booking needs from them today: rooms that take
    bookings, pending approvals, the day's bookings. A venue manager's venues only."""
    viewer_scope(viewer).require_staff()
    start, end = day_bounds(timezone.localdate())
    qs = Venue.objects.filter(venue_q(viewer))
    q = (q or "").strip()[:100]
    if q:
        qs = qs.filter(Q(name_zh__icontains=q) | Q(code__icontains=q))
    # One counting subquery each (joining rooms and bookings at once would multiply the rows).
    rooms = Room.objects.filter(
        venue=OuterRef("pk"), is_active=True, booking_rule__enabled=True
    ).values("venue")
    bookings = Booking.objects.filter(venue=OuterRef("pk")).values("venue")
    pending = bookings.filter(status=BookingStatus.PENDING, end_at__gt=timezone.now())
    today = bookings.filter(
        start_at__gte=start,
        start_at__lt=end,
        status__in=[*HOLDING_STATUSES, BookingStatus.WAITLISTED],
    )
    return qs.annotate(
        n_rooms=_count(rooms), n_pending=_count(pending), n_today=_count(today)
    ).order_by("-n_today", "-n_rooms", "code")


def _count(qs: QuerySet[Any]) -> Any:
    return Coalesce(Subquery(qs.annotate(n=Count("pk")).values("n")[:1]), 0)


def manage_venue_get(*, viewer: Any, code: str, write: bool = False) -> Venue:
    """One venue the viewer may see (``write``: may change its bookings and check people in at
    its desk: its operator's officers and its bound venue managers), else 403/404."""
    if write:
        return venue_get_for_edit(viewer=viewer, code=code)
    return venue_get(viewer=viewer, code=code)


def _require_see(viewer: Any, venue: Venue) -> None:
    if not can_see(viewer, venue):
        raise OutOfScope(_("该场馆不在您的管辖范围内"))


# ----- bookings --------------------------------------------------------------------------------


def _bookings(venue: Venue) -> QuerySet[Booking]:
    return Booking.objects.filter(venue=venue).select_related("user__resident", "room", "activity")


@dataclass(frozen=True)
class DayCounts:
    holding: int
    checked_in: int
    no_show: int
    pending: int
    waitlisted: int
    cancelled: int


def venue_day_bookings(*, viewer: Any, venue: Venue, day: date) -> list[Booking]:
    """Every booking of the venue starting on ``day`` (room bookings and activity seats), by
    time; cancelled and rejected ones included (the page greys them)."""
    _require_see(viewer, venue)
    start, end = day_bounds(day)
    rows = (
        _bookings(venue)
        .filter(start_at__gte=start, start_at__lt=end)
        .order_by("start_at", "room_id", "activity_id", "status", "pk")
    )
    return _described(list(rows))


def day_counts(rows: list[Booking]) -> DayCounts:
    by: dict[str, int] = {}
    for b in rows:
        by[b.status] = by.get(b.status, 0) + 1
    return DayCounts(
        holding=sum(by.get(s, 0) for s in HOLDING_STATUSES),
        checked_in=by.get(BookingStatus.CHECKED_IN, 0),
        no_show=by.get(BookingStatus.NO_SHOW, 0),
        pending=by.get(BookingStatus.PENDING, 0),
        waitlisted=by.get(BookingStatus.WAITLISTED, 0),
        cancelled=by.get(BookingStatus.CANCELLED, 0) + by.get(BookingStatus.REJECTED, 0),
    )


def venue_pending(*, viewer: Any, venue: Venue) -> list[Booking]:
    """Bookings of the venue waiting for approval that have not ended, soonest first."""
    _require_see(viewer, venue)
    rows = (
        _bookings(venue)
        .filter(status=BookingStatus.PENDING, end_at__gt=timezone.now())
        .order_by("start_at", "pk")
    )
    return _described(list(rows))


def manage_booking_get(*, viewer: Any, venue: Venue, code: str) -> Booking:
    """A booking of this venue by its code (404 when the code is not of this venue)."""
    _require_see(viewer, venue)
    booking = _bookings(venue).filter(code=normalise_code(code)).first()
    if booking is None:
        raise NotFound(_("本场馆没有预约码为 %(code)s 的预约") % {"code": code})
    return booking


# ----- rooms -----------------------------------------------------------------------------------


def venue_rooms_with_rules(*, viewer: Any, venue: Venue) -> list[Room]:
    """The venue's rooms with their booking rule (None: not bookable) and their blocks that
    have not ended."""
    _require_see(viewer, venue)
    blocks = RoomBlock.objects.filter(end_at__gt=timezone.now()).order_by("start_at")
    rooms = (
        Room.objects.filter(venue=venue)
        .select_related("booking_rule")
        .prefetch_related(Prefetch("blocks", queryset=blocks, to_attr="open_blocks"))
        .order_by("name")
    )
    out: list[Room] = list(rooms)
    for room in out:
        room.rule = getattr(room, "booking_rule", None)  # type: ignore[attr-defined]
    return out


def manage_room_get(*, viewer: Any, venue: Venue, room_id: int) -> Room:
    _require_see(viewer, venue)
    room = Room.objects.filter(venue=venue, pk=room_id).select_related("venue").first()
    if room is None:
        raise NotFound(_("本场馆没有这个活动室"))
    return room


def manage_block_get(*, viewer: Any, venue: Venue, block_id: int) -> RoomBlock:
    _require_see(viewer, venue)
    block = RoomBlock.objects.filter(room__venue=venue, pk=block_id).select_related("room").first()
    if block is None:
        raise NotFound(_("本场馆没有这条停用记录"))
    return block


def block_collisions(*, room: Room, start_at: datetime, end_at: datetime) -> list[Booking]:
    """The bookings a block of ``room`` over [start_at, end_at) would cancel: those holding
    the room for a time that overlaps it (touching ones do not)."""
    rows = (
        Booking.objects.filter(
            room=room,
            status__in=HOLDING_STATUSES,
            start_at__lt=end_at,
            end_at__gt=start_at,
        )
        .select_related("user__resident", "room")
        .order_by("start_at", "pk")
    )
    return _described(list(rows))


# ----- activities ------------------------------------------------------------------------------


def venue_bookable_activities(*, viewer: Any, venue: Venue) -> list[Activity]:
    """The venue's activities from a week ago to two months ahead (not online, not
    cancelled), each with its booking settings (``seats``: None when it takes no bookings) and
    its waiting-list length."""
    _require_see(viewer, venue)
    now = timezone.now()
    qs = (
        Activity.objects.filter(
            venue=venue,
            cancelled=False,
            online=False,
            start_at__gte=now - timedelta(days=ACTIVITY_DAYS_BACK),
            start_at__lt=now + timedelta(days=ACTIVITY_DAYS_AHEAD),
        )
        .select_related("seats")
        .annotate(
            n_waitlisted=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED))
        )
        .order_by("start_at", "pk")
    )
    out: list[Activity] = list(qs[:200])
    for a in out:
        a.booking_seats = getattr(a, "seats", None)  # type: ignore[attr-defined]
    return out


def manage_activity_get(*, viewer: Any, venue: Venue, activity_id: int) -> Activity:
    _require_see(viewer, venue)
    activity = Activity.objects.filter(venue=venue, pk=activity_id).select_related("seats").first()
    if activity is None:
        raise NotFound(_("本场馆没有这个活动"))
    return activity
