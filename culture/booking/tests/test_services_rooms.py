"""Rooms: the eight interval-boundary cases, the slot grid and bookable hours, advance booking,
per-person limits, rules, blocks (colliding bookings cancelled and told)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from culture.accounts.models import Notification
from culture.booking.errors import BookingRefused
from culture.booking.models import Booking, BookingStatus, RoomBlock, RoomSlotClaim
from culture.booking.services import (
    booking_cancel,
    room_block_create,
    room_block_delete,
    room_book,
    room_rule_set,
)
from culture.booking.tests.factories import (
    at,
    bookable_room,
    bookable_venue,
    days_ahead,
    resident_user,
)
from culture.core.errors import FieldErrors, OutOfScope, ValidationFailed
from culture.core.models import AuditEntry

pytestmark = pytest.mark.django_db

DAY = 2  # days ahead of today for the bookings below


def book(room, user, h1, m1, h2, m2, day=DAY, **kw):
    d = days_ahead(day)
    return room_book(user=user, room=room, start_at=at(d, h1, m1), end_at=at(d, h2, m2), **kw)


# Existing booking 10:00-12:00; hourly slots. (new start, new end, collides?)
EIGHT_CASES = [
    pytest.param((8, 0), (9, 0), False, id="before"),
    pytest.param((9, 0), (10, 0), False, id="touching-before"),
    pytest.param((9, 0), (11, 0), True, id="overlapping-start"),
    pytest.param((10, 0), (11, 0), True, id="inside"),
    pytest.param((9, 0), (13, 0), True, id="containing"),
    pytest.param((11, 0), (13, 0), True, id="overlapping-end"),
    pytest.param((12, 0), (13, 0), False, id="touching-after"),
    pytest.param((13, 0), (14, 0), False, id="after"),
]


@pytest.mark.parametrize(("new_start", "new_end", "collides"), EIGHT_CASES)
def test_eight_interval_cases_against_a_booking(new_start, new_end, collides):
    room = bookable_room(slot_minutes=60, max_slots=4)
    book(room, resident_user(), 10, 0, 12, 0)
    other = resident_user()
    if collides:
        with pytest.raises(BookingRefused) as exc:
            book(room, other, *new_start, *new_end)
        assert exc.value.code == "slot_taken"
        assert not Booking.objects.filter(user=other).exists()
        assert RoomSlotClaim.objects.filter(room=room).count() == 8  # the first booking's
    else:
        booking = book(room, other, *new_start, *new_end)
        assert booking.status == BookingStatus.CONFIRMED


@pytest.mark.parametrize(("new_start", "new_end", "collides"), EIGHT_CASES)
def test_eight_interval_cases_against_a_block(new_start, new_end, collides):
    room = bookable_room(slot_minutes=60, max_slots=4)
    d = days_ahead(DAY)
    room_block_create(
        actor=None, room=room, start_at=at(d, 10), end_at=at(d, 12), reason="设备检修"
    )
    if collides:
        with pytest.raises(BookingRefused) as exc:
            book(room, resident_user(), *new_start, *new_end)
        assert exc.value.code == "slot_taken" and "停用" in str(exc.value)
    else:
        book(room, resident_user(), *new_start, *new_end)


def test_booking_claims_each_cell_and_cancelling_frees_them():
    room = bookable_room(slot_minutes=30, max_slots=4)
    user = resident_user()
    booking = book(room, user, 14, 0, 15, 30)
    cells = list(RoomSlotClaim.objects.filter(booking=booking).order_by("cell_start"))
    d = days_ahead(DAY)
    assert [c.cell_start for c in cells] == [
        at(d, 14, 0), at(d, 14, 15), at(d, 14, 30), at(d, 14, 45), at(d, 15, 0), at(d, 15, 15)
    ]  # fmt: skip
    booking_cancel(actor=user, booking=booking)
    assert not RoomSlotClaim.objects.filter(room=room).exists()
    assert book(room, resident_user(), 14, 0, 15, 0).status == BookingStatus.CONFIRMED


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        ((10, 15), (11, 15), "bad_slot"),  # off the hourly grid starting 08:00
        ((10, 0), (10, 30), "bad_slot"),  # half a slot
        ((10, 0), (10, 10), "bad_slot"),  # not on the 15-minute cells at all
        ((10, 0), (13, 0), "bad_slot"),  # 3 slots, max 2
        ((7, 0), (8, 0), "outside_hours"),  # venue opens at 08:00
        ((20, 0), (22, 0), "outside_hours"),  # closes at 21:00
        ((11, 0), (10, 0), "bad_slot"),  # end before start
    ],
)
def test_times_off_the_grid_or_outside_hours_are_refused(start, end, code):
    room = bookable_room(slot_minutes=60, max_slots=2)
    with pytest.raises(ValidationFailed) as exc:
        book(room, resident_user(), *start, *end)
    assert exc.value.code == code
    assert not Booking.objects.exists()


def test_bookable_hours_are_the_rules_within_the_venues():
    venue = bookable_venue(opening_hours="Mo-Su 08:30-17:00")
    room = bookable_room(venue=venue, slot_minutes=60, bookable_hours="Mo-Su 07:00-12:00")
    user = resident_user()
    with pytest.raises(ValidationFailed) as exc:
        book(room, user, 7, 30, 8, 30)
    assert exc.value.code == "outside_hours"
    # The grid starts where the intersection starts: 08:30, 09:30, 10:30 (11:30-12:00 is short).
    assert book(room, user, 8, 30, 9, 30).status == BookingStatus.CONFIRMED
    with pytest.raises(ValidationFailed) as exc:
        book(room, resident_user(), 11, 30, 12, 30)
    assert exc.value.code == "outside_hours"


def test_advance_booking_boundary_exactly_allowed_a_cell_more_refused():
    room = bookable_room(slot_minutes=15, max_slots=4, advance_days=7)
    now = at(days_ahead(1), 9, 0)
    edge = now + timedelta(days=7)
    user = resident_user()
    ok = room_book(
        user=user, room=room, start_at=edge, end_at=edge + timedelta(minutes=15), now=now
    )
    assert ok.status == BookingStatus.CONFIRMED
    later = edge + timedelta(minutes=15)
    with pytest.raises(ValidationFailed) as exc:
        room_book(
            user=resident_user(),
            room=room,
            start_at=later,
            end_at=later + timedelta(minutes=15),
            now=now,
        )
    assert exc.value.code == "too_far_ahead"


def test_a_started_slot_cannot_be_booked():
    room = bookable_room(slot_minutes=60)
    d = days_ahead(DAY)
    with pytest.raises(ValidationFailed) as exc:
        room_book(
            user=resident_user(),
            room=room,
            start_at=at(d, 10),
            end_at=at(d, 11),
            now=at(d, 10, 1),
        )
    assert exc.value.code == "too_late"


def test_per_person_limit_counts_open_bookings_in_this_room():
    room = bookable_room(slot_minutes=60, per_person_limit=2)
    user = resident_user()
    first = book(room, user, 9, 0, 10, 0)
    book(room, user, 10, 0, 11, 0)
    with pytest.raises(ValidationFailed) as exc:
        book(room, user, 11, 0, 12, 0)
    assert exc.value.code == "limit_reached"
    booking_cancel(actor=user, booking=first)
    book(room, user, 11, 0, 12, 0)
    # Another room is another limit.
    book(bookable_room(slot_minutes=60, per_person_limit=2), user, 9, 0, 10, 0)


def test_people_must_fit_the_room():
    room = bookable_room(capacity=8)
    with pytest.raises(ValidationFailed) as exc:
        book(room, resident_user(), 9, 0, 10, 0, people=9)
    assert exc.value.field == "people"
    assert book(room, resident_user(), 9, 0, 10, 0, people=8).people == 8


def test_disabled_rule_or_room_without_rule_is_not_open():
    room = bookable_room(enabled=False)
    with pytest.raises(ValidationFailed) as exc:
        book(room, resident_user(), 9, 0, 10, 0)
    assert exc.value.code == "not_open"


def test_needs_approval_holds_the_cells_as_pending():
    room = bookable_room(needs_approval=True)
    booking = book(room, resident_user(), 9, 0, 10, 0)
    assert booking.status == BookingStatus.PENDING
    with pytest.raises(BookingRefused):
        book(room, resident_user(), 9, 0, 10, 0)


def test_idempotent_room_retry_returns_the_same_booking():
    room = bookable_room()
    user = resident_user()
    b1 = book(room, user, 9, 0, 10, 0, idempotency_key="r-1")
    b2 = book(room, user, 9, 0, 10, 0, idempotency_key="r-1")
    assert b1.pk == b2.pk
    assert Booking.objects.count() == 1


# ----- rules -----------------------------------------------------------------------------
def test_rule_validation():
    room = bookable_room()
    with pytest.raises(FieldErrors) as exc:
        room_rule_set(actor=None, room=room, slot_minutes=50)
    assert "slot_minutes" in exc.value.errors
    with pytest.raises(FieldErrors) as exc:
        room_rule_set(actor=None, room=room, bookable_hours="Mo-Fr 25:00-26:00 nonsense")
    assert "bookable_hours" in exc.value.errors
    with pytest.raises(FieldErrors):
        room_rule_set(actor=None, room=room, colour="red")
    rule = room_rule_set(actor=None, room=room, slot_minutes=45, advance_days=14)
    assert (rule.slot_minutes, rule.advance_days, rule.max_slots) == (45, 14, 2)
    assert AuditEntry.objects.filter(action="booking.rule_changed").count() == 2


def test_rule_and_blocks_are_for_staff_of_the_venue(users):
    room = bookable_room()
    d = days_ahead(DAY)
    for who in ("evaluator",):
        with pytest.raises(OutOfScope):
            room_rule_set(actor=users[who], room=room, advance_days=3)
        with pytest.raises(OutOfScope):
            room_block_create(
                actor=users[who], room=room, start_at=at(d, 9), end_at=at(d, 10), reason="x"
            )
    with pytest.raises(OutOfScope):
        room_rule_set(actor=resident_user(), room=room, advance_days=3)
    room_rule_set(actor=users["district"], room=room, advance_days=3)


# ----- blocks ----------------------------------------------------------------------------
def test_block_cancels_colliding_bookings_and_tells_their_holders(users):
    room = bookable_room(slot_minutes=60)
    u1, u2, u3 = resident_user(), resident_user(), resident_user()
    b1 = book(room, u1, 9, 0, 10, 0)  # touching before the block: stays
    b2 = book(room, u2, 10, 0, 11, 0)  # inside: cancelled
    b3 = book(room, u3, 11, 0, 13, 0)  # overlapping the end: cancelled
    d = days_ahead(DAY)
    block, cancelled = room_block_create(
        actor=users["district"], room=room, start_at=at(d, 10), end_at=at(d, 12), reason="空调维修"
    )
    assert {b.pk for b in cancelled} == {b2.pk, b3.pk}
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses == {
        b1.pk: BookingStatus.CONFIRMED,
        b2.pk: BookingStatus.CANCELLED,
        b3.pk: BookingStatus.CANCELLED,
    }
    assert set(Notification.objects.values_list("user_id", flat=True)) == {u2.pk, u3.pk}
    assert "空调维修" in Notification.objects.get(user=u2).text
    assert RoomSlotClaim.objects.filter(block=block).count() == 8
    assert RoomSlotClaim.objects.filter(booking=b1).count() == 4
    assert not RoomSlotClaim.objects.filter(booking__in=[b2, b3]).exists()
    # 12:00-13:00 (freed by b3) is bookable again; the block's time is not.
    book(room, resident_user(), 12, 0, 13, 0)
    room_block_delete(actor=users["district"], block=block)
    assert not RoomBlock.objects.exists()
    book(room, resident_user(), 10, 0, 11, 0)


def test_blocks_do_not_overlap_and_are_aligned():
    room = bookable_room()
    d = days_ahead(DAY)
    room_block_create(actor=None, room=room, start_at=at(d, 9), end_at=at(d, 12), reason="a")
    with pytest.raises(ValidationFailed) as exc:
        room_block_create(actor=None, room=room, start_at=at(d, 11), end_at=at(d, 13), reason="b")
    assert exc.value.code == "overlap"
    room_block_create(actor=None, room=room, start_at=at(d, 12), end_at=at(d, 13), reason="c")
    with pytest.raises(FieldErrors):
        room_block_create(
            actor=None, room=room, start_at=at(d, 14, 5), end_at=at(d, 15), reason="d"
        )
    with pytest.raises(FieldErrors):
        room_block_create(actor=None, room=room, start_at=at(d, 14), end_at=at(d, 15), reason="")
