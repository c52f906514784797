"""Seats of activities: booking, the waiting list, duplicates, idempotent retries, capacity
changes, cancelling (deadline, promotion, notification), approval."""

from __future__ import annotations

from datetime import timedelta

import pytest

from culture.accounts.models import Notification
from culture.booking.errors import BookingRefused
from culture.booking.models import ActivitySeats, Booking, BookingStatus, IdempotentAnswer
from culture.booking.services import (
    activity_book,
    booking_approve,
    booking_cancel,
    booking_reject,
    seats_set,
)
from culture.booking.tests.factories import (
    at,
    bookable_activity,
    bookable_venue,
    days_ahead,
    resident_user,
)
from culture.core.errors import OutOfScope, ValidationFailed
from culture.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def seats_of(activity) -> ActivitySeats:
    return ActivitySeats.objects.get(activity=activity)


def test_booking_takes_a_seat_and_is_confirmed():
    activity = bookable_activity(capacity=2)
    user = resident_user()
    booking = activity_book(user=user, activity=activity)
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.venue_id == activity.venue_id
    assert (booking.start_at, booking.end_at) == (activity.start_at, activity.end_at)
    assert len(booking.code) == 8 and not set(booking.code) & set("01OI")
    assert seats_of(activity).taken == 1
    assert AuditEntry.objects.filter(action="booking.created", target_id=str(booking.pk)).exists()


def test_the_last_seat_then_waiting_list_positions_in_order():
    activity = bookable_activity(capacity=1)
    a, b, c = resident_user(), resident_user(), resident_user()
    assert activity_book(user=a, activity=activity).status == BookingStatus.CONFIRMED
    wb = activity_book(user=b, activity=activity)
    wc = activity_book(user=c, activity=activity)
    assert (wb.status, wb.waitlist_position) == (BookingStatus.WAITLISTED, 1)
    assert (wc.status, wc.waitlist_position) == (BookingStatus.WAITLISTED, 2)
    assert seats_of(activity).taken == 1


def test_full_without_waiting_list_is_refused_as_full():
    activity = bookable_activity(capacity=1, waitlist_enabled=False)
    activity_book(user=resident_user(), activity=activity)
    with pytest.raises(BookingRefused) as exc:
        activity_book(user=resident_user(), activity=activity)
    assert exc.value.code == "full" and exc.value.status_code == 409
    assert Booking.objects.filter(activity=activity).count() == 1


def test_duplicate_booking_by_the_same_person_is_refused():
    activity = bookable_activity(capacity=5)
    user = resident_user()
    activity_book(user=user, activity=activity)
    with pytest.raises(BookingRefused) as exc:
        activity_book(user=user, activity=activity)
    assert exc.value.code == "duplicate"
    assert seats_of(activity).taken == 1


def test_waitlisted_person_booking_again_is_a_duplicate():
    activity = bookable_activity(capacity=1)
    activity_book(user=resident_user(), activity=activity)
    user = resident_user()
    activity_book(user=user, activity=activity)
    with pytest.raises(BookingRefused) as exc:
        activity_book(user=user, activity=activity)
    assert exc.value.code == "duplicate"


def test_needs_approval_gives_pending_holding_a_seat():
    activity = bookable_activity(capacity=1, needs_approval=True)
    booking = activity_book(user=resident_user(), activity=activity)
    assert booking.status == BookingStatus.PENDING
    assert seats_of(activity).taken == 1


def test_not_bookable_activity_and_booking_window():
    venue = bookable_venue()
    start = at(days_ahead(5), 10)
    activity = bookable_activity(
        capacity=3,
        venue=venue,
        start=start,
        opens_at=start - timedelta(days=2),
        closes_at=start - timedelta(hours=1),
    )
    user = resident_user()
    with pytest.raises(ValidationFailed) as exc:
        activity_book(user=user, activity=activity, now=start - timedelta(days=2, seconds=1))
    assert exc.value.code == "not_open"
    activity_book(user=user, activity=activity, now=start - timedelta(days=2))
    with pytest.raises(ValidationFailed) as exc:
        activity_book(user=resident_user(), activity=activity, now=start - timedelta(hours=1))
    assert exc.value.code == "too_late"


def test_activity_without_seats_is_not_open():
    from culture.activities.services import activity_create

    venue = bookable_venue()
    start = at(days_ahead(3), 9)
    plain = activity_create(
        actor=None,
        title="不接受预约的活动",
        kind="mass_activity",
        organiser=venue.operator_unit,
        venue=venue,
        start_at=start,
        end_at=start + timedelta(hours=1),
    )
    with pytest.raises(ValidationFailed) as exc:
        activity_book(user=resident_user(), activity=plain)
    assert exc.value.code == "not_open"


