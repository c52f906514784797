"""An activity taking bookings is cancelled or moved (culture.activities.hooks -> booking); and
the one rule of who books: accounts with a resident profile."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from culture.accounts.models import Notification
from culture.activities.services import activity_cancel, activity_update
from culture.booking.models import ActivitySeats, Booking, BookingStatus
from culture.booking.services import (
    activity_book,
    booking_approve,
    booking_check_in,
    room_book,
    seats_set,
)
from culture.booking.tests.factories import (
    at,
    bookable_activity,
    bookable_room,
    bookable_venue,
    days_ahead,
    resident_user,
)
from culture.core.errors import FieldErrors, OutOfScope, ValidationFailed
from culture.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _queue(activity, n_waiting: int = 1):
    """Fill ``activity`` (capacity 2: one confirmed, one pending after approval is switched on)
    and put ``n_waiting`` people on its waiting list."""
    confirmed = activity_book(user=resident_user(), activity=activity)
    seats_set(actor=None, activity=activity, capacity=2, needs_approval=True)
    pending = activity_book(user=resident_user(), activity=activity)
    waiting = [activity_book(user=resident_user(), activity=activity) for _ in range(n_waiting)]
    return confirmed, pending, waiting


def _status(booking) -> str:
    return Booking.objects.get(pk=booking.pk).status


# ----- cancelling the activity -----------------------------------------------------------------
def test_cancelling_the_activity_cancels_every_booking_tells_them_and_frees_the_counter():
    activity = bookable_activity(capacity=2)
    confirmed, pending, (waiting,) = _queue(activity)
    assert (confirmed.status, pending.status, waiting.status) == (
        "confirmed",
        "pending",
        "waitlisted",
    )
    Notification.objects.all().delete()

    activity_cancel(actor=None, activity=activity)

    for b in (confirmed, pending, waiting):
        row = Booking.objects.get(pk=b.pk)
        assert row.status == BookingStatus.CANCELLED
        assert row.cancel_reason == "活动已取消"
        assert row.waitlist_position is None and row.cancelled_at is not None
    assert ActivitySeats.objects.get(activity=activity).taken == 0
    told = Notification.objects.filter(kind="booking.cancelled").order_by("user_id")
    assert [n.user_id for n in told] == sorted(
        [confirmed.user_id, pending.user_id, waiting.user_id]
    )
    assert all(activity.title in n.text and "已取消" in n.text for n in told)
    assert not Notification.objects.filter(kind="booking.promoted").exists()  # nobody promoted
    audited = AuditEntry.objects.filter(action="booking.cancelled")
    assert sorted(int(e.target_id) for e in audited) == sorted(
        [confirmed.pk, pending.pk, waiting.pk]
    )
    assert {e.after["reason"] for e in audited} == {"活动已取消"}


def test_bookings_already_cancelled_or_rejected_are_left_as_they_were():
    activity = bookable_activity(capacity=3)
    kept = activity_book(user=resident_user(), activity=activity)
    earlier = activity_book(user=resident_user(), activity=activity)
    from culture.booking.services import booking_cancel

    booking_cancel(actor=earlier.user, booking=earlier, reason="有事")

    activity_cancel(actor=None, activity=activity)

    row = Booking.objects.get(pk=earlier.pk)
    assert (row.status, row.cancel_reason) == (BookingStatus.CANCELLED, "有事")
    assert _status(kept) == BookingStatus.CANCELLED
    assert AuditEntry.objects.filter(action="booking.cancelled").count() == 2


def test_restoring_the_activity_restores_no_booking_and_people_book_again():
    activity = bookable_activity(capacity=1)
    first = activity_book(user=resident_user(), activity=activity)
    activity_cancel(actor=None, activity=activity)
    with pytest.raises(ValidationFailed) as refused:
        activity_book(user=resident_user(), activity=activity)
    assert refused.value.code == "not_open"

    activity_cancel(actor=None, activity=activity, cancelled=False)

    assert _status(first) == BookingStatus.CANCELLED
    again = activity_book(user=first.user, activity=activity)
    assert again.status == BookingStatus.CONFIRMED
    assert ActivitySeats.objects.get(activity=activity).taken == 1


def test_a_cancelled_booking_cannot_be_checked_in():
    activity = bookable_activity(capacity=2, start=at(days_ahead(1), 10))
    booking = activity_book(user=resident_user(), activity=activity)
    activity_cancel(actor=None, activity=activity)

    with pytest.raises(ValidationFailed):
        booking_check_in(
            actor=None, venue=activity.venue, token=booking.code, now=activity.start_at
        )
    assert _status(booking) == BookingStatus.CANCELLED


def test_the_activities_cancel_page_cancels_the_bookings(client, users):
    activity = bookable_activity(capacity=2)
    booking = activity_book(user=resident_user(), activity=activity)
    client.force_login(users["district"])

    response = client.post(reverse("activities:cancel", args=[activity.pk]))

    assert response.status_code == 302
    row = Booking.objects.get(pk=booking.pk)
    assert (row.status, row.cancel_reason) == (BookingStatus.CANCELLED, "活动已取消")
    assert ActivitySeats.objects.get(activity=activity).taken == 0
    entry = AuditEntry.objects.get(action="booking.cancelled", target_id=str(booking.pk))
    assert entry.actor_id == users["district"].pk


def test_an_approved_booking_cancelled_with_its_activity_frees_its_seat_too():
    activity = bookable_activity(capacity=1, needs_approval=True)
    booking = activity_book(user=resident_user(), activity=activity)
    booking_approve(actor=None, booking=booking)

    activity_cancel(actor=None, activity=activity)

    assert _status(booking) == BookingStatus.CANCELLED
    assert ActivitySeats.objects.get(activity=activity).taken == 0


# ----- moving the activity -------------------------------------------------------------------
def test_moving_the_activity_moves_the_bookings_and_tells_the_people():
    start = at(days_ahead(3), 14)
    activity = bookable_activity(capacity=1, start=start)
    holder = activity_book(user=resident_user(), activity=activity)
    waiting = activity_book(user=resident_user(), activity=activity)
    Notification.objects.all().delete()
    new_start = at(days_ahead(4), 9, 30)

    activity_update(
        actor=None, activity=activity, start_at=new_start, end_at=new_start + timedelta(hours=1)
    )

    for b in (holder, waiting):
        row = Booking.objects.get(pk=b.pk)
        assert (row.start_at, row.end_at) == (new_start, new_start + timedelta(hours=1))
    told = Notification.objects.filter(kind="booking.rescheduled")
    assert sorted(n.user_id for n in told) == sorted([holder.user_id, waiting.user_id])
    text = told.first().text
    assert new_start.strftime("%Y-%m-%d 09:30") in text and "10:30" in text
    assert start.strftime("%Y-%m-%d 14:00") in text  # what it was
    assert AuditEntry.objects.filter(action="booking.rescheduled").count() == 2
    assert _status(holder) == BookingStatus.CONFIRMED and _status(waiting) == "waitlisted"


def test_moving_to_another_venue_moves_the_bookings_there():
    activity = bookable_activity(capacity=2)
    booking = activity_book(user=resident_user(), activity=activity)
    other = bookable_venue(operator=activity.venue.operator_unit)

    activity_update(actor=None, activity=activity, venue=other)

    assert Booking.objects.get(pk=booking.pk).venue_id == other.pk
    note = Notification.objects.get(kind="booking.rescheduled")
    assert other.name_zh in note.text


def test_changing_only_the_title_tells_nobody():
    activity = bookable_activity(capacity=2)
    activity_book(user=resident_user(), activity=activity)
    Notification.objects.all().delete()

    activity_update(actor=None, activity=activity, title="改了名字的活动")

    assert not Notification.objects.exists()
    assert not AuditEntry.objects.filter(action="booking.rescheduled").exists()


def test_a_booking_deadline_after_the_new_start_is_dropped():
    start = at(days_ahead(5), 14)
    activity = bookable_activity(capacity=2, start=start, closes_at=start - timedelta(hours=1))
    earlier = at(days_ahead(2), 9)

    activity_update(
        actor=None, activity=activity, start_at=earlier, end_at=earlier + timedelta(hours=2)
    )

    assert ActivitySeats.objects.get(activity=activity).closes_at is None
    assert AuditEntry.objects.filter(action="booking.seats_changed", target_id=str(activity.pk))


def test_an_activity_taking_bookings_keeps_a_venue_and_a_positive_length():
    start = at(days_ahead(3), 14)
    activity = bookable_activity(capacity=2, start=start)
    booking = activity_book(user=resident_user(), activity=activity)

    with pytest.raises(FieldErrors) as no_length:
        activity_update(actor=None, activity=activity, end_at=start)
    with pytest.raises(FieldErrors) as no_venue:
        activity_update(actor=None, activity=activity, venue=None)

    assert "end_at" in no_length.value.errors and "venue" in no_venue.value.errors
    activity.refresh_from_db()
    assert activity.end_at == start + timedelta(hours=2) and activity.venue_id is not None
    assert Booking.objects.get(pk=booking.pk).end_at == start + timedelta(hours=2)


def test_the_edit_page_shows_the_refusal_of_a_zero_length_on_the_form(client, users):
    from culture.activities.forms import ActivityForm

    start = at(days_ahead(3), 14)
    activity = bookable_activity(capacity=2, start=start)
    client.force_login(users["district"])
    data = {k: v for k, v in ActivityForm.initial_for(activity).items() if v is not None}
    local_start = timezone.localtime(start).strftime("%Y-%m-%dT%H:%M")
    data.update(start_at=local_start, end_at=local_start)  # ends when it starts

    response = client.post(reverse("activities:edit", args=[activity.pk]), data)

    assert response.status_code == 422
    assert "该活动接受预约，结束时间应晚于开始时间" in response.content.decode()
    activity.refresh_from_db()
    assert activity.end_at == start + timedelta(hours=2)


# ----- who books -------------------------------------------------------------------------------
def test_the_service_refuses_accounts_without_a_resident_profile(users):
    activity = bookable_activity(capacity=2)
    room = bookable_room()
    day = days_ahead(1)

    for name in ("district", "evaluator", "community"):
        with pytest.raises(OutOfScope) as refused:
            activity_book(user=users[name], activity=activity)
        assert "居民账号" in str(refused.value.message)
        with pytest.raises(OutOfScope):
            room_book(user=users[name], room=room, start_at=at(day, 10), end_at=at(day, 11))
    assert not Booking.objects.exists()
    assert ActivitySeats.objects.get(activity=activity).taken == 0


def test_the_booking_pages_refuse_staff_with_403_through_the_service(client, users):
    activity = bookable_activity(capacity=2)
    client.force_login(users["district"])

    response = client.post(
        reverse("booking:activity_book", args=[activity.pk]), {"idempotency_key": "k1"}
    )

    assert response.status_code == 403
    assert not Booking.objects.exists()


def test_in_english_the_holder_reads_the_cancellation_in_english():
    from django.utils import translation

    activity = bookable_activity(capacity=2, title="English cancel test")
    booking = activity_book(user=resident_user(), activity=activity)

    with translation.override("en"):
        activity_cancel(actor=None, activity=activity)

    note = Notification.objects.get(user=booking.user, kind="booking.cancelled")
    assert note.text.startswith("The activity “English cancel test” (")
    assert note.text.endswith("has been cancelled, and your booking with it")


# ----- a booking racing with the change ----------------------------------------------------------
# activity_book reads the activity before its transaction; a cancellation or a move committed
# between that read and the seat (on PostgreSQL: while the booking waits for the seats row the
# change holds) must still be seen. The change is made at that very point here.
def _changed_before_the_transaction(monkeypatch, change):
    from culture.booking.services import seats as seats_module

    original = seats_module.run_create

    def change_first(**kwargs):
        change()
        return original(**kwargs)

    monkeypatch.setattr(seats_module, "run_create", change_first)


def test_a_cancellation_committed_while_booking_is_seen_and_nothing_is_booked(monkeypatch):
    activity = bookable_activity(capacity=5)
    _changed_before_the_transaction(
        monkeypatch, lambda: activity_cancel(actor=None, activity=activity)
    )

    with pytest.raises(ValidationFailed) as refused:
        activity_book(user=resident_user(), activity=activity)

    assert refused.value.code == "not_open"
    assert not Booking.objects.filter(activity=activity).exists()
    assert ActivitySeats.objects.get(activity=activity).taken == 0


def test_a_move_committed_while_booking_gives_the_booking_the_new_time(monkeypatch):
    activity = bookable_activity(capacity=5)
    new_start = at(days_ahead(6), 10)
    _changed_before_the_transaction(
        monkeypatch,
        lambda: activity_update(
            actor=None, activity=activity, start_at=new_start, end_at=new_start + timedelta(hours=1)
        ),
    )

    booking = activity_book(user=resident_user(), activity=activity)

    assert (booking.start_at, booking.end_at) == (new_start, new_start + timedelta(hours=1))


def test_an_import_marking_the_activity_cancelled_cancels_its_bookings(
    client, users, settings, tmp_path
):
    from culture.spreadsheets.tests.helpers import upload, xlsx_bytes

    settings.MEDIA_ROOT = tmp_path / "media"
    activity = bookable_activity(capacity=3)
    activity = activity_update(actor=None, activity=activity, external_id="EXT-BK-1")
    booking = activity_book(user=resident_user(), activity=activity)
    local_fmt = "%Y-%m-%d %H:%M"
    headers = ["外部编号", "活动名称", "活动类型", "主办单位代码", "场馆编码", "开始时间",
               "结束时间", "参与人次", "已取消"]  # fmt: skip
    row = [
        "EXT-BK-1",
        activity.title,
        "群众文化活动",
        activity.organiser.code,
        activity.venue.code,
        timezone.localtime(activity.start_at).strftime(local_fmt),
        timezone.localtime(activity.end_at).strftime(local_fmt),
        0,
        "是",
    ]
    client.force_login(users["district"])

    upload(client, "activities", xlsx_bytes(headers, [row]), "a.xlsx")

    activity.refresh_from_db()
    assert activity.cancelled is True
    row_after = Booking.objects.get(pk=booking.pk)
    assert (row_after.status, row_after.cancel_reason) == (BookingStatus.CANCELLED, "活动已取消")
    assert ActivitySeats.objects.get(activity=activity).taken == 0
