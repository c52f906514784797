"""When an activity that takes bookings is cancelled or moved.

``activity_cancel`` and ``activity_update`` (culture.activities.services) call these through the
registry in ``culture.activities.hooks`` (registered in ``BookingConfig.ready``), in their own
transaction, with the activity row locked. The caller has checked the actor's right to change the
activity; these functions do not check it again.

- cancelled: every booking that holds a seat or waits for one is cancelled with the reason
  "活动已取消", its holder told; nobody is promoted and the seat counter goes back to 0. Restoring
  the activity restores no booking (people book again).
- moved (start, end or venue): the bookings take the new time and venue (check-in and no-show
  marking read them from the booking), the people still expecting to come are told; a booking
  deadline later than the new start is dropped (bookings then close at the start). An activity
  taking bookings must keep a venue and end after it starts: such a change is refused.

Lock order: activity (the caller), seats row, booking rows — as in seats.py and checkin.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.accounts.notifications import notify
from culture.activities.hooks import Schedule
from culture.activities.models import Activity
from culture.booking.models import HOLDING_STATUSES, ActivitySeats, Booking, BookingStatus
from culture.booking.services.common import actor_of, local_text, now_or
from culture.booking.services.lifecycle import booking_org_path, booking_url
from culture.core.audit import audit_record
from culture.core.errors import FieldErrors
from culture.venues.models import Venue

# The reason written on bookings cancelled with their activity (stored data, in Chinese).
ACTIVITY_CANCELLED_REASON = "活动已取消"
# Bookings an activity's cancellation or move concerns: holding a seat or waiting for one.
CONCERNED = (*HOLDING_STATUSES, BookingStatus.WAITLISTED)
# Of those, the people still expecting to come (told of a move).
EXPECTING = (BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)


def _concerned(activity_id: int) -> list[Booking]:
    return list(
        Booking.objects.select_for_update(of=("self",))
        .select_related("activity", "venue__operator_unit", "user")
        .filter(activity_id=activity_id, status__in=CONCERNED)
        .order_by("pk")
    )


@transaction.atomic
def activity_bookings_cancel(
    *,
    actor: Any,
    activity: Activity,
    reason: str = ACTIVITY_CANCELLED_REASON,
    now: datetime | None = None,
) -> list[Booking]:
    """Cancel every booking of ``activity`` that holds a seat or waits for one (its holder is
    told, each cancellation audited) and set the seat counter to 0. Returns the bookings
    cancelled."""
    now = now_or(now)
    seats = ActivitySeats.objects.select_for_update().filter(activity_id=activity.pk).first()
    cancelled = _concerned(activity.pk)
    for booking in cancelled:
        before = booking.status
        booking.status = BookingStatus.CANCELLED
        booking.waitlist_position = None
        booking.cancelled_at = now
        booking.cancel_reason = reason
        booking.save(
            update_fields=[
                "status",
                "waitlist_position",
                "cancelled_at",
                "cancel_reason",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor_of(actor),
            action="booking.cancelled",
            target=booking,
            org_path=booking_org_path(booking),
            before={"status": before},
            after={"status": booking.status, "reason": reason},
        )
        notify(
            user=booking.user,
            kind="booking.cancelled",
            text=_("活动“%(title)s”（%(at)s）已取消，您的预约随之取消")
            % {"title": activity.title, "at": local_text(booking.start_at)},
            url=booking_url(booking),
        )
    if seats is not None and seats.taken:
        # Every holding booking is cancelled above, so none holds a seat any more.
        ActivitySeats.objects.filter(pk=seats.pk).update(taken=0, updated_at=timezone.now())
    return cancelled


def _refuse_unbookable(activity: Activity) -> None:
    errors: dict[str, list[Any]] = {}
    if activity.venue_id is None:
        errors["venue"] = [_("该活动接受预约，须有举办场馆（签到在场馆进行）")]
    if activity.end_at <= activity.start_at:
        errors["end_at"] = [_("该活动接受预约，结束时间应晚于开始时间")]
    if errors:
        raise FieldErrors(errors)


def _moved_text(activity: Activity, before: Schedule, venue: Venue) -> str:
    if activity.venue_id != before.venue_id:
        return str(
            _("您预约的活动“%(title)s”改为 %(at)s 在 %(venue)s 举行（原定 %(was)s）")
            % {
                "title": activity.title,
                "at": local_text(activity.start_at),
                "venue": venue.name_zh,
                "was": local_text(before.start_at),
            }
        )
    return str(
        _("您预约的活动“%(title)s”时间改为 %(at)s 至 %(end)s（原定 %(was)s）")
        % {
            "title": activity.title,
            "at": local_text(activity.start_at),
            "end": timezone.localtime(activity.end_at).strftime("%H:%M"),
            "was": local_text(before.start_at),
        }
    )


@transaction.atomic
def activity_bookings_reschedule(
    *, actor: Any, activity: Activity, before: Schedule
) -> list[Booking]:
    """``activity`` moved from ``before`` (its new start, end and venue are saved): its bookings
    follow, the people expecting to come are told. Returns the bookings moved. Refuses
    (FieldErrors) an activity taking bookings left without a venue or not ending after it
    starts."""
    seats = ActivitySeats.objects.select_for_update().filter(activity_id=activity.pk).first()
    if seats is None:
        return []
    _refuse_unbookable(activity)
    assert activity.venue_id is not None  # refused above
    venue = Venue.objects.select_related("operator_unit").get(pk=activity.venue_id)
    if seats.closes_at is not None and seats.closes_at > activity.start_at:
        audit_record(
            actor=actor_of(actor),
            action="booking.seats_changed",
            target=activity,
            org_path=venue.operator_unit.path,
            before={"closes_at": seats.closes_at.isoformat()},
            after={"closes_at": None},
        )
        seats.closes_at = None
        seats.save(update_fields=["closes_at", "updated_at"])
    moved = _concerned(activity.pk)
    text = _moved_text(activity, before, venue)
    for booking in moved:
        audit_record(
            actor=actor_of(actor),
            action="booking.rescheduled",
            target=booking,
            org_path=booking_org_path(booking),
            before={
                "start_at": booking.start_at.isoformat(),
                "end_at": booking.end_at.isoformat(),
                "venue_id": booking.venue_id,
            },
            after={
                "start_at": activity.start_at.isoformat(),
                "end_at": activity.end_at.isoformat(),
                "venue_id": activity.venue_id,
            },
        )
        booking.start_at, booking.end_at = activity.start_at, activity.end_at
        booking.venue = venue
        booking.save(update_fields=["start_at", "end_at", "venue", "updated_at"])
        if booking.status in EXPECTING:
            notify(user=booking.user, kind="booking.rescheduled", text=text,
                   url=booking_url(booking))  # fmt: skip
    return moved
