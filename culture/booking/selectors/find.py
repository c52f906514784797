"""What there is to book: activities with seats and rooms, for the residents' find page (nearest
to home first) and for the API's list (soonest first), and one activity or room by its id.

The find page costs a fixed number of queries whatever the number of activities: one for the
seats with their activities and venues, one for the rooms, one for the viewer's own bookings
among those listed, and the viewer's home.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.activities.kinds import KINDS
from culture.activities.models import Activity
from culture.booking import slots
from culture.booking.models import (
    ACTIVE_STATUSES,
    ActivitySeats,
    Booking,
    BookingStatus,
    RoomBookingRule,
    RoomSlotClaim,
)
from culture.booking.selectors.days import day_bounds
from culture.booking.selectors.home import Home, distances, home_of
from culture.core.errors import NotFound
from culture.venues.models import Room, VenueStatus

# Without a day chosen, the find page looks this far ahead.
FIND_DAYS = 30
# The most activities and rooms the find page lists (nearest first, or soonest).
MAX_ACTIVITIES = 60
MAX_ROOMS = 20
# Distance choices on the find page (metres); 1,500 m is the 15-minute circle's radius.
DISTANCE_CHOICES = (1500, 3000, 5000)
ROOM_KIND = "room"  # the "kind" filter value that lists rooms instead of activities
# Kinds a resident books a seat for on site (the online-only ones have no place to go).
BOOKABLE_KINDS = tuple(k for k in KINDS if not k.always_online)
FAR = 10**9  # the sort key of "no distance known": after every measured one


# ----- the querysets both lists start from ----------------------------------------------------
def _seats() -> QuerySet[ActivitySeats]:
    return ActivitySeats.objects.select_related("activity", "activity__venue")


def upcoming_seats(*, now: datetime | None = None) -> QuerySet[ActivitySeats]:
    """Seats of activities not cancelled and not started (their booking may have closed)."""
    return _seats().filter(activity__cancelled=False, activity__start_at__gt=now or timezone.now())


def bookable_seats(*, now: datetime | None = None) -> QuerySet[ActivitySeats]:
    """Seats of activities still ahead that take bookings (not cancelled, not closed)."""
    now = now or timezone.now()
    return upcoming_seats(now=now).filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))


def _narrowed(
    qs: QuerySet[ActivitySeats],
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    kind: str = "",
    venue_code: str = "",
    free_only: bool = False,
) -> QuerySet[ActivitySeats]:
    """Activities starting in [start, end), of a kind, at a venue, with a free seat now."""
    if start is not None:
        qs = qs.filter(activity__start_at__gte=start)
    if end is not None:
        qs = qs.filter(activity__start_at__lt=end)
    if kind:
        qs = qs.filter(activity__kind=kind)
    if venue_code:
        qs = qs.filter(activity__venue__code=venue_code)
    if free_only:
        qs = qs.filter(taken__lt=F("capacity"))
    return qs


def _enabled_rules() -> QuerySet[RoomBookingRule]:
    return RoomBookingRule.objects.filter(enabled=True, room__is_active=True).select_related(
        "room", "room__venue"
    )


def bookable_rules() -> QuerySet[RoomBookingRule]:
    """Rules of rooms open for booking: the rule enabled, the room usable, its venue open."""
    return _enabled_rules().filter(room__venue__status=VenueStatus.OPEN)


# ----- the API's list -------------------------------------------------------------------------
def upcoming_activities(
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
    """Activities taking bookings that have not started, soonest first (dates are local days,
    both included; ``venue`` is a venue code)."""
    qs = _narrowed(
        bookable_seats(now=now),
        start=day_bounds(date_from)[0] if date_from else None,
        end=day_bounds(date_to)[1] if date_to else None,
        kind=kind or "",
        venue_code=venue or "",
        free_only=free_only,
    )
    return list(qs.order_by("activity__start_at", "activity_id")[offset : offset + limit])


# ----- the find page --------------------------------------------------------------------------
@dataclass(frozen=True)
class FindFilters:
    day: date | None = None  # one local day; None: from now on (FIND_DAYS)
    kind: str = ""  # "" everything, ROOM_KIND rooms only, else an activity kind code
    free_only: bool = False  # activities with a free seat now; rooms with a free slot that day
    within_m: int | None = None  # at most this far from home (ignored without a home)


@dataclass
class ActivityCard:
    seats: ActivitySeats
    distance_m: int | None
    mine: Booking | None = None  # the viewer's active booking of it

    @property
    def activity(self) -> Any:
        return self.seats.activity


@dataclass
class RoomCard:
    rule: RoomBookingRule
    distance_m: int | None

    @property
    def room(self) -> Any:
        return self.rule.room


@dataclass
class FindResult:
    home: Home | None
    activities: list[ActivityCard] = field(default_factory=list)
    rooms: list[RoomCard] = field(default_factory=list)
    more_activities: int = 0  # matching but not listed (beyond MAX_ACTIVITIES)
    more_rooms: int = 0


def kind_choices() -> list[tuple[str, str]]:
    """The "kind" filter: everything, rooms, then the activity kinds booked on site."""
    return [
        ("", str(_("全部"))),
        (ROOM_KIND, str(_("活动室"))),
        *((k.code, str(_(k.label_zh))) for k in BOOKABLE_KINDS),
    ]


def _window(filters: FindFilters, now: datetime) -> tuple[datetime, datetime]:
    if filters.day is None:
        return now, now + timedelta(days=FIND_DAYS)
    start, end = day_bounds(filters.day)
    return max(start, now), end


def find_bookable(*, viewer: Any, filters: FindFilters, now: datetime | None = None) -> FindResult:
    """Activities with seats and rooms to book, nearest to the viewer's home first (soonest
    first without a home), filtered by day, kind, free places and distance."""
    now = now or timezone.now()
    home = home_of(viewer)
    result = FindResult(home=home)
    within = filters.within_m if home is not None else None
    if filters.kind != ROOM_KIND:
        start, end = _window(filters, now)
        qs = _narrowed(
            bookable_seats(now=now),
            start=start,
            end=end,
            kind=filters.kind,
            free_only=filters.free_only,
        )
        rows = list(qs.order_by("activity__start_at", "pk"))
        points = [_point(s.activity.venue) for s in rows]
        cards = [
            ActivityCard(seats=s, distance_m=d)
            for s, d in zip(rows, distances(home, points), strict=True)
        ]
        if within is not None:
            cards = [c for c in cards if c.distance_m is not None and c.distance_m <= within]
        if home is not None:
            cards.sort(key=_nearest_then_soonest)
        result.more_activities = max(len(cards) - MAX_ACTIVITIES, 0)
        result.activities = cards[:MAX_ACTIVITIES]
        _mark_mine(viewer, result.activities)
    if filters.kind in ("", ROOM_KIND):
        rules = list(bookable_rules().order_by("room__venue__code", "room__name"))
        points = [(r.room.venue.lon, r.room.venue.lat) for r in rules]
        rooms = [
            RoomCard(rule=r, distance_m=d)
            for r, d in zip(rules, distances(home, points), strict=True)
        ]
        if within is not None:
            rooms = [c for c in rooms if c.distance_m is not None and c.distance_m <= within]
        if filters.free_only and filters.day is not None:
            free = rooms_free_on([c.rule for c in rooms], day=filters.day, now=now)
            rooms = [c for c in rooms if c.rule.room_id in free]
        if home is not None:
            rooms.sort(key=lambda c: c.distance_m if c.distance_m is not None else FAR)
        result.more_rooms = max(len(rooms) - MAX_ROOMS, 0)
        result.rooms = rooms[:MAX_ROOMS]
    return result


def rooms_free_on(rules: list[RoomBookingRule], *, day: date, now: datetime) -> set[int]:
    """Ids of the rooms with at least one free slot on ``day`` (the states of
    ``slots.room_day_slots``: not started, within the rule's advance days, no cell claimed by a
    booking or a block), with one query for the claims of every room."""
    start, end = day_bounds(day)
    claimed: dict[int, set[datetime]] = {}
    rows = RoomSlotClaim.objects.filter(
        room_id__in=[r.room_id for r in rules], cell_start__gte=start, cell_start__lt=end
    ).values_list("room_id", "cell_start")
    for room_id, cell in rows:
        claimed.setdefault(room_id, set()).add(cell)
    free = set()
    for rule in rules:
        taken = claimed.get(rule.room_id, set())
        horizon = now + timedelta(days=rule.advance_days)
        spans = slots.bookable_spans(room=rule.room, rule=rule, day=day)
        for a, b in slots.slot_grid(spans, rule.slot_minutes):
            if now <= a <= horizon and not taken.intersection(slots.cells(a, b)):
                free.add(rule.room_id)
                break
    return free


def _point(venue: Any) -> tuple[float, float] | None:
    return (venue.lon, venue.lat) if venue is not None else None


def _nearest_then_soonest(card: ActivityCard) -> tuple[int, datetime, int]:
    d = card.distance_m if card.distance_m is not None else FAR
    return (d, card.activity.start_at, card.seats.pk)


def _mark_mine(viewer: Any, cards: list[ActivityCard]) -> None:
    if not cards or viewer is None or not getattr(viewer, "is_authenticated", False):
        return
    by_activity = {
        b.activity_id: b
        for b in Booking.objects.filter(
            user=viewer,
            activity_id__in=[c.seats.activity_id for c in cards],
            status__in=ACTIVE_STATUSES,
        )
    }
    for card in cards:
        card.mine = by_activity.get(card.seats.activity_id)


# ----- one activity or room -------------------------------------------------------------------
def activity_seats(*, activity_id: int) -> ActivitySeats:
    """The seats of an activity that takes bookings (shown even when cancelled, closed or past,
    so a link in a message still opens; booking it is refused by the service), or NotFound."""
    seats = _seats().filter(activity_id=activity_id).first()
    if seats is None:
        raise NotFound(_("这项活动不接受预约"))
    return seats


def bookable_activity(*, activity_id: int) -> Activity:
    """An activity that takes bookings and is not cancelled, for the API (NotFound otherwise);
    the service checks the dates."""
    seats = _seats().filter(activity_id=activity_id, activity__cancelled=False).first()
    if seats is None:
        raise NotFound(_("没有这个可预约的活动"))
    return seats.activity


def room_rule(*, room_id: int) -> RoomBookingRule:
    """The booking rule of a room open for booking (its venue open too), or NotFound."""
    rule = bookable_rules().filter(room_id=room_id).first()
    if rule is None:
        raise NotFound(_("这间活动室不接受预约"))
    return rule


def bookable_room(*, room_id: int) -> Room:
    """A room in use whose booking is switched on, for the API (NotFound otherwise; a closed
    venue is the service's refusal, not_open)."""
    rule = _enabled_rules().filter(room_id=room_id).first()
    if rule is None:
        raise NotFound(_("没有这个可预约的活动室"))
    return rule.room


def waitlist_length(*, activity: Any) -> int:
    return Booking.objects.filter(activity=activity, status=BookingStatus.WAITLISTED).count()
