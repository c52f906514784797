"""Seats of activities: making an activity bookable, booking a seat, the waiting list, cancelling,
approving.

The guarantee: ``ActivitySeats.taken`` moves only by conditional UPDATEs in the transaction that
writes the booking (``taken = taken + 1 WHERE taken < capacity``). On PostgreSQL an UPDATE that
waited for another's row lock re-checks its WHERE on the row as committed, so the last seat goes
to exactly one request; on SQLite transactions are IMMEDIATE and take turns. The CHECK constraint
``taken <= capacity`` and the partial unique indexes (one active booking per person per
activity, one booking per waiting-list position) back it in the database.

Lock order (no deadlocks on PostgreSQL): the seats row first, then booking rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext_lazy as _

from culture.accounts.notifications import notify
from culture.activities.models import Activity
from culture.booking.errors import BookingRefused
from culture.booking.models import (
    ACTIVE_STATUSES,
    HOLDING_STATUSES,
    ActivitySeats,
    Booking,
    BookingStatus,
)
from culture.booking.services.common import (
    actor_of,
    check_not_suspended,
    is_venue_staff,
    local_text,
    new_code,
    now_or,
    require_resident,
    require_venue_staff,
    run_create,
)
from culture.core.audit import audit_record, snapshot
from culture.core.errors import FieldErrors, ValidationFailed
from culture.core.scope import viewer_scope

SEATS_FIELDS = (
    "capacity",
    "waitlist_enabled",
    "needs_approval",
    "opens_at",
    "closes_at",
    "cancel_deadline_hours",
)
MAX_CAPACITY = 100_000
MAX_DEADLINE_HOURS = 24 * 30


def _org_path(booking_or_activity: Any) -> str:
    venue = getattr(booking_or_activity, "venue", None)
    return venue.operator_unit.path if venue is not None else ""


def _booking_url(booking: Booking) -> str:
    return f"/booking/b/{booking.code}/"


# ----- settings of an activity ----------------------------------------------------------
def _require_activity_staff(actor: Any, activity: Activity) -> None:
    """The activity's venue staff, or staff who may write its organiser."""
    if actor is None:
        return
    scope = viewer_scope(actor)
    if not scope.is_read_only and scope.can_write_path(activity.organiser_path):
        return
    require_venue_staff(actor, activity.venue)


def _clean_seats(activity: Activity, data: dict[str, Any], taken: int) -> dict[str, Any]:
    errors: dict[str, list[Any]] = {}
    capacity = data["capacity"]
    try:
        capacity = int(capacity)
    except (TypeError, ValueError):
        errors["capacity"] = [_("名额应为正整数")]
    else:
        if capacity < 1 or capacity > MAX_CAPACITY:
            errors["capacity"] = [_("名额应在 1 到 100,000 之间")]
        elif capacity < taken:
            errors["capacity"] = [
                _("已有 %(taken)d 人预约，名额不能少于 %(taken)d") % {"taken": taken}
            ]
    try:
        hours = int(data["cancel_deadline_hours"])
    except (TypeError, ValueError):
        errors["cancel_deadline_hours"] = [_("取消截止时间应为整数小时")]
    else:
        if hours < 0 or hours > MAX_DEADLINE_HOURS:
            errors["cancel_deadline_hours"] = [_("取消截止时间应在 0 到 720 小时之间")]
    opens, closes = data["opens_at"], data["closes_at"]
    if opens is not None and closes is not None and closes <= opens:
        errors["closes_at"] = [_("截止预约时间应晚于开放预约时间")]
    if closes is not None and closes > activity.start_at:
        errors["closes_at"] = [_("截止预约时间不能晚于活动开始时间")]
    if errors:
        if list(errors) == ["capacity"]:
            raise ValidationFailed(errors["capacity"][0], field="capacity")
        raise FieldErrors(errors)
    data["capacity"] = capacity
    data["cancel_deadline_hours"] = hours
    data["waitlist_enabled"] = bool(data["waitlist_enabled"])
    data["needs_approval"] = bool(data["needs_approval"])
    return data


