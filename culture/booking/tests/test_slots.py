"""The day grid of a room: slots within the rule's hours and the venue's, and their states."""

from __future__ import annotations

from datetime import timedelta

import pytest

from culture.booking.services import room_block_create, room_book, room_rule_set
from culture.booking.slots import room_day_slots
from culture.booking.tests.factories import (
    at,
    bookable_room,
    bookable_venue,
    days_ahead,
    resident_user,
)

pytestmark = pytest.mark.django_db


def grid(slots):
    return [(f"{s.start:%H:%M}", f"{s.end:%H:%M}", s.state) for s in slots]


def test_day_grid_states():
    venue = bookable_venue(opening_hours="Mo-Su 08:30-17:00")
    room = bookable_room(venue=venue, slot_minutes=60, bookable_hours="Mo-Su 08:00-14:00")
    d = days_ahead(2)
    room_book(user=resident_user(), room=room, start_at=at(d, 9, 30), end_at=at(d, 10, 30))
    room_block_create(actor=None, room=room, start_at=at(d, 11), end_at=at(d, 11, 15), reason="x")
    now = at(d, 8, 45)
    slots = room_day_slots(room=room, day=d, now=now)
    assert grid(slots) == [
        ("08:30", "09:30", "past"),
        ("09:30", "10:30", "taken"),
        ("10:30", "11:30", "blocked"),  # a quarter of it is blocked
        ("11:30", "12:30", "free"),
        ("12:30", "13:30", "free"),
        # 13:30-14:00 is shorter than a slot
    ]
    assert slots[0].start.tzinfo is not None


def test_days_beyond_advance_booking_are_closed():
    room = bookable_room(slot_minutes=240, advance_days=2, bookable_hours="Mo-Su 09:00-17:00")
    now = at(days_ahead(1), 12)
    assert [s.state for s in room_day_slots(room=room, day=days_ahead(3), now=now)] == [
        "free",  # 09:00, within 2 days of now
        "closed",  # 13:00, more than 2 days ahead
    ]
    edge = room_day_slots(room=room, day=days_ahead(3), now=now - timedelta(hours=1))
    assert [s.state for s in edge] == ["free", "closed"]


def test_disabled_rule_closes_every_slot_and_no_venue_hours_means_no_slots():
    room = bookable_room(slot_minutes=120, bookable_hours="Mo-Su 09:00-13:00")
    room_rule_set(actor=None, room=room, enabled=False)
    d = days_ahead(1)
    assert grid(room_day_slots(room=room, day=d, now=at(d, 0))) == [
        ("09:00", "11:00", "closed"),
        ("11:00", "13:00", "closed"),
    ]
    unknown_hours = bookable_room(venue=bookable_venue(opening_hours=""))
    assert room_day_slots(room=unknown_hours, day=d, now=at(d, 0)) == []


def test_closed_days_of_the_venue_have_no_slots():
    venue = bookable_venue(opening_hours="Mo-Fr 09:00-17:00; Sa,Su off")
    room = bookable_room(venue=venue)
    day = days_ahead(1)
    while day.weekday() != 6:  # the next Sunday
        day += timedelta(days=1)
    assert room_day_slots(room=room, day=day, now=at(days_ahead(0), 0)) == []
    monday = day + timedelta(days=1)
    assert len(room_day_slots(room=room, day=monday, now=at(days_ahead(0), 0))) == 8
