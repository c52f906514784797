"""After a booking is made: cancelling (by its holder before the deadline, by venue staff any
time), approving and rejecting. Freeing a place moves the seat counter down and promotes the
waiting list, or deletes the room cells the booking claimed, in the same transaction."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.accounts.notifications import notify
from culture.booking.models import (
    ActivitySeats,
    Booking,
    BookingStatus,
    RoomBookingRule,
    RoomSlotClaim,
)
from culture.booking.services.common import actor_of, local_text, now_or
from culture.booking.services.seats import is_booking_staff, lock_seats, release_seat
from culture.core.audit import audit_record
from culture.core.errors import OutOfScope, ValidationFailed

CANCELLABLE = (BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)
MAX_REASON = 200
DEFAULT_DEADLINE_HOURS = 2


def booking_url(booking: Booking) -> str:
    return f"/booking/b/{booking.code}/"


def booking_title(booking: Booking) -> str:
    if booking.activity is not None:
        return booking.activity.title
    return str(booking.room) if booking.room is not None else booking.code


def booking_org_path(booking: Booking) -> str:
    return booking.venue.operator_unit.path if booking.venue is not None else ""


def _fresh(booking: Booking, *, lock: bool) -> Booking:
    qs = Booking.objects.select_related("activity", "room", "venue__operator_unit", "user")
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.get(pk=booking.pk)


def _locked(booking: Booking) -> Booking:
    """The booking row locked, after its activity's seats row (the lock order of seats.py)."""
    booking = _fresh(booking, lock=False)
    lock_seats(booking)
    return _fresh(booking, lock=True)


def cancel_deadline(booking: Booking) -> datetime:
    """The last moment (exclusive) its holder may cancel it."""
    hours = DEFAULT_DEADLINE_HOURS
    if booking.activity_id is not None:
        seats = ActivitySeats.objects.filter(activity_id=booking.activity_id).first()
        hours = seats.cancel_deadline_hours if seats is not None else hours
    elif booking.room_id is not None:
        rule = RoomBookingRule.objects.filter(room_id=booking.room_id).first()
        hours = rule.cancel_deadline_hours if rule is not None else hours
    return booking.start_at - timedelta(hours=hours)


def free_place(booking: Booking, *, held: bool, now: datetime) -> None:
    """Give back what ``booking`` held (its status already changed away from holding)."""
    if booking.room_id is not None:
        RoomSlotClaim.objects.filter(booking=booking).delete()
    elif held:
        release_seat(booking, now=now)


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise ValidationFailed(_("原因最多 200 个字"), field="reason")
    return reason


@transaction.atomic
def booking_cancel(
    *, actor: Any, booking: Booking, reason: str = "", now: datetime | None = None
) -> Booking:
    """Cancel ``booking``: its holder before the deadline ("too_late" after it; a waiting-list
    place any time), staff of the venue any time with a reason. The freed place goes to the
    first on the waiting list, who is told; a booking cancelled by staff is told to its holder."""
    now = now_or(now)
    booking = _locked(booking)
    reason = _clean_reason(reason)
    own = actor is not None and getattr(actor, "pk", None) == booking.user_id
    staff = actor is None or is_booking_staff(actor, booking)
    if not own and not staff:
        raise OutOfScope(_("只能取消自己的预约"))
    if booking.status not in CANCELLABLE:
        raise ValidationFailed(
            _("该预约状态为“%(status)s”，不能取消") % {"status": booking.get_status_display()},
            code="not_cancellable",
        )
    if not own and not reason:
        raise ValidationFailed(_("取消他人的预约须填写原因"), field="reason")
    if own and not staff and booking.status != BookingStatus.WAITLISTED:
        deadline = cancel_deadline(booking)
        if now >= deadline:
            raise ValidationFailed(
                _("已过取消截止时间（%(at)s），不能取消") % {"at": local_text(deadline)},
                code="too_late",
            )
    held = booking.holds_place
    before = booking.status
    booking.status = BookingStatus.CANCELLED
    booking.waitlist_position = None
    booking.cancelled_at = timezone.now()
    booking.cancel_reason = reason
    booking.save(
        update_fields=["status", "waitlist_position", "cancelled_at", "cancel_reason", "updated_at"]
    )
    audit_record(
        actor=actor_of(actor),
        action="booking.cancelled",
        target=booking,
        org_path=booking_org_path(booking),
        before={"status": before},
        after={"status": booking.status, "reason": reason},
    )
    free_place(booking, held=held, now=now)
    if not own:
        notify(
            user=booking.user,
            kind="booking.cancelled",
            text=_("您的预约“%(title)s”（%(at)s）已被取消：%(reason)s")
            % {
                "title": booking_title(booking),
                "at": local_text(booking.start_at),
                "reason": reason or _("未说明"),
            },  # fmt: skip
            url=booking_url(booking),
        )
    return booking


def _require_pending(actor: Any, booking: Booking) -> None:
    if actor is not None and not is_booking_staff(actor, booking):
        raise OutOfScope(_("该场馆不在您的管辖范围内，不能审核其预约"))
    if booking.status != BookingStatus.PENDING:
        raise ValidationFailed(
            _("该预约状态为“%(status)s”，无需审核") % {"status": booking.get_status_display()},
            code="not_pending",
        )


@transaction.atomic
def booking_approve(*, actor: Any, booking: Booking) -> Booking:
    booking = _locked(booking)
    _require_pending(actor, booking)
    booking.status = BookingStatus.CONFIRMED
    booking.decided_at = timezone.now()
    booking.save(update_fields=["status", "decided_at", "updated_at"])
    audit_record(
        actor=actor_of(actor),
        action="booking.approved",
        target=booking,
        org_path=booking_org_path(booking),
        before={"status": BookingStatus.PENDING},
        after={"status": booking.status},
    )
    notify(
        user=booking.user,
        kind="booking.approved",
        text=_("您的预约“%(title)s”（%(at)s）已通过审核")
        % {"title": booking_title(booking), "at": local_text(booking.start_at)},
        url=booking_url(booking),
    )
    return booking


@transaction.atomic
def booking_reject(
    *, actor: Any, booking: Booking, reason: str, now: datetime | None = None
) -> Booking:
    now = now_or(now)
    booking = _locked(booking)
    _require_pending(actor, booking)
    reason = _clean_reason(reason)
    if not reason:
        raise ValidationFailed(_("请填写不通过的原因"), field="reason")
    booking.status = BookingStatus.REJECTED
    booking.decided_at = timezone.now()
    booking.cancel_reason = reason
    booking.save(update_fields=["status", "decided_at", "cancel_reason", "updated_at"])
    audit_record(
        actor=actor_of(actor),
        action="booking.rejected",
        target=booking,
        org_path=booking_org_path(booking),
        before={"status": BookingStatus.PENDING},
        after={"status": booking.status, "reason": reason},
    )
    free_place(booking, held=True, now=now)
    notify(
        user=booking.user,
        kind="booking.rejected",
        text=_("您的预约“%(title)s”（%(at)s）未通过审核：%(reason)s")
        % {"title": booking_title(booking), "at": local_text(booking.start_at), "reason": reason},
        url=booking_url(booking),
    )
    return booking
