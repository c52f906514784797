"""Rooms: booking rules, booking a time, maintenance blocks.

The guarantee: a room booking (and a block) claims every 15-minute cell it covers in
``RoomSlotClaim``, whose unique index (room, cell_start) lets only one of two overlapping
bookings commit, on SQLite and PostgreSQL alike. The claims are inserted in a savepoint: a unique
violation there means the time was taken first ("slot_taken"), and the booking row is rolled back
with it. Touching bookings (one ends when the next starts) share no cell.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.accounts.models import User
from culture.accounts.notifications import notify
from culture.booking import slots
from culture.booking.errors import BookingRefused
from culture.booking.models import (
    HOLDING_STATUSES,
    Booking,
    BookingStatus,
    RoomBlock,
    RoomBookingRule,
    RoomSlotClaim,
)
from culture.booking.services.common import (
    actor_of,
    check_not_suspended,
    local_text,
    new_code,
    now_or,
    require_resident,
    require_venue_staff,
    run_create,
)
from culture.booking.services.lifecycle import booking_org_path, booking_url, free_place
from culture.core.audit import audit_record, snapshot
from culture.core.errors import FieldErrors, ValidationFailed
from culture.venues import hours
from culture.venues.models import Room

RULE_FIELDS = (
    "enabled",
    "bookable_hours",
    "slot_minutes",
    "max_slots",
    "advance_days",
    "per_person_limit",
    "needs_approval",
    "cancel_deadline_hours",
)
# (min, max) of the whole-number fields.
RULE_RANGES = {
    "slot_minutes": (15, 8 * 60),
    "max_slots": (1, 48),
    "advance_days": (0, 365),
    "per_person_limit": (1, 100),
    "cancel_deadline_hours": (0, 24 * 30),
}
MAX_BLOCK = timedelta(days=92)
MAX_PURPOSE = 200
# Bookings of a room a person may still use (counted against the per-person limit).
OPEN_STATUSES = (BookingStatus.PENDING, BookingStatus.CONFIRMED)


def _org_path(room: Room) -> str:
    return room.venue.operator_unit.path


def _room(room: Room, *, lock: bool = False) -> Room:
    qs = Room.objects.select_related("venue__operator_unit")
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.get(pk=room.pk)


# ----- rules -------------------------------------------------------------------------------
def _clean_rule(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[Any]] = {}
    for name, (lo, hi) in RULE_RANGES.items():
        try:
            value = int(data[name])
        except (TypeError, ValueError):
            errors[name] = [_("应为整数")]
            continue
        if not lo <= value <= hi:
            errors[name] = [_("应在 %(lo)d 到 %(hi)d 之间") % {"lo": lo, "hi": hi}]
        data[name] = value
    if "slot_minutes" not in errors and data["slot_minutes"] % 15:
        errors["slot_minutes"] = [_("时段长度应为 15 分钟的整数倍")]
    text = " ".join((data["bookable_hours"] or "").split())
    if text:
        try:
            hours.parse(text)
        except ValidationFailed as exc:
            errors["bookable_hours"] = [exc.message]
    data["bookable_hours"] = text
    if len(text) > 500:
        errors["bookable_hours"] = [_("可预约时段最多 500 个字符")]
    data["enabled"] = bool(data["enabled"])
    data["needs_approval"] = bool(data["needs_approval"])
    if errors:
        raise FieldErrors(errors)
    return data


@transaction.atomic
def room_rule_set(*, actor: Any, room: Room, **fields: Any) -> RoomBookingRule:
    """Create or change the booking rule of ``room`` (fields not given keep their value, or the
    model's default for a new rule)."""
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise FieldErrors({k: [_("该字段不可设置")] for k in sorted(unknown)})
    room = _room(room, lock=True)
    require_venue_staff(actor, room.venue)
    rule = RoomBookingRule.objects.filter(room=room).first()
    base = rule or RoomBookingRule(room=room)
    before = snapshot(rule, RULE_FIELDS) if rule is not None else None
    data = _clean_rule({**{f: getattr(base, f) for f in RULE_FIELDS}, **fields})
    for k, v in data.items():
        setattr(base, k, v)
    if rule is not None and snapshot(base, RULE_FIELDS) == before:
        return base
    base.save()
    audit_record(
        actor=actor_of(actor),
        action="booking.rule_changed",
        target=room,
        org_path=_org_path(room),
        before=before,
        after=snapshot(base, RULE_FIELDS),
    )
    return base


# ----- booking a room ----------------------------------------------------------------------
def _aware(value: datetime) -> datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_current_timezone())
    return value


