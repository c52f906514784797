"""Reads behind /api/booking/ (culture/booking/api.py): what a caller may book, their own
bookings, and the fetches that check who may act on a booking or at a venue's desk.

Bookable things are public to every signed-in user (activities that take bookings and have not
started; rooms whose booking is switched on); a booking is found by its code only by its holder
or by staff who may write its venue, and anyone else is told it does not exist.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.activities.models import Activity
from culture.booking.models import ACTIVE_STATUSES, ActivitySeats, Booking
from culture.core.errors import NotFound
from culture.venues.access import can_write
from culture.venues.models import Room, Venue
from culture.venues.selectors import venue_get_for_edit


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def bookable_activities(
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    kind: str | None = None,
    venue: str | None = None,
    free_only: bool = False,
    limit: int = 50,
    offset: int = 0,
    now: datetime | None = None,
) -> list[ActivitySeats]:
    """Activities taking bookings that have not started, soonest first (dates are local)."""
    now = now or timezone.now()
    qs: QuerySet[ActivitySeats] = ActivitySeats.objects.select_related("activity__venue").filter(
        activity__cancelled=False, activity__start_at__gt=now
    )
    if date_from:
        qs = qs.filter(activity__start_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(activity__start_at__lt=_day_start(date_to + timedelta(days=1)))
    if kind:
        qs = qs.filter(activity__kind=kind)
    if venue:
        qs = qs.filter(activity__venue__code=venue)
    if free_only:
        qs = qs.filter(taken__lt=F("capacity"))
    return list(qs.order_by("activity__start_at", "activity_id")[offset : offset + limit])


def activity_row(seats: ActivitySeats) -> dict[str, Any]:
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


def bookable_activity(*, pk: int) -> Activity:
    """An activity that takes bookings (NotFound otherwise); the service checks the dates."""
    activity = (
        Activity.objects.select_related("venue", "seats")
        .filter(pk=pk, cancelled=False, seats__isnull=False)
        .first()
    )
    if activity is None:
        raise NotFound(_("没有这个可预约的活动"))
    return activity


def bookable_room(*, pk: int) -> Room:
    """A room in use whose booking is switched on (NotFound otherwise)."""
    room = (
        Room.objects.select_related("venue", "booking_rule")
        .filter(pk=pk, is_active=True, booking_rule__enabled=True)
        .first()
    )
    if room is None:
        raise NotFound(_("没有这个可预约的活动室"))
    return room


def bookings_of(*, user: Any, upcoming: bool = False, now: datetime | None = None) -> list[Booking]:
    """The caller's own bookings, newest start first (``upcoming``: active and not over)."""
    qs = Booking.objects.select_related("activity", "room", "venue").filter(user=user)
    if upcoming:
        qs = qs.filter(status__in=ACTIVE_STATUSES, end_at__gte=now or timezone.now())
    return list(qs.order_by("-start_at", "-pk")[:500])


def booking_for_cancel(*, viewer: Any, code: str) -> Booking:
    """The booking ``code`` for its holder, or for staff who may write its venue; anyone else
    is told there is no such booking (codes are not for guessing)."""
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    booking = (
        Booking.objects.select_related("activity", "room", "venue__operator_unit", "user")
        .filter(code=normalised)
        .first()
    )
    if booking is None or not (
        booking.user_id == getattr(viewer, "pk", None)
        or (booking.venue is not None and can_write(viewer, booking.venue))
    ):
        raise NotFound(_("没有找到该预约"))
    return booking


def venue_for_desk(*, viewer: Any, code: str) -> Venue:
    """The venue whose desk checks people in: staff who may write it (its operator's officers
    and its bound venue managers)."""
    return venue_get_for_edit(viewer=viewer, code=code)
