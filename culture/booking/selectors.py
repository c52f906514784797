"""What a resident reads on the booking pages: bookable activities and rooms near home, their own
bookings, one booking by its code (for its owner only), and their messages.

Distances are straight lines in metres in the district's metric projection (EPSG:4549, see
``culture.core.geo``) from the resident's home: the centroid of their community
(``Resident.community``; its ``centroid_lon/lat``, else the centre of its boundary). Without a
home (anonymous, staff, a resident without a community) nothing is measured and the lists are in
time order.

The find page costs a fixed number of queries whatever the number of activities: one for the
seats with their activities and venues, one for the rooms, one for the viewer's own bookings
among those listed, and the viewer's home.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import shapely
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

from culture.accounts.models import Notification, Resident
from culture.activities.kinds import KINDS
from culture.booking import slots
from culture.booking.models import (
    ACTIVE_STATUSES,
    ActivitySeats,
    Booking,
    BookingStatus,
    RoomBookingRule,
    RoomSlotClaim,
)
from culture.booking.services.common import normalise_code
from culture.core import geo
from culture.core.errors import NotFound
from culture.venues.models import VenueStatus

# Without a day chosen, the find page looks this far ahead.
FIND_DAYS = 30
# The most activities and rooms the find page lists (nearest first, or soonest).
MAX_ACTIVITIES = 60
MAX_ROOMS = 20
# Distance choices on the find page (metres); 1,500 m is the 15-minute circle's radius.
DISTANCE_CHOICES = (1500, 3000, 5000)
MAX_MESSAGES = 50
MAX_PAST_BOOKINGS = 30
DEFAULT_DEADLINE_HOURS = 2  # the services' default without seats / rule
ROOM_KIND = "room"  # the "kind" filter value that lists rooms instead of activities
# Kinds a resident books a seat for on site (the online-only ones have no place to go).
BOOKABLE_KINDS = tuple(k for k in KINDS if not k.always_online)


# ----- home and distances ---------------------------------------------------------------------
@dataclass(frozen=True)
class Home:
    """Where distances are measured from: metres in EPSG:4549, and the community's name."""

    x: float
    y: float
    community_name: str


