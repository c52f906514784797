"""Each database guarantee of the booking tables, tested by a direct write that goes around the
services: the database itself refuses it (on SQLite and PostgreSQL alike)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from culture.booking.models import (
    ActivitySeats,
    Booking,
    BookingStatus,
    IdempotentAnswer,
    RoomBlock,
    RoomBookingRule,
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

pytestmark = pytest.mark.django_db


def row(user, activity=None, room=None, **fields) -> Booking:
    start = at(days_ahead(3), 9)
    data = {
        "user": user,
        "activity": activity,
        "room": room,
        "start_at": start,
        "end_at": start + timedelta(hours=1),
        "status": BookingStatus.CONFIRMED,
        "code": f"T{Booking.objects.count():07d}",
    }
    data.update(fields)
    return Booking(**data)


def insert(obj) -> None:
    with transaction.atomic():
        obj.save()


def test_seat_counter_cannot_pass_capacity():
    activity = bookable_activity(capacity=2)
    ActivitySeats.objects.filter(activity=activity).update(taken=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivitySeats.objects.filter(activity=activity).update(taken=F("taken") + 1)
    assert ActivitySeats.objects.get(activity=activity).taken == 2


def test_capacity_is_at_least_one():
    activity = bookable_activity(capacity=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivitySeats.objects.filter(activity=activity).update(capacity=0, taken=0)


@pytest.mark.parametrize(
    "fields", [{"slot_minutes": 10}, {"slot_minutes": 8 * 60 + 15}, {"max_slots": 0}]
)
def test_room_rule_ranges(fields):
    room = bookable_room()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomBookingRule.objects.filter(room=room).update(**fields)


def test_block_ends_after_it_starts():
    room = bookable_room()
    start = at(days_ahead(2), 9)
    with pytest.raises(IntegrityError):
        insert(RoomBlock(room=room, start_at=start, end_at=start, reason="x"))


def test_booking_is_of_an_activity_or_a_room_not_both_nor_neither():
    user = resident_user()
    activity, room = bookable_activity(capacity=2), bookable_room()
    with pytest.raises(IntegrityError):
        insert(row(user, activity=activity, room=room))
    with pytest.raises(IntegrityError):
        insert(row(user))


def test_booking_ends_after_it_starts():
    user = resident_user()
    start = at(days_ahead(2), 9)
    with pytest.raises(IntegrityError):
        insert(row(user, room=bookable_room(), start_at=start, end_at=start))


def test_waitlist_position_if_and_only_if_waitlisted():
    activity = bookable_activity(capacity=2)
    with pytest.raises(IntegrityError):
        insert(row(resident_user(), activity=activity, status=BookingStatus.WAITLISTED))
    with pytest.raises(IntegrityError):
        insert(row(resident_user(), activity=activity, waitlist_position=1))


def test_second_active_booking_of_one_person_for_one_activity_is_refused():
    activity = bookable_activity(capacity=5)
    user = resident_user()
    first = activity_book(user=user, activity=activity)
    with pytest.raises(IntegrityError):
        insert(row(user, activity=activity))
    with pytest.raises(IntegrityError):  # a waiting-list entry is active too
        insert(row(user, activity=activity, status=BookingStatus.WAITLISTED, waitlist_position=9))
    Booking.objects.filter(pk=first.pk).update(status=BookingStatus.CANCELLED)
    insert(row(user, activity=activity))  # after cancelling, a new one is allowed


def test_two_waiting_entries_cannot_share_a_position():
    activity = bookable_activity(capacity=1)
    insert(row(resident_user(), activity=activity, status="waitlisted", waitlist_position=1))
    with pytest.raises(IntegrityError):
        insert(row(resident_user(), activity=activity, status="waitlisted", waitlist_position=1))
    insert(row(resident_user(), activity=activity, status="waitlisted", waitlist_position=2))


def test_a_room_cell_is_claimed_once():
    room = bookable_room()
    d = days_ahead(2)
    booking = room_book(user=resident_user(), room=room, start_at=at(d, 9), end_at=at(d, 10))
    other = row(resident_user(), room=room)
    insert(other)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomSlotClaim.objects.create(room=room, cell_start=at(d, 9, 45), booking=other)
    assert RoomSlotClaim.objects.filter(room=room).count() == 4
    assert set(RoomSlotClaim.objects.values_list("booking_id", flat=True)) == {booking.pk}
    # The next cell (touching) is free.
    RoomSlotClaim.objects.create(room=room, cell_start=at(d, 10), booking=other)


def test_a_claim_belongs_to_a_booking_or_a_block():
    room = bookable_room()
    d = days_ahead(2)
    block = RoomBlock.objects.create(room=room, start_at=at(d, 9), end_at=at(d, 10), reason="x")
    booking = row(resident_user(), room=room)
    insert(booking)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomSlotClaim.objects.create(room=room, cell_start=at(d, 9), booking=booking, block=block)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomSlotClaim.objects.create(room=room, cell_start=at(d, 9))


def test_one_answer_per_idempotency_key_and_person():
    user = resident_user()
    IdempotentAnswer.objects.create(user=user, key="k", status_code=201, body={})
    with pytest.raises(IntegrityError), transaction.atomic():
        IdempotentAnswer.objects.create(user=user, key="k", status_code=409, body={})
    IdempotentAnswer.objects.create(user=resident_user(), key="k", status_code=201, body={})


def test_booking_codes_are_unique():
    room = bookable_room()
    insert(row(resident_user(), room=room, code="ABCDEFGH"))
    with pytest.raises(IntegrityError):
        insert(row(resident_user(), room=room, code="ABCDEFGH"))