# ----- idempotency ---------------------------------------------------------------------
def test_retry_with_the_same_key_returns_the_same_booking_and_books_nothing_new():
    activity = bookable_activity(capacity=3)
    user = resident_user()
    first = activity_book(user=user, activity=activity, idempotency_key="tap-1")
    again = activity_book(user=user, activity=activity, idempotency_key="tap-1")
    assert again.pk == first.pk
    assert Booking.objects.filter(activity=activity).count() == 1
    assert seats_of(activity).taken == 1
    assert IdempotentAnswer.objects.filter(user=user, key="tap-1").count() == 1


def test_a_refusal_is_recorded_and_replayed_even_after_a_seat_frees():
    activity = bookable_activity(capacity=1, waitlist_enabled=False)
    holder = resident_user()
    held = activity_book(user=holder, activity=activity)
    user = resident_user()
    with pytest.raises(BookingRefused) as first:
        activity_book(user=user, activity=activity, idempotency_key="k")
    booking_cancel(actor=holder, booking=held)
    with pytest.raises(BookingRefused) as second:
        activity_book(user=user, activity=activity, idempotency_key="k")
    assert (first.value.code, second.value.code) == ("full", "full")
    assert str(second.value) == str(first.value)
    assert not Booking.objects.filter(user=user).exists()
    # A new key is a new request: now it gets the freed seat.
    assert activity_book(user=user, activity=activity, idempotency_key="k2").status == "confirmed"


def test_a_key_reused_for_another_activity_is_refused():
    user = resident_user()
    a1, a2 = bookable_activity(capacity=2), bookable_activity(capacity=2)
    activity_book(user=user, activity=a1, idempotency_key="same")
    with pytest.raises(ValidationFailed) as exc:
        activity_book(user=user, activity=a2, idempotency_key="same")
    assert exc.value.code == "idempotency_key_reused"
    assert not Booking.objects.filter(activity=a2).exists()


def test_same_key_of_two_people_are_two_requests():
    activity = bookable_activity(capacity=2)
    b1 = activity_book(user=resident_user(), activity=activity, idempotency_key="x")
    b2 = activity_book(user=resident_user(), activity=activity, idempotency_key="x")
    assert b1.pk != b2.pk


# ----- capacity changes ----------------------------------------------------------------
def test_raising_capacity_promotes_in_order_and_tells_them():
    activity = bookable_activity(capacity=1)
    activity_book(user=resident_user(), activity=activity)
    w1, w2, w3 = resident_user(), resident_user(), resident_user()
    for u in (w1, w2, w3):
        activity_book(user=u, activity=activity)
    seats_set(actor=None, activity=activity, capacity=3)
    statuses = dict(Booking.objects.filter(activity=activity).values_list("user_id", "status"))
    assert statuses[w1.pk] == statuses[w2.pk] == BookingStatus.CONFIRMED
    assert statuses[w3.pk] == BookingStatus.WAITLISTED
    assert seats_of(activity).taken == 3
    assert Notification.objects.filter(user=w1, kind="booking.promoted").count() == 1
    assert not Notification.objects.filter(user=w3).exists()


def test_lowering_capacity_below_the_seats_taken_is_refused_naming_the_number():
    activity = bookable_activity(capacity=5)
    for _ in range(3):
        activity_book(user=resident_user(), activity=activity)
    with pytest.raises(ValidationFailed) as exc:
        seats_set(actor=None, activity=activity, capacity=2)
    assert "3" in str(exc.value) and exc.value.field == "capacity"
    assert seats_of(activity).capacity == 5
    assert seats_set(actor=None, activity=activity, capacity=3).capacity == 3


def test_seats_set_is_audited_and_scoped(users, tree):
    activity = bookable_activity(capacity=5)
    with pytest.raises(OutOfScope):
        seats_set(actor=users["evaluator"], activity=activity, capacity=6)
    seats_set(actor=users["district"], activity=activity, capacity=6)
    assert AuditEntry.objects.filter(action="booking.seats_changed").count() == 2  # create + 6