@transaction.atomic
def seats_set(
    *,
    actor: Any,
    activity: Activity,
    capacity: int,
    waitlist_enabled: bool = True,
    needs_approval: bool = False,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    cancel_deadline_hours: int = 2,
    now: datetime | None = None,
) -> ActivitySeats:
    """Make ``activity`` bookable or change its booking settings. Raising the capacity promotes
    from the waiting list; lowering it below the seats taken is refused."""
    activity = Activity.objects.select_related("venue__operator_unit").get(pk=activity.pk)
    _require_activity_staff(actor, activity)
    if activity.cancelled:
        raise ValidationFailed(_("活动已取消，不能开放预约"), code="not_open")
    if activity.venue is None:
        raise ValidationFailed(_("活动没有举办场馆，不能开放预约（签到在场馆进行）"))
    if activity.end_at <= activity.start_at:
        raise ValidationFailed(_("活动的结束时间应晚于开始时间，才能开放预约"))
    seats = ActivitySeats.objects.select_for_update().filter(activity=activity).first()
    data = _clean_seats(
        activity,
        {
            "capacity": capacity,
            "waitlist_enabled": waitlist_enabled,
            "needs_approval": needs_approval,
            "opens_at": opens_at,
            "closes_at": closes_at,
            "cancel_deadline_hours": cancel_deadline_hours,
        },
        seats.taken if seats is not None else 0,
    )
    before = snapshot(seats, SEATS_FIELDS) if seats is not None else None
    if seats is None:
        seats = ActivitySeats.objects.create(activity=activity, **data)
    else:
        for k, v in data.items():
            setattr(seats, k, v)
        if snapshot(seats, SEATS_FIELDS) == before:
            return seats
        seats.save(update_fields=[*SEATS_FIELDS, "updated_at"])
    audit_record(
        actor=actor_of(actor),
        action="booking.seats_changed",
        target=activity,
        org_path=_org_path(activity),
        before=before,
        after=snapshot(seats, SEATS_FIELDS),
    )
    promote_waiting(seats=seats, now=now)
    seats.refresh_from_db()
    return seats


# ----- booking a seat --------------------------------------------------------------------
def _check_open(activity: Activity, seats: ActivitySeats | None, now: datetime) -> ActivitySeats:
    if seats is None or activity.cancelled:
        raise ValidationFailed(_("该活动不接受预约"), code="not_open")
    if seats.opens_at is not None and now < seats.opens_at:
        raise ValidationFailed(
            _("预约将于 %(at)s 开放") % {"at": local_text(seats.opens_at)}, code="not_open"
        )
    closes = seats.closes_at or activity.start_at
    if now >= closes:
        raise ValidationFailed(
            _("预约已于 %(at)s 截止") % {"at": local_text(closes)}, code="too_late"
        )
    return seats


def _check_duplicate(user: Any, activity: Activity) -> None:
    if Booking.objects.filter(activity=activity, user=user, status__in=ACTIVE_STATUSES).exists():
        raise BookingRefused(_("您已预约（或候补）了这个活动"), code="duplicate")


def _full() -> BookingRefused:
    return BookingRefused(_("名额已满"), code="full")


def _take_seat(seats_pk: int) -> bool:
    """The conditional UPDATE: one seat more, only while one is free."""
    return bool(
        ActivitySeats.objects.filter(pk=seats_pk, taken__lt=F("capacity")).update(
            taken=F("taken") + 1
        )
    )


def _new_booking(
    user: Any, activity: Activity, status: str, position: int | None = None
) -> Booking:
    return Booking.objects.create(
        user=user,
        activity=activity,
        venue_id=activity.venue_id,
        start_at=activity.start_at,
        end_at=activity.end_at,
        status=status,
        waitlist_position=position,
        code=new_code(),
    )


def _book_guarded(user: Any, activity: Activity, now: datetime) -> Booking:
    seats = _check_open(activity, ActivitySeats.objects.filter(activity=activity).first(), now)
    check_not_suspended(user, now)
    _check_duplicate(user, activity)
    status = BookingStatus.PENDING if seats.needs_approval else BookingStatus.CONFIRMED
    position = None
    if not _take_seat(seats.pk):
        if not seats.waitlist_enabled:
            raise _full()
        # Full: lock the row, so waiting-list positions are handed out one at a time (and a
        # seat freed meanwhile is seen).
        seats = ActivitySeats.objects.select_for_update().get(pk=seats.pk)
        if not _take_seat(seats.pk):
            last = Booking.objects.filter(
                activity=activity, status=BookingStatus.WAITLISTED
            ).aggregate(m=Max("waitlist_position"))["m"]
            status, position = BookingStatus.WAITLISTED, (last or 0) + 1
    # The activity was read before this transaction: a cancellation or a move that committed
    # while this request waited for the seats row (both lock it) is seen only now.
    activity.refresh_from_db(fields=["cancelled", "start_at", "end_at", "venue"])
    if activity.cancelled:
        raise ValidationFailed(_("该活动不接受预约"), code="not_open")
    booking = _new_booking(user, activity, status, position)
    _audit_created(user, booking, activity)
    return booking