def _bad_slot(message: Any) -> ValidationFailed:
    return ValidationFailed(message, field="start_at", code="bad_slot")


def check_room_time(
    *, room: Room, rule: RoomBookingRule, start: datetime, end: datetime, now: datetime
) -> None:
    """The rule's checks of a time, in the order a person can fix them."""
    if not slots.is_aligned(start) or not slots.is_aligned(end) or end <= start:
        raise _bad_slot(_("请选择完整的时段"))
    if start < now:
        raise ValidationFailed(_("该时段已开始或已过去"), field="start_at", code="too_late")
    if start - now > timedelta(days=rule.advance_days):
        raise ValidationFailed(
            _("最多可提前 %(days)d 天预约") % {"days": rule.advance_days},
            field="start_at",
            code="too_far_ahead",
        )
    day = timezone.localdate(start)
    spans = slots.bookable_spans(room=room, rule=rule, day=day)
    span = next(((a, b) for a, b in spans if a <= start < b), None)
    if span is None or end > span[1]:
        raise ValidationFailed(
            _("所选时间不在可预约时段内"), field="start_at", code="outside_hours"
        )
    length = timedelta(minutes=rule.slot_minutes)
    if (start - span[0]) % length or (end - start) % length:
        raise _bad_slot(_("请按 %(minutes)d 分钟一个时段预约") % {"minutes": rule.slot_minutes})
    if span[0] + ((span[1] - span[0]) // length) * length < end:
        raise ValidationFailed(
            _("所选时间不在可预约时段内"), field="start_at", code="outside_hours"
        )
    n = (end - start) // length
    if n > rule.max_slots:
        raise _bad_slot(_("每次最多预约 %(n)d 个时段") % {"n": rule.max_slots})


def _check_room_open(room: Room) -> RoomBookingRule:
    rule = RoomBookingRule.objects.filter(room=room).first()
    if rule is None or not rule.enabled or not room.is_active:
        raise ValidationFailed(_("该活动室暂不接受预约"), code="not_open")
    if room.venue.status != "open":
        raise ValidationFailed(_("场馆未开放，不能预约"), code="not_open")
    return rule


def _check_people(room: Room, people: Any) -> int:
    try:
        n = int(people)
    except (TypeError, ValueError):
        n = 0
    if not 1 <= n <= room.capacity:
        raise ValidationFailed(
            _("人数应在 1 到 %(n)d 之间（活动室容纳人数）") % {"n": room.capacity},
            field="people",
        )
    return n


def _check_limit(user: Any, room: Room, rule: RoomBookingRule, now: datetime) -> None:
    held = Booking.objects.filter(
        user=user, room=room, status__in=OPEN_STATUSES, end_at__gt=now
    ).count()
    if held >= rule.per_person_limit:
        raise ValidationFailed(
            _("您在该活动室已有 %(n)d 个未结束的预约，已达上限") % {"n": held},
            code="limit_reached",
        )


def _slot_taken(blocked: bool = False) -> BookingRefused:
    if blocked:
        return BookingRefused(_("该时段活动室停用，不能预约"), code="slot_taken")
    return BookingRefused(_("该时段已被预约"), code="slot_taken")


def _prepare(
    user: Any, room: Room, start: datetime, end: datetime, purpose: str, people: Any, now: datetime
) -> tuple[RoomBookingRule, int]:
    rule = _check_room_open(room)
    check_room_time(room=room, rule=rule, start=start, end=end, now=now)
    n = _check_people(room, people)
    if len(purpose) > MAX_PURPOSE:
        raise ValidationFailed(_("用途最多 200 个字"), field="purpose")
    check_not_suspended(user, now)
    _check_limit(user, room, rule, now)
    return rule, n


def _insert(user: Any, room: Room, rule: RoomBookingRule, start, end, purpose, n) -> Booking:
    return Booking.objects.create(
        user=user,
        room=room,
        venue_id=room.venue_id,
        start_at=start,
        end_at=end,
        status=BookingStatus.PENDING if rule.needs_approval else BookingStatus.CONFIRMED,
        purpose=purpose,
        people=n,
        code=new_code(),
    )


def _book_room_guarded(user, room, start, end, purpose, people, now) -> Booking:
    # One person's requests take turns (the per-person limit); PostgreSQL only, SQLite's
    # IMMEDIATE transactions already do.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    rule, n = _prepare(user, room, start, end, purpose, people, now)
    claimed = slots._claimed(room, start, end)
    if claimed:
        raise _slot_taken(blocked=slots.BLOCKED in claimed.values())
    booking = _insert(user, room, rule, start, end, purpose, n)
    try:
        with transaction.atomic():
            RoomSlotClaim.objects.bulk_create(
                RoomSlotClaim(room=room, cell_start=c, booking=booking)
                for c in slots.cells(start, end)
            )
    except IntegrityError:
        raise _slot_taken() from None
    _audit_created(user, booking, room)
    return booking


def _audit_created(user: Any, booking: Booking, room: Room) -> None:
    audit_record(
        actor=user,
        action="booking.created",
        target=booking,
        org_path=_org_path(room),
        after=snapshot(booking, ("room_id", "status", "start_at", "end_at", "people")),
    )


def _book_room_unguarded(user, room, start, end, purpose, people, now) -> Booking:
    """The negative control: look for an overlapping booking, then insert; no cells claimed."""
    rule, n = _prepare(user, room, start, end, purpose, people, now)
    overlapping = Booking.objects.filter(
        room=room, status__in=HOLDING_STATUSES, start_at__lt=end, end_at__gt=start
    ).exists()
    if (
        overlapping
        or RoomBlock.objects.filter(room=room, start_at__lt=end, end_at__gt=start).exists()
    ):
        raise _slot_taken()
    booking = _insert(user, room, rule, start, end, purpose, n)
    _audit_created(user, booking, room)  # the same work as the guarded path, but the guard
    return booking


def room_book(
    *,
    user: Any,
    room: Room,
    start_at: datetime,
    end_at: datetime,
    purpose: str = "",
    people: int = 1,
    idempotency_key: str = "",
    now: datetime | None = None,
) -> Booking:
    """Book ``room`` from ``start_at`` to ``end_at`` (whole slots of its grid, within its
    bookable hours, at most max_slots, not more than advance_days ahead, within the per-person
    limit). Refusals: BookingRefused ("slot_taken"), ValidationFailed ("not_open",
    "too_far_ahead", "outside_hours", "bad_slot", "limit_reached", "too_late"),
    BookingSuspended."""
    require_resident(user)
    now = now_or(now)
    room = _room(room)
    start, end = _aware(start_at), _aware(end_at)
    purpose = (purpose or "").strip()
    work = _book_room_guarded if settings.CULTURE_BOOKING_GUARD else _book_room_unguarded
    return run_create(
        user=user,
        key=idempotency_key,
        target=f"room:{room.pk}:{start.isoformat()}:{end.isoformat()}",
        work=lambda: work(user, room, start, end, purpose, people, now),
        conflict=_slot_taken,
    )


# ----- blocks ------------------------------------------------------------------------------
def _clean_block(start: datetime, end: datetime, reason: str) -> str:
    reason = (reason or "").strip()
    errors: dict[str, list[Any]] = {}
    if not reason:
        errors["reason"] = [_("请填写停用原因")]
    elif len(reason) > 200:
        errors["reason"] = [_("原因最多 200 个字")]
    if not slots.is_aligned(start) or not slots.is_aligned(end):
        errors["start_at"] = [_("停用时间应按 15 分钟对齐（如 09:00、09:15）")]
    elif end <= start:
        errors["end_at"] = [_("结束时间应晚于开始时间")]
    elif end - start > MAX_BLOCK:
        errors["end_at"] = [_("一次停用最长 92 天")]
    if errors:
        raise FieldErrors(errors)
    return reason


def _cancel_for_block(actor: Any, booking: Booking, reason: str, now: datetime) -> None:
    before = booking.status
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.cancel_reason = reason
    booking.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    free_place(booking, held=True, now=now)
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
        text=_("活动室“%(room)s”在 %(at)s 停用（%(reason)s），您的预约已取消")
        % {"room": str(booking.room), "at": local_text(booking.start_at), "reason": reason},
        url=booking_url(booking),
    )


