"""Simultaneous calls of the services from threads (each its own database connection), on the
test database in use: the last seat, the waiting list, a double tap with and without an
idempotency key, overlapping room times. (The live-server rush is test_rush.py.)"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from culture.booking.errors import BookingRefused
from culture.booking.models import (
    ActivitySeats,
    Booking,
    BookingStatus,
    IdempotentAnswer,
    RoomSlotClaim,
)
from culture.booking.services import activity_book, room_book
from culture.booking.tests.factories import (
    at,
    bookable_activity,
    bookable_room,
    days_ahead,
    resident_user,
)
from culture.core.tests.threads import race

pytestmark = pytest.mark.django_db(transaction=True)


def outcome(result: Any) -> str:
    if isinstance(result, Booking):
        return result.status
    if isinstance(result, BookingRefused):
        return result.code
    return repr(result)


def test_the_last_seat_goes_to_exactly_one():
    activity = bookable_activity(capacity=1, waitlist_enabled=False)
    people = [resident_user() for _ in range(12)]
    results = race([lambda u=u: activity_book(user=u, activity=activity) for u in people])
    assert Counter(map(outcome, results)) == {"confirmed": 1, "full": 11}
    assert ActivitySeats.objects.get(activity=activity).taken == 1
    assert Booking.objects.filter(activity=activity).count() == 1


def test_waiting_positions_are_handed_out_once_each():
    activity = bookable_activity(capacity=2)
    people = [resident_user() for _ in range(10)]
    results = race([lambda u=u: activity_book(user=u, activity=activity) for u in people])
    assert Counter(map(outcome, results)) == {"confirmed": 2, "waitlisted": 8}
    positions = sorted(
        Booking.objects.filter(activity=activity, status=BookingStatus.WAITLISTED).values_list(
            "waitlist_position", flat=True
        )
    )
    assert positions == list(range(1, 9))


def test_a_double_tap_with_one_key_books_once_and_answers_the_same():
    activity = bookable_activity(capacity=5)
    user = resident_user()
    results = race([lambda: activity_book(user=user, activity=activity, idempotency_key="tap")] * 6)
    assert all(isinstance(r, Booking) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Booking.objects.filter(activity=activity).count() == 1
    assert IdempotentAnswer.objects.filter(user=user, key="tap").count() == 1
    assert ActivitySeats.objects.get(activity=activity).taken == 1


def test_a_double_tap_without_a_key_is_one_booking_and_duplicates():
    activity = bookable_activity(capacity=5)
    user = resident_user()
    results = race([lambda: activity_book(user=user, activity=activity)] * 6)
    assert Counter(map(outcome, results)) == {"confirmed": 1, "duplicate": 5}
    assert ActivitySeats.objects.get(activity=activity).taken == 1


def test_overlapping_room_times_one_wins():
    room = bookable_room(slot_minutes=60, max_slots=3)
    d = days_ahead(2)
    times = [(9, 11), (10, 12), (10, 11), (9, 12), (11, 12), (9, 10)] * 2
    people = [resident_user() for _ in times]
    calls = [
        lambda u=u, s=s, e=e: room_book(user=u, room=room, start_at=at(d, s), end_at=at(d, e))
        for u, (s, e) in zip(people, times, strict=True)
    ]
    results = race(calls)
    won = [r for r in results if isinstance(r, Booking)]
    refused = [r for r in results if isinstance(r, BookingRefused)]
    assert len(won) + len(refused) == len(times), results
    assert {r.code for r in refused} <= {"slot_taken"}
    # Whatever won, the winners do not overlap and their cells are claimed once each.
    spans = sorted((b.start_at, b.end_at) for b in won)
    for (_s1, e1), (s2, _e2) in zip(spans, spans[1:], strict=False):
        assert e1 <= s2
    claims = RoomSlotClaim.objects.filter(room=room).count()
    assert claims == sum((e - s).seconds // 900 for s, e in spans)
    assert 1 <= len(won) <= 3
