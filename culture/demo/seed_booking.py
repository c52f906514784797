"""Demo bookings: the rooms of the main venues take bookings with sensible rules, the activities
held in venues three weeks either side of today take seats, and the demo residents have booked a
few hundred of them: upcoming seats and rooms, one full activity with a waiting list, bookings
waiting for approval, and in the past weeks check-ins and a few no-shows.

Everything goes through ``culture.booking.services`` (the system is the actor), with ``now``
moved back for the bookings of the past weeks, so each one was possible when it was "made".
Deterministic given ``rng`` and the day it runs (like the activities, which are dated around
today). Running it again changes nothing (it stops when any room rule exists). The demo resident
(``13800000001``) always has bookings to show: a seat coming up, a room, a place on the waiting
list and a past check-in.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from culture.accounts.models import User
from culture.activities.models import Activity
from culture.activities.services import activity_upsert
from culture.booking import slots
from culture.booking.models import Booking, BookingStatus, RoomBookingRule
from culture.booking.services import (
    activity_book,
    booking_check_in,
    booking_mark_no_show,
    room_book,
    room_rule_set,
    seats_set,
)
from culture.core.errors import ServiceError
from culture.core.personal import lookup_hash
from culture.demo.seed_people import DEMO_RESIDENT_PHONE
from culture.venues.models import Room, Venue, VenueKind, VenueStatus

WINDOW_DAYS = 21  # activities this many days either side of today take seats
MAX_ACTIVITIES = 45
MAX_PAST_ACTIVITIES = 10  # their check-ins become the activities' attendance: keep them few
MANAGER_VENUE = "GS-LIB"  # the demo venue manager's (seed_venues binds "venue" to it)
# Made at the manager's venue when the plan put no activity there in the coming weeks.
LIBRARY_ACTIVITIES = (
    (2, 14, "lecture", "读书分享会"),
    (5, 10, "training_class", "智能手机使用课堂"),
    (9, 15, "lecture", "少儿绘本故事会"),
)
STATIONS = 6  # culture stations whose rooms take bookings, besides the district venues

# Room rule by room name: slot minutes, max slots, advance days, per person, approval, deadline.
RULES: dict[str, tuple[int, int, int, int, bool, int]] = {
    "多功能厅": (120, 2, 14, 1, True, 24),
    "排练厅": (60, 3, 7, 2, False, 2),
    "舞蹈房": (60, 2, 7, 2, False, 2),
    "书画室": (60, 2, 7, 2, False, 2),
    "培训教室": (60, 3, 14, 2, True, 12),
    "阅览区": (30, 4, 3, 2, False, 1),
    "棋牌室": (60, 2, 3, 1, False, 1),
}
DEFAULT_RULE = (60, 2, 7, 2, False, 2)
PURPOSES = (
    "合唱排练",
    "舞蹈排练",
    "书画交流",
    "读书会",
    "志愿者例会",
    "太极拳练习",
    "亲子阅读",
    "越剧票友活动",
    "摄影分享会",
    "社区议事",
)
# Seats by activity kind: (low, high).
CAPACITY = {
    "lecture": (30, 80),
    "training_class": (15, 30),
    "science": (20, 40),
    "film_screening": (60, 120),
    "patriotic_screening": (60, 120),
    "performance": (80, 200),
    "performance_delivered": (80, 200),
    "theatre_public_benefit": (200, 400),
    "exhibition": (50, 100),
}
DEFAULT_CAPACITY = (30, 60)


class _Tally:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def line(self) -> str:
        return ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items()))


def _try(tally: _Tally, work: Callable[[], Any]) -> Any:
    """Run one service call; a refusal (full, limit reached, slot taken...) is counted."""
    try:
        with transaction.atomic():
            return work()
    except ServiceError as exc:
        tally.add(f"refused:{exc.code}")
        return None


def _residents() -> tuple[User | None, list[User]]:
    demo = User.objects.filter(phone_hash=lookup_hash(DEMO_RESIDENT_PHONE)).first()
    others = User.objects.filter(resident__isnull=False, is_active=True).order_by("pk")
    if demo is not None:
        others = others.exclude(pk=demo.pk)
    return demo, list(others)


def _main_venues() -> list[Venue]:
    stations = Venue.objects.filter(kind=VenueKind.CULTURE_STATION, status=VenueStatus.OPEN)
    station_pks = list(stations.order_by("code").values_list("pk", flat=True)[:STATIONS])
    return list(
        Venue.objects.filter(Q(code__startswith="GS-") | Q(pk__in=station_pks))
        .filter(status=VenueStatus.OPEN)
        .exclude(opening_hours="")
        .order_by("code")
    )


def _rules(venues: list[Venue], tally: _Tally) -> list[Room]:
    rooms = list(
        Room.objects.filter(venue__in=venues, is_active=True)
        .select_related("venue")
        .order_by("venue__code", "name")
    )
    for room in rooms:
        slot, most, ahead, per_person, approval, deadline = RULES.get(room.name, DEFAULT_RULE)
        room_rule_set(
            actor=None,
            room=room,
            slot_minutes=slot,
            max_slots=most,
            advance_days=ahead,
            per_person_limit=per_person,
            needs_approval=approval,
            cancel_deadline_hours=deadline,
        )
        tally.add("room rules")
    return rooms


def _activities(now: datetime, rng: random.Random) -> tuple[list[Activity], list[Activity]]:
    """(past, upcoming) activities held in open venues within the window, a bounded sample."""
    qs = (
        Activity.objects.filter(
            venue__isnull=False,
            venue__status=VenueStatus.OPEN,
            online=False,
            cancelled=False,
            start_at__gte=now - timedelta(days=WINDOW_DAYS),
            start_at__lt=now + timedelta(days=WINDOW_DAYS),
        )
        .select_related("venue")
        .order_by("start_at", "pk")
    )
    rows = [a for a in qs if a.end_at > a.start_at]
    past = [a for a in rows if a.end_at <= now]
    upcoming = [a for a in rows if a.start_at > now + timedelta(hours=3)]
    past = sorted(rng.sample(past, min(len(past), MAX_PAST_ACTIVITIES)), key=_when)
    manager_venues = _manager_venue_ids()
    mine = [a for a in upcoming if a.venue_id in manager_venues]
    others = [a for a in upcoming if a.venue_id not in manager_venues]
    sample = rng.sample(others, min(len(others), MAX_ACTIVITIES - len(mine)))
    upcoming = sorted(mine + sample, key=_when)
    return past, upcoming


def _manager_venue_ids() -> set[int]:
    return set(Venue.objects.filter(code=MANAGER_VENUE).values_list("pk", flat=True))


def _when(a: Activity) -> tuple[datetime, int]:
    return a.start_at, a.pk


def _capacity(rng: random.Random, kind: str) -> int:
    lo, hi = CAPACITY.get(kind, DEFAULT_CAPACITY)
    return rng.randrange(lo, hi + 1, 5)


def _seat(tally: _Tally, user: User, activity: Activity, now: datetime | None) -> Booking | None:
    return _try(tally, lambda: activity_book(user=user, activity=activity, now=now))


def _book_seats(
    activity: Activity,
    people: list[User],
    tally: _Tally,
    *,
    now: datetime | None = None,
) -> list[Booking]:
    made = []
    for user in people:
        b = _seat(tally, user, activity, now)
        if b is not None:
            made.append(b)
            tally.add(f"seat:{b.status}")
    return made


def _seats(
    rng: random.Random,
    now: datetime,
    demo: User | None,
    residents: list[User],
    tally: _Tally,
) -> None:
    past, upcoming = _activities(now, rng)
    # Upcoming: bookable, a handful booked each; the first one needs approval (its bookings
    # wait on the approvals page), the next is small and full with a waiting list.
    for i, activity in enumerate(upcoming):
        full = i == 1
        approval = i == 0
        capacity = 6 if full else _capacity(rng, activity.kind)
        seats_set(
            actor=None,
            activity=activity,
            capacity=capacity,
            waitlist_enabled=True,
            needs_approval=approval,
            cancel_deadline_hours=rng.choice((2, 2, 12, 24)),
        )
        tally.add("bookable activities")
        n = 9 if full else min(capacity, rng.randint(2, 9))
        people = rng.sample(residents, n)
        if demo is not None and (full or i == 2):
            # the demo resident: second on the waiting list of the full one, a seat at another
            people.insert(7 if full else 0, demo)
        _book_seats(activity, people, tally)
    # Past weeks: booked a few days ahead; most came (checked in at the desk), a few did not.
    for j, activity in enumerate(past):
        capacity = _capacity(rng, activity.kind)
        seats_set(actor=None, activity=activity, capacity=capacity, now=activity.start_at)
        tally.add("bookable activities")
        booked_at = activity.start_at - timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 8))
        people = rng.sample(residents, min(capacity, rng.randint(3, 10)))
        if demo is not None and j == len(past) - 1:
            people.insert(0, demo)
        for b in _book_seats(activity, people, tally, now=booked_at):
            _came_or_not(rng, b, activity.venue, activity.start_at, demo, tally)


def _came_or_not(
    rng: random.Random,
    booking: Booking,
    venue: Venue | None,
    start: datetime,
    demo: User | None,
    tally: _Tally,
) -> None:
    if booking.status != BookingStatus.CONFIRMED or venue is None:
        return
    if booking.user_id == getattr(demo, "pk", None) or rng.random() < 0.85:
        at = start - timedelta(minutes=rng.randint(0, 20))
        done = _try(
            tally,
            lambda: booking_check_in(actor=None, venue=venue, token=booking.code, now=at),
        )
        if done is not None:
            tally.add("checked in")
        return
    done = _try(
        tally,
        lambda: booking_mark_no_show(actor=None, booking=booking, now=start + timedelta(hours=1)),
    )
    if done is not None:
        tally.add("no-shows")


def _manager_activities(now: datetime, tally: _Tally) -> None:
    """A few activities at the demo manager's venue in the coming days, when the generated plan
    put none there (its activities page and the residents' finder have something to show)."""
    venue = Venue.objects.filter(code=MANAGER_VENUE).select_related("operator_unit").first()
    if venue is None:
        return
    window = (now + timedelta(hours=3), now + timedelta(days=WINDOW_DAYS))
    if Activity.objects.filter(venue=venue, start_at__range=window, cancelled=False).exists():
        return
    today = timezone.localdate(now)
    for days, hour, kind, title in LIBRARY_ACTIVITIES:
        start = timezone.make_aware(
            datetime.combine(today + timedelta(days=days), datetime.min.time()).replace(hour=hour)
        )
        activity_upsert(
            actor=None,
            external_id=f"DEMO-BOOKING-{MANAGER_VENUE}-{days}",
            title=f"{venue.name_zh}{title}",
            kind=kind,
            organiser=venue.operator_unit,
            venue=venue,
            start_at=start,
            end_at=start + timedelta(minutes=90),
        )
        tally.add("library activities")


def _free_slots(room: Room, day: Any, now: datetime) -> list[slots.Slot]:
    return [s for s in slots.room_day_slots(room=room, day=day, now=now) if s.state == "free"]


def _book_room(
    rng: random.Random,
    tally: _Tally,
    user: User,
    room: Room,
    slot: slots.Slot,
    now: datetime | None = None,
) -> Booking | None:
    purpose = rng.choice(PURPOSES)
    people = rng.randint(3, max(3, min(room.capacity, 20)))
    return _try(
        tally,
        lambda: room_book(
            user=user,
            room=room,
            start_at=slot.start,
            end_at=slot.end,
            purpose=purpose,
            people=people,
            now=now,
        ),
    )


def _rooms(
    rng: random.Random,
    now: datetime,
    rooms: list[Room],
    demo: User | None,
    residents: list[User],
    tally: _Tally,
) -> None:
    today = timezone.localdate(now)
    demo_done = False
    for room in rooms:
        rule = RoomBookingRule.objects.get(room=room)
        # Coming days: two or three bookings a room (today's later slots included); the demo
        # resident has the first that succeeds.
        for _ in range(rng.randint(2, 3)):
            day = today + timedelta(days=rng.randint(0, min(rule.advance_days, 6)))
            free = _free_slots(room, day, now)
            if not free:
                continue
            user = demo if (demo is not None and not demo_done) else rng.choice(residents)
            b = _book_room(rng, tally, user, room, rng.choice(free))
            if b is not None:
                tally.add(f"room:{b.status}")
                demo_done = demo_done or user is demo
        # Past week: one booking a room, made the day before; checked in or not.
        day = today - timedelta(days=rng.randint(1, 7))
        booked_at = timezone.make_aware(
            datetime.combine(day - timedelta(days=1), datetime.min.time()).replace(hour=8)
        )
        free = _free_slots(room, day, booked_at)
        if not free or rule.needs_approval:
            continue
        slot = rng.choice(free)
        b = _book_room(rng, tally, rng.choice(residents), room, slot, now=booked_at)
        if b is not None:
            tally.add("room:past")
            _came_or_not(rng, b, room.venue, slot.start, demo, tally)


def _manager_today(
    rng: random.Random, now: datetime, rooms: list[Room], residents: list[User], tally: _Tally
) -> None:
    """The demo venue manager's venue (the district library) has people coming today, so the
    day's list and the check-in desk have someone to show."""
    today = timezone.localdate(now)
    for room in rooms:
        if room.venue.code != MANAGER_VENUE:
            continue
        free = _free_slots(room, today, now)
        for slot in rng.sample(free, min(len(free), 2)):
            b = _book_room(rng, tally, rng.choice(residents), room, slot)
            if b is not None:
                tally.add(f"room:{b.status}")


def seed_booking(*, rng: random.Random, stdout: Any) -> None:
    """Seed the demo bookings (see the module docstring)."""
    if RoomBookingRule.objects.exists():
        stdout.write("Bookings already seeded.")
        return
    demo, residents = _residents()
    if len(residents) < 20:
        stdout.write("Too few residents for demo bookings: seed the people first.")
        return
    # Whole minutes: the same seed on the same day gives the same bookings.
    now = timezone.now().replace(second=0, microsecond=0)
    tally = _Tally()
    rooms = _rules(_main_venues(), tally)
    _manager_activities(now, tally)
    _seats(rng, now, demo, residents, tally)
    _rooms(rng, now, rooms, demo, residents, tally)
    _manager_today(rng, now, rooms, residents, tally)
    total = Booking.objects.count()
    stdout.write(f"Bookings: {total} ({tally.line()})")