def _book_unguarded(user: Any, activity: Activity, now: datetime) -> Booking:
    """The negative control: count, then insert; no counter, no lock (the race it shows)."""
    seats = _check_open(activity, ActivitySeats.objects.filter(activity=activity).first(), now)
    check_not_suspended(user, now)
    _check_duplicate(user, activity)
    held = Booking.objects.filter(activity=activity, status__in=HOLDING_STATUSES).count()
    if held >= seats.capacity:
        raise _full()
    status = BookingStatus.PENDING if seats.needs_approval else BookingStatus.CONFIRMED
    booking = _new_booking(user, activity, status)
    _audit_created(user, booking, activity)  # the same work as the guarded path, but the guard
    return booking


def _audit_created(user: Any, booking: Booking, activity: Activity) -> None:
    audit_record(
        actor=user,
        action="booking.created",
        target=booking,
        org_path=_org_path(activity),
        after=snapshot(booking, ("activity_id", "status", "waitlist_position", "start_at")),
    )


def activity_book(
    *, user: Any, activity: Activity, idempotency_key: str = "", now: datetime | None = None
) -> Booking:
    """Book a seat of ``activity`` for ``user``: confirmed, pending (approval needed) or
    waitlisted with a position (full, waiting list on). Refusals: BookingRefused ("full",
    "duplicate"), ValidationFailed ("not_open", "too_late"), BookingSuspended."""
    require_resident(user)
    now = now_or(now)
    activity = Activity.objects.select_related("venue__operator_unit").get(pk=activity.pk)
    guarded = settings.CULTURE_BOOKING_GUARD
    return run_create(
        user=user,
        key=idempotency_key,
        target=f"activity:{activity.pk}",
        work=lambda: (_book_guarded if guarded else _book_unguarded)(user, activity, now),
        conflict=lambda: BookingRefused(_("您已预约（或候补）了这个活动"), code="duplicate"),
    )


# ----- the waiting list ------------------------------------------------------------------
def promote_waiting(*, seats: ActivitySeats, now: datetime | None = None) -> list[Booking]:
    """Give free seats to the waiting list in order, while the activity has not started; each
    promoted person is told. Call inside the transaction that freed the seats."""
    now = now_or(now)
    activity = Activity.objects.select_related("venue__operator_unit").get(pk=seats.activity_id)
    promoted: list[Booking] = []
    if now >= activity.start_at:
        return promoted
    needs_approval = ActivitySeats.objects.values_list("needs_approval", flat=True).get(pk=seats.pk)
    while True:
        nxt = (
            Booking.objects.select_for_update()
            .filter(activity_id=seats.activity_id, status=BookingStatus.WAITLISTED)
            .order_by("waitlist_position")
            .first()
        )
        if nxt is None or not _take_seat(seats.pk):
            break
        nxt.status = BookingStatus.PENDING if needs_approval else BookingStatus.CONFIRMED
        nxt.waitlist_position = None
        nxt.save(update_fields=["status", "waitlist_position", "updated_at"])
        audit_record(
            actor="system",
            action="booking.promoted",
            target=nxt,
            org_path=_org_path(activity),
            after={"status": nxt.status},
        )
        text = _("候补成功：您已获得“%(title)s”（%(at)s）的名额") % {
            "title": activity.title,
            "at": local_text(activity.start_at),
        }
        if needs_approval:
            text = _("候补成功：您已获得“%(title)s”（%(at)s）的名额，等待审核") % {
                "title": activity.title,
                "at": local_text(activity.start_at),
            }
        notify(user=nxt.user, kind="booking.promoted", text=text, url=_booking_url(nxt))
        promoted.append(nxt)
    return promoted


def release_seat(booking: Booking, *, now: datetime) -> None:
    """The seat ``booking`` held is free again (its status already changed, seats row locked):
    move the counter down and promote the first on the waiting list."""
    assert booking.activity_id is not None
    ActivitySeats.objects.filter(activity_id=booking.activity_id).update(taken=F("taken") - 1)
    seats = ActivitySeats.objects.get(activity_id=booking.activity_id)
    promote_waiting(seats=seats, now=now)


def lock_seats(booking: Booking) -> ActivitySeats | None:
    if booking.activity_id is None:
        return None
    return ActivitySeats.objects.select_for_update().filter(activity_id=booking.activity_id).first()


def is_booking_staff(actor: Any, booking: Booking) -> bool:
    """Staff who may manage ``booking``: of its venue, or (an activity) of its organiser."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if booking.activity is not None:
        scope = viewer_scope(actor)
        if not scope.is_read_only and scope.can_write_path(booking.activity.organiser_path):
            return True
    return is_venue_staff(actor, booking.venue)
