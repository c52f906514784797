"""Test data for booking: residents who can book, activities with seats, rooms with a rule.

Everything is made through the services (resident_register, activity_create, seats_set,
room_add, room_rule_set), so the data is what the application itself would write.

    resident_user()                                     a signed-up resident (User)
    bookable_activity(capacity=3)                       3 days ahead, 14:00-16:00, at a venue
    bookable_room(slot_minutes=60, advance_days=7)      a room at a venue open 08:00-21:00 daily
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from culture.accounts.models import Resident, User
from culture.accounts.services import resident_register
from culture.accounts.tests.factories import PASSWORD
from culture.accounts.tests.helpers import id_number
from culture.activities.models import Activity
from culture.activities.services import activity_create
from culture.booking.services import room_rule_set, seats_set
from culture.org.models import OrgLevel, OrgUnit
from culture.org.tests.factories import community
from culture.venues.models import Room, Venue, VenueStatus
from culture.venues.services import room_add

# Every day 08:00-21:00: any time of a test day is within the venue's hours.
OPEN_HOURS = "Mo-Su 08:00-21:00"
_seq = itertools.count(1)


def local(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=timezone.get_current_timezone())


def at(day: date, hh: int, mm: int = 0) -> datetime:
    """``day`` at hh:mm local time."""
    return datetime.combine(day, time(hh, mm), tzinfo=timezone.get_current_timezone())


def days_ahead(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)


def _unit() -> OrgUnit:
    return OrgUnit.objects.filter(level=OrgLevel.COMMUNITY).order_by("code").first() or community()


def resident_user(*, name: str | None = None, community_unit: OrgUnit | None = None) -> User:
    """A resident with an active account (phone 137xxxxxxxx, a valid ID number)."""
    n = next(_seq)
    while Resident.objects.filter(user__username__endswith=f"{n:08d}").exists():
        n = next(_seq)
    resident = resident_register(
        actor=None,
        name=name or f"预约居民{n}",
        phone=f"137{n:08d}",
        password=PASSWORD,
        id_number=id_number(50_000 + n),
        community=community_unit,
    )
    return resident.user


def resident_id_number(user: User) -> str:
    """The ID (social security) number a resident made by ``resident_user`` was given."""
    from culture.core.personal import decrypt

    return decrypt(user.resident.id_number_enc)


def bookable_venue(
    *, operator: OrgUnit | None = None, opening_hours: str = OPEN_HOURS, code: str | None = None
) -> Venue:
    """A bare open venue row with the given opening hours (test data)."""
    n = next(_seq)
    return Venue.objects.create(
        code=code or f"BK{n:05d}",
        name_zh=f"预约测试场馆{n}",
        kind="community_centre",
        status=VenueStatus.OPEN,
        operator_unit=operator or _unit(),
        opening_hours=opening_hours,
        lon=120.15,
        lat=30.32,
    )


def bookable_activity(
    *,
    capacity: int = 10,
    venue: Venue | None = None,
    start: datetime | None = None,
    hours: int = 2,
    title: str | None = None,
    **seats: Any,
) -> Activity:
    """An activity at ``venue`` (default a new one) taking bookings: ``capacity`` seats, start
    default 3 days ahead at 14:00; ``seats`` go to seats_set (waitlist_enabled, needs_approval,
    opens_at, closes_at, cancel_deadline_hours)."""
    venue = venue or bookable_venue()
    start = start or at(days_ahead(3), 14)
    activity = activity_create(
        actor=None,
        title=title or f"预约测试活动{next(_seq)}",
        kind="mass_activity",
        organiser=venue.operator_unit,
        venue=venue,
        start_at=start,
        end_at=start + timedelta(hours=hours),
        attendance=0,
    )
    seats_set(actor=None, activity=activity, capacity=capacity, **seats)
    return activity


def bookable_room(
    *,
    venue: Venue | None = None,
    name: str | None = None,
    capacity: int = 20,
    **rule: Any,
) -> Room:
    """A room at ``venue`` (default a new one open 08:00-21:00 every day) with a booking rule:
    ``rule`` goes to room_rule_set (slot_minutes 60, max_slots 2, advance_days 7,
    per_person_limit 2, cancel_deadline_hours 2 unless given)."""
    venue = venue or bookable_venue()
    room = room_add(actor=None, venue=venue, name=name or f"活动室{next(_seq)}", capacity=capacity)
    room_rule_set(actor=None, room=room, **rule)
    return room