def home_of(user: Any) -> Home | None:
    """The viewer's home (their community's centroid), or None when unknown."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    resident = Resident.objects.select_related("community").filter(user=user).first()
    if resident is None or resident.community is None:
        return None
    c = resident.community
    t = geo.metric_transformer()
    if c.centroid_lon is not None and c.centroid_lat is not None:
        x, y = t.transform(c.centroid_lon, c.centroid_lat)
        return Home(float(x), float(y), c.display_name)
    if c.boundary:
        centre = shapely.transform(shape(c.boundary), t.transform, interleaved=False).centroid
        if not centre.is_empty:
            return Home(float(centre.x), float(centre.y), c.display_name)
    return None


def _distances(home: Home | None, points: list[tuple[float, float] | None]) -> list[int | None]:
    """Rounded metres from ``home`` to each WGS-84 (lon, lat) (None for no point or no home);
    every point projected in one call."""
    if home is None:
        return [None] * len(points)
    known = [p for p in points if p is not None]
    if not known:
        return [None] * len(points)
    xs, ys = geo.project([p[0] for p in known], [p[1] for p in known])
    metres = iter(
        round(((float(x) - home.x) ** 2 + (float(y) - home.y) ** 2) ** 0.5)
        for x, y in zip(xs, ys, strict=True)
    )
    return [next(metres) if p is not None else None for p in points]


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
    tz = timezone.get_current_timezone()
    start = datetime.combine(filters.day, time(), tzinfo=tz)
    return max(start, now), start + timedelta(days=1)


def bookable_seats(*, now: datetime | None = None) -> QuerySet[ActivitySeats]:
    """Seats of activities still ahead that take bookings (not cancelled, not closed)."""
    now = now or timezone.now()
    return (
        ActivitySeats.objects.filter(activity__cancelled=False, activity__start_at__gt=now)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .select_related("activity", "activity__venue")
    )


def bookable_rules() -> QuerySet[RoomBookingRule]:
    """Rules of rooms open for booking: the rule enabled, the room usable, its venue open."""
    return RoomBookingRule.objects.filter(
        enabled=True, room__is_active=True, room__venue__status=VenueStatus.OPEN
    ).select_related("room", "room__venue")


def find_bookable(*, viewer: Any, filters: FindFilters, now: datetime | None = None) -> FindResult:
    """Activities with seats and rooms to book, nearest to the viewer's home first (soonest
    first without a home), filtered by day, kind, free places and distance."""
    now = now or timezone.now()
    home = home_of(viewer)
    result = FindResult(home=home)
    within = filters.within_m if home is not None else None
    if filters.kind != ROOM_KIND:
        start, end = _window(filters, now)
        qs = bookable_seats(now=now).filter(
            activity__start_at__gte=start, activity__start_at__lt=end
        )
        if filters.kind:
            qs = qs.filter(activity__kind=filters.kind)
        if filters.free_only:
            qs = qs.filter(taken__lt=F("capacity"))
        rows = list(qs.order_by("activity__start_at", "pk"))
        points = [_point(s.activity.venue) for s in rows]
        cards = [
            ActivityCard(seats=s, distance_m=d)
            for s, d in zip(rows, _distances(home, points), strict=True)
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
            for r, d in zip(rules, _distances(home, points), strict=True)
        ]
        if within is not None:
            rooms = [c for c in rooms if c.distance_m is not None and c.distance_m <= within]
        if filters.free_only and filters.day is not None:
            free = rooms_free_on([c.rule for c in rooms], day=filters.day, now=now)
            rooms = [c for c in rooms if c.rule.room_id in free]
        if home is not None:
            rooms.sort(key=lambda c: c.distance_m if c.distance_m is not None else 10**9)
        result.more_rooms = max(len(rooms) - MAX_ROOMS, 0)
        result.rooms = rooms[:MAX_ROOMS]
    return result


def rooms_free_on(rules: list[RoomBookingRule], *, day: date, now: datetime) -> set[int]:
    """Ids of the rooms with at least one free slot on ``day`` (the states of
    ``slots.room_day_slots``: not started, within the rule's advance days, no cell claimed by a
    booking or a block), with one query for the claims of every room."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time(), tzinfo=tz)
    claimed: dict[int, set[datetime]] = {}
    rows = RoomSlotClaim.objects.filter(
        room_id__in=[r.room_id for r in rules],
        cell_start__gte=start,
        cell_start__lt=start + timedelta(days=1),
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
    d = card.distance_m if card.distance_m is not None else 10**9
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
    """The seats of an activity that takes bookings (shown even when closed or past, so a link
    in a message still opens), or NotFound."""
    seats = (
        ActivitySeats.objects.select_related("activity", "activity__venue")
        .filter(activity_id=activity_id)
        .first()
    )
    if seats is None:
        raise NotFound(_("这项活动不接受预约"))
    return seats


def room_rule(*, room_id: int) -> RoomBookingRule:
    """The booking rule of a room open for booking, or NotFound."""
    rule = bookable_rules().filter(room_id=room_id).first()
    if rule is None:
        raise NotFound(_("这间活动室不接受预约"))
    return rule


def waitlist_length(*, activity: Any) -> int:
    return Booking.objects.filter(activity=activity, status=BookingStatus.WAITLISTED).count()


def waitlist_rank(booking: Booking) -> int:
    """1 for the first on the waiting list (see ``_with_rank``)."""
    return (
        Booking.objects.filter(
            activity=booking.activity,
            status=BookingStatus.WAITLISTED,
            waitlist_position__lt=booking.waitlist_position,
        ).count()
        + 1
    )


def active_booking(*, user: Any, activity: Any) -> Booking | None:
    """The viewer's active booking (pending, confirmed, waitlisted, checked in) of an activity."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return _with_rank(
        Booking.objects.filter(user=user, activity=activity, status__in=ACTIVE_STATUSES)
    ).first()


# ----- the viewer's own bookings --------------------------------------------------------------
def _with_rank(qs: QuerySet[Booking]) -> QuerySet[Booking]:
    """Annotate ``waitlist_rank``: 1 for the first on the waiting list (positions may have gaps
    after people leave it, so the rank counts those ahead)."""
    ahead = (
        Booking.objects.filter(
            activity_id=OuterRef("activity_id"),
            status=BookingStatus.WAITLISTED,
            waitlist_position__lt=OuterRef("waitlist_position"),
        )
        .order_by()
        .values("activity_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        waitlist_rank=Coalesce(Subquery(ahead), 0) + 1,
    )


def _own(user: Any) -> QuerySet[Booking]:
    return Booking.objects.filter(user=user).select_related(
        "activity", "activity__seats", "room", "room__booking_rule", "venue"
    )


def my_bookings(*, user: Any, now: datetime | None = None) -> tuple[list[Booking], list[Booking]]:
    """(coming, past): coming = active bookings not yet over, soonest first; past = the rest,
    latest first (at most MAX_PAST_BOOKINGS)."""
    now = now or timezone.now()
    coming_q = Q(status__in=ACTIVE_STATUSES, end_at__gt=now)
    coming = list(_with_rank(_own(user).filter(coming_q)).order_by("start_at", "pk"))
    past = list(_own(user).exclude(coming_q).order_by("-start_at", "-pk")[:MAX_PAST_BOOKINGS])
    return coming, past


def own_booking(*, user: Any, code: str) -> Booking:
    """The booking with this code if it is the viewer's own; anybody else's, or an unknown code,
    is NotFound (the same answer, so codes cannot be probed)."""
    booking = None
    if user is not None and getattr(user, "is_authenticated", False):
        booking = _with_rank(_own(user).filter(code=normalise_code(code))).first()
    if booking is None:
        raise NotFound(_("没有找到预约码为 %(code)s 的预约") % {"code": code})
    return booking


@dataclass(frozen=True)
class CancelState:
    allowed: bool
    reason: str  # why not (empty when allowed)
    deadline: datetime | None  # last moment to cancel (None: no deadline applies)


def cancel_deadline_hours(booking: Booking) -> int:
    """The hours before the start within which its holder may not cancel (the service's
    ``cancel_deadline`` with the seats / rule already loaded: no query per booking)."""
    if booking.activity_id is not None:
        seats = getattr(booking.activity, "seats", None)
        return seats.cancel_deadline_hours if seats is not None else DEFAULT_DEADLINE_HOURS
    rule = getattr(booking.room, "booking_rule", None)
    return rule.cancel_deadline_hours if rule is not None else DEFAULT_DEADLINE_HOURS


def cancel_state(booking: Booking, *, now: datetime | None = None) -> CancelState:
    """Whether the owner may still cancel, mirroring the service's rule (the service decides;
    this is what the page shows instead of a button that would be refused)."""
    now = now or timezone.now()
    if booking.status not in (
        BookingStatus.PENDING,
        BookingStatus.CONFIRMED,
        BookingStatus.WAITLISTED,
    ):
        return CancelState(False, str(_("这条预约已是“%(s)s”，不能再取消") % {
            "s": booking.get_status_display()}), None)  # fmt: skip
    if booking.start_at <= now:
        return CancelState(False, str(_("活动已经开始，不能再取消")), None)
    if booking.status == BookingStatus.WAITLISTED:
        return CancelState(True, "", booking.start_at)
    hours = cancel_deadline_hours(booking)
    deadline = booking.start_at - timedelta(hours=hours)
    if now >= deadline:
        local = timezone.localtime(deadline)
        return CancelState(
            False,
            str(
                _("开始前 %(h)d 小时内不能取消（截止时间 %(t)s 已过）。如不能到场，请联系场馆。")
                % {"h": hours, "t": local.strftime("%m-%d %H:%M")}
            ),
            deadline,
        )
    return CancelState(True, "", deadline)


# ----- messages -------------------------------------------------------------------------------
def notifications(*, user: Any) -> list[Notification]:
    """The viewer's latest messages, newest first."""
    return list(Notification.objects.filter(user=user)[:MAX_MESSAGES])


def unread_count(*, user: Any) -> int:
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
