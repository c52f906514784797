"""At the desk: check-in three ways (a second scan harmless), attendance from check-ins through
to the summaries, no-shows, and the suspension after repeated no-shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Sum

from culture.accounts.models import Notification
from culture.activities.models import Activity, ActivityMonthSummary
from culture.booking.errors import BookingSuspended
from culture.booking.models import Booking, BookingStatus, CheckInMethod
from culture.booking.services import (
    activity_book,
    booking_check_in,
    booking_mark_no_show,
    booking_qr_payload,
    booking_suspended_until,
    bookings_mark_no_shows,
    room_book,
)
from culture.booking.tests.factories import (
    at,
    bookable_activity,
    bookable_room,
    bookable_venue,
    days_ahead,
    resident_id_number,
    resident_user,
)
from culture.core.errors import NotFound, OutOfScope, ValidationFailed
from culture.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def today_activity():
    """An activity today 14:00-16:00 at its venue, 5 seats, booked the day before."""
    return bookable_activity(capacity=5, start=at(days_ahead(0), 14))


def book_before(activity, user):
    return activity_book(user=user, activity=activity, now=activity.start_at - timedelta(days=1))


def test_check_in_by_qr_code_and_by_typed_code_and_by_card(today_activity):
    venue = today_activity.venue
    now = today_activity.start_at - timedelta(minutes=10)
    u1, u2, u3 = resident_user(), resident_user(), resident_user()
    b1, b2, b3 = (book_before(today_activity, u) for u in (u1, u2, u3))

    by_qr = booking_check_in(actor=None, venue=venue, token=booking_qr_payload(b1), now=now)
    assert (by_qr.booking.pk, by_qr.method, by_qr.already) == (b1.pk, CheckInMethod.QR, False)

    typed = f" {b2.code[:4].lower()}-{b2.code[4:].lower()} "
    by_code = booking_check_in(actor=None, venue=venue, token=typed, now=now)
    assert (by_code.booking.pk, by_code.method) == (b2.pk, CheckInMethod.CODE)

    card = resident_id_number(u3)
    by_card = booking_check_in(actor=None, venue=venue, token=card, now=now)
    assert (by_card.booking.pk, by_card.method) == (b3.pk, CheckInMethod.SSC_CARD)

    stored = Booking.objects.get(pk=b3.pk)
    assert stored.status == BookingStatus.CHECKED_IN
    assert stored.checked_in_at == now and stored.check_in_method == CheckInMethod.SSC_CARD


def test_second_scan_is_harmless(today_activity, users):
    booking = book_before(today_activity, resident_user())
    now = today_activity.start_at
    first = booking_check_in(
        actor=users["district"], venue=booking.venue, token=booking.code, now=now
    )
    audits = AuditEntry.objects.count()
    second = booking_check_in(
        actor=users["district"],
        venue=booking.venue,
        token=booking_qr_payload(booking),
        now=now + timedelta(minutes=3),
    )
    assert (first.already, second.already) == (False, True)
    assert second.method == CheckInMethod.CODE  # how it was checked in the first time
    assert Booking.objects.get(pk=booking.pk).checked_in_at == now
    assert AuditEntry.objects.count() == audits
    assert Activity.objects.get(pk=today_activity.pk).attendance == 1


def test_attendance_equals_check_ins_and_reaches_the_summaries(today_activity):
    bookings = [book_before(today_activity, resident_user()) for _ in range(4)]
    for b in bookings[:3]:
        booking_check_in(actor=None, venue=b.venue, token=b.code, now=today_activity.start_at)
    activity = Activity.objects.get(pk=today_activity.pk)
    assert (activity.attendance, activity.attendance_source) == (3, "checkins")
    summed = ActivityMonthSummary.objects.filter(venue=activity.venue).aggregate(
        s=Sum("attendance")
    )["s"]
    assert summed == 3


def test_card_picks_the_residents_booking_here_nearest_to_now():
    venue = bookable_venue()
    user = resident_user()
    today = days_ahead(0)
    morning = bookable_activity(capacity=2, venue=venue, start=at(today, 9))  # 09:00-11:00
    afternoon = bookable_activity(capacity=2, venue=venue, start=at(today, 15))  # 15:00-17:00
    elsewhere = bookable_activity(capacity=2, start=at(today, 14))  # another venue, nearer
    for a in (morning, afternoon, elsewhere):
        book_before(a, user)
    result = booking_check_in(
        actor=None, venue=venue, token=resident_id_number(user), now=at(today, 14, 0)
    )
    assert result.booking.activity_id == afternoon.pk
    tomorrow = bookable_activity(capacity=2, venue=venue, start=at(days_ahead(1), 9))
    book_before(tomorrow, (other := resident_user()))
    with pytest.raises(NotFound):
        booking_check_in(
            actor=None, venue=venue, token=resident_id_number(other), now=at(today, 14)
        )


def test_refusals_name_what_is_wrong(today_activity):
    booking = book_before(today_activity, resident_user())
    now = today_activity.start_at
    with pytest.raises(ValidationFailed) as exc:
        booking_check_in(actor=None, venue=bookable_venue(), token=booking.code, now=now)
    assert exc.value.code == "wrong_venue"
    with pytest.raises(ValidationFailed) as exc:
        booking_check_in(
            actor=None, venue=booking.venue, token=booking.code, now=now + timedelta(days=1)
        )
    assert exc.value.code == "wrong_day"
    with pytest.raises(NotFound):
        booking_check_in(actor=None, venue=booking.venue, token="ZZZZ-ZZZZ", now=now)
    with pytest.raises(ValidationFailed) as exc:
        booking_check_in(actor=None, venue=booking.venue, token="hello", now=now)
    assert exc.value.code == "bad_token"
    with pytest.raises(ValidationFailed):  # 18 digits but not a valid ID number
        booking_check_in(actor=None, venue=booking.venue, token="330105199001011234", now=now)


def test_pending_and_waitlisted_bookings_cannot_check_in():
    activity = bookable_activity(capacity=1, needs_approval=True, start=at(days_ahead(0), 20))
    pending = book_before(activity, resident_user())
    waiting = book_before(activity, resident_user())
    for b, code in ((pending, "not_approved"), (waiting, "waitlisted")):
        with pytest.raises(ValidationFailed) as exc:
            booking_check_in(actor=None, venue=b.venue, token=b.code, now=activity.start_at)
        assert exc.value.code == code


def test_check_in_is_for_staff_of_the_venue(today_activity, users):
    booking = book_before(today_activity, resident_user())
    for actor in (users["evaluator"], resident_user()):
        with pytest.raises(OutOfScope):
            booking_check_in(actor=actor, venue=booking.venue, token=booking.code)


def test_room_booking_check_in_does_not_touch_activities():
    room = bookable_room()
    d = days_ahead(0)
    user = resident_user()
    booking = room_book(user=user, room=room, start_at=at(d, 18), end_at=at(d, 19), now=at(d, 8))
    result = booking_check_in(actor=None, venue=room.venue, token=booking.code, now=at(d, 17, 55))
    assert result.booking.status == BookingStatus.CHECKED_IN


# ----- no-shows ----------------------------------------------------------------------------
def test_no_show_only_after_the_grace_minutes(settings, today_activity):
    settings.CULTURE_BOOKING_NO_SHOW_AFTER_MINUTES = 30
    booking = book_before(today_activity, resident_user())
    start = today_activity.start_at
    with pytest.raises(ValidationFailed) as exc:
        booking_mark_no_show(actor=None, booking=booking, now=start + timedelta(minutes=29))
    assert exc.value.code == "too_early"
    marked = booking_mark_no_show(actor=None, booking=booking, now=start + timedelta(minutes=30))
    assert marked.status == BookingStatus.NO_SHOW
    # Turning up after all the same day: checked in, no longer a no-show.
    late = booking_check_in(
        actor=None, venue=booking.venue, token=booking.code, now=start + timedelta(minutes=50)
    )
    assert late.booking.status == BookingStatus.CHECKED_IN


def test_the_job_marks_due_confirmed_bookings_only(settings):
    settings.CULTURE_BOOKING_NO_SHOW_AFTER_MINUTES = 30
    activity = bookable_activity(capacity=5, start=at(days_ahead(0), 10))
    later = bookable_activity(capacity=5, start=at(days_ahead(0), 11))
    gone, came = book_before(activity, resident_user()), book_before(activity, resident_user())
    not_yet = book_before(later, resident_user())
    booking_check_in(actor=None, venue=came.venue, token=came.code, now=activity.start_at)
    assert bookings_mark_no_shows(now=at(days_ahead(0), 10, 45)) == 1
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses == {
        gone.pk: BookingStatus.NO_SHOW,
        came.pk: BookingStatus.CHECKED_IN,
        not_yet.pk: BookingStatus.CONFIRMED,
    }
    assert bookings_mark_no_shows(now=at(days_ahead(0), 10, 45)) == 0


def _no_show_on(day_offset: int, user) -> Booking:
    activity = bookable_activity(capacity=3, start=at(days_ahead(day_offset), 9))
    booking = book_before(activity, user)
    return booking_mark_no_show(
        actor=None, booking=booking, now=activity.start_at + timedelta(hours=1)
    )


def test_suspension_boundary(settings):
    settings.CULTURE_BOOKING_NO_SHOW_LIMIT = 3
    settings.CULTURE_BOOKING_NO_SHOW_WINDOW_DAYS = 90
    settings.CULTURE_BOOKING_SUSPENSION_DAYS = 30
    user = resident_user()
    _no_show_on(-20, user)
    _no_show_on(-10, user)
    # limit - 1 no-shows: booking allowed.
    assert booking_suspended_until(user=user) is None
    activity_book(user=user, activity=bookable_activity(capacity=2))
    third = _no_show_on(-5, user)
    until = third.start_at + timedelta(days=30)  # the third no-show's start + 30 days
    assert booking_suspended_until(user=user) == until
    note = Notification.objects.get(user=user, kind="booking.suspended")
    assert until.astimezone(third.start_at.tzinfo).strftime("%Y-%m-%d") in note.text

    target = bookable_activity(capacity=2, start=until + timedelta(days=1))
    with pytest.raises(BookingSuspended) as exc:
        activity_book(user=user, activity=target, now=until - timedelta(seconds=1))
    assert exc.value.status_code == 403 and exc.value.code == "suspended"
    booking = activity_book(user=user, activity=target, now=until)
    assert booking.status == BookingStatus.CONFIRMED


def test_no_shows_outside_the_window_do_not_add_up(settings):
    settings.CULTURE_BOOKING_NO_SHOW_LIMIT = 3
    settings.CULTURE_BOOKING_NO_SHOW_WINDOW_DAYS = 10
    user = resident_user()
    for offset in (-30, -19, -8):  # 11 days apart: never 3 within 10 days
        _no_show_on(offset, user)
    assert booking_suspended_until(user=user) is None
    room = bookable_room()
    d = days_ahead(1)
    room_book(user=user, room=room, start_at=at(d, 9), end_at=at(d, 10))