# ----- cancelling ----------------------------------------------------------------------
def test_cancel_frees_the_seat_and_promotes_the_first_waiting():
    activity = bookable_activity(capacity=1)
    holder = resident_user()
    held = activity_book(user=holder, activity=activity)
    w1, w2 = resident_user(), resident_user()
    activity_book(user=w1, activity=activity)
    activity_book(user=w2, activity=activity)
    cancelled = booking_cancel(actor=holder, booking=held)
    assert cancelled.status == BookingStatus.CANCELLED and cancelled.cancelled_at is not None
    promoted = Booking.objects.get(user=w1, activity=activity)
    assert (promoted.status, promoted.waitlist_position) == (BookingStatus.CONFIRMED, None)
    assert Booking.objects.get(user=w2, activity=activity).waitlist_position == 2
    assert seats_of(activity).taken == 1
    note = Notification.objects.get(user=w1)
    assert note.kind == "booking.promoted" and promoted.code in note.url
    assert AuditEntry.objects.filter(action="booking.promoted").count() == 1


def test_cancel_deadline_boundary():
    start = at(days_ahead(2), 15)
    activity = bookable_activity(capacity=3, start=start, cancel_deadline_hours=2)
    deadline = start - timedelta(hours=2)
    u1, u2 = resident_user(), resident_user()
    b1 = activity_book(user=u1, activity=activity, now=deadline - timedelta(days=1))
    b2 = activity_book(user=u2, activity=activity, now=deadline - timedelta(days=1))
    booking_cancel(actor=u1, booking=b1, now=deadline - timedelta(seconds=1))
    with pytest.raises(ValidationFailed) as exc:
        booking_cancel(actor=u2, booking=b2, now=deadline)
    assert exc.value.code == "too_late"
    assert Booking.objects.get(pk=b2.pk).status == BookingStatus.CONFIRMED


def test_staff_cancel_any_time_with_a_reason_and_the_holder_is_told(users):
    activity = bookable_activity(capacity=2)
    user = resident_user()
    booking = activity_book(user=user, activity=activity)
    late = activity.start_at - timedelta(minutes=5)
    with pytest.raises(ValidationFailed) as exc:
        booking_cancel(actor=users["district"], booking=booking, now=late)
    assert exc.value.field == "reason"
    booking_cancel(actor=users["district"], booking=booking, reason="场地漏水", now=late)
    assert Notification.objects.get(user=user).text.endswith("场地漏水")
    assert seats_of(activity).taken == 0


def test_someone_else_cannot_cancel():
    activity = bookable_activity(capacity=2)
    booking = activity_book(user=resident_user(), activity=activity)
    with pytest.raises(OutOfScope):
        booking_cancel(actor=resident_user(), booking=booking)


def test_cancelling_twice_is_refused():
    activity = bookable_activity(capacity=2)
    user = resident_user()
    booking = activity_book(user=user, activity=activity)
    booking_cancel(actor=user, booking=booking)
    with pytest.raises(ValidationFailed) as exc:
        booking_cancel(actor=user, booking=booking)
    assert exc.value.code == "not_cancellable"
    assert seats_of(activity).taken == 0


def test_a_waiting_person_may_leave_the_list_and_book_again():
    activity = bookable_activity(capacity=1)
    activity_book(user=resident_user(), activity=activity)
    user = resident_user()
    waiting = activity_book(user=user, activity=activity)
    booking_cancel(actor=user, booking=waiting)
    assert seats_of(activity).taken == 1
    again = activity_book(user=user, activity=activity)
    assert (again.status, again.waitlist_position) == (BookingStatus.WAITLISTED, 1)


# ----- approval --------------------------------------------------------------------------
def test_approve_and_reject(users):
    activity = bookable_activity(capacity=1, needs_approval=True)
    u1, u2 = resident_user(), resident_user()
    b1 = activity_book(user=u1, activity=activity)
    b2 = activity_book(user=u2, activity=activity)  # waiting
    with pytest.raises(ValidationFailed):
        booking_reject(actor=users["district"], booking=b1, reason="")
    booking_reject(actor=users["district"], booking=b1, reason="不符合报名条件")
    b2.refresh_from_db()
    assert b2.status == BookingStatus.PENDING  # promoted, still to be approved
    approved = booking_approve(actor=users["district"], booking=b2)
    assert approved.status == BookingStatus.CONFIRMED and approved.decided_at is not None
    assert seats_of(activity).taken == 1
    kinds = set(Notification.objects.values_list("user_id", "kind"))
    assert (u1.pk, "booking.rejected") in kinds and (u2.pk, "booking.approved") in kinds
    with pytest.raises(ValidationFailed):
        booking_approve(actor=users["district"], booking=approved)


def test_approval_is_for_staff_of_the_venue(users):
    activity = bookable_activity(capacity=1, needs_approval=True)
    booking = activity_book(user=resident_user(), activity=activity)
    with pytest.raises(OutOfScope):
        booking_approve(actor=users["evaluator"], booking=booking)