@transaction.atomic
def room_block_create(
    *,
    actor: Any,
    room: Room,
    start_at: datetime,
    end_at: datetime,
    reason: str,
    now: datetime | None = None,
) -> tuple[RoomBlock, list[Booking]]:
    """Close ``room`` from ``start_at`` to ``end_at``: bookings in that time are cancelled
    (returned) and their holders told. Bookings already checked in or marked no-show, and other
    blocks, are not overridden: the block is refused."""
    now = now_or(now)
    room = _room(room, lock=True)
    require_venue_staff(actor, room.venue)
    start, end = _aware(start_at), _aware(end_at)
    reason = _clean_block(start, end, reason)
    if RoomBlock.objects.filter(room=room, start_at__lt=end, end_at__gt=start).exists():
        raise ValidationFailed(
            _("该时间与活动室已有的停用时间重叠"), field="start_at", code="overlap"
        )
    cancelled: list[Booking] = []
    for _attempt in range(3):
        colliding = list(
            Booking.objects.select_for_update(of=("self",))
            .select_related("room__venue__operator_unit", "user")
            .filter(room=room, status__in=HOLDING_STATUSES, start_at__lt=end, end_at__gt=start)
        )
        used = [b for b in colliding if b.status not in OPEN_STATUSES]
        if used:
            raise ValidationFailed(
                _("该时间内有已签到或已记未到场的预约（%(at)s），不能停用")
                % {"at": local_text(used[0].start_at)},
                field="start_at",
                code="overlap",
            )
        for booking in colliding:
            _cancel_for_block(actor, booking, reason, now)
            cancelled.append(booking)
        try:
            with transaction.atomic():
                block = RoomBlock.objects.create(
                    room=room,
                    start_at=start,
                    end_at=end,
                    reason=reason,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
                RoomSlotClaim.objects.bulk_create(
                    RoomSlotClaim(room=room, cell_start=c, block=block)
                    for c in slots.cells(start, end)
                )
        except IntegrityError:  # a booking committed in between (PostgreSQL): cancel it too
            continue
        break
    else:
        raise BookingRefused(_("该时间段正被频繁预约，请稍后再试"), code="slot_taken")
    audit_record(
        actor=actor_of(actor),
        action="booking.room_blocked",
        target=room,
        org_path=_org_path(room),
        after={
            "block": block.pk,
            "start_at": start,
            "end_at": end,
            "reason": reason,
            "cancelled": [b.code for b in cancelled],
        },
    )
    return block, cancelled


@transaction.atomic
def room_block_delete(*, actor: Any, block: RoomBlock) -> None:
    """Reopen the time of ``block`` (its cells are freed)."""
    room = _room(block.room, lock=True)
    require_venue_staff(actor, room.venue)
    block = RoomBlock.objects.get(pk=block.pk)
    audit_record(
        actor=actor_of(actor),
        action="booking.room_unblocked",
        target=room,
        org_path=_org_path(room),
        before={"block": block.pk, "start_at": block.start_at, "end_at": block.end_at,
                "reason": block.reason},
        after={"block": None},
    )  # fmt: skip
    block.delete()
