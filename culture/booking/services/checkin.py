"""At the desk: checking people in (QR code, typed code, social-security card), marking no-shows,
and the attendance of activities from their check-ins.

A check-in of an activity booking sets the activity's attendance to the number of people
checked in (attendance source "checkins") through the activities' own service, so the month
and week summaries and the standards engine count them. A second scan of the same booking
changes nothing and says so (``already``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.accounts.models import Resident
from culture.accounts.notifications import notify
from culture.activities.kinds import AttendanceSource
from culture.activities.models import Activity
from culture.activities.services import activity_attendance_set
from culture.booking.models import Booking, BookingStatus, CheckInMethod
from culture.booking.services.common import (
    CODE_ALPHABET,
    CODE_LENGTH,
    actor_of,
    booking_suspended_until,
    local_text,
    normalise_code,
    now_or,
    require_venue_staff,
)
from culture.booking.services.lifecycle import booking_org_path, booking_title, booking_url
from culture.booking.services.seats import is_booking_staff
from culture.core.audit import audit_record
from culture.core.errors import NotFound, OutOfScope, ValidationFailed
from culture.core.personal import lookup_hash, normalize_id_number
from culture.venues.models import Venue

_QR_PATH = re.compile(r"/booking/b/([A-Za-z0-9]{8})/?(?:[?#].*)?$")
# Statuses a check-in may start from: a confirmed booking, or one marked no-show that turns up
# after all (the same day).
CHECKABLE = (BookingStatus.CONFIRMED, BookingStatus.NO_SHOW)


@dataclass(frozen=True)
class CheckIn:
    booking: Booking
    method: str  # CheckInMethod
    already: bool  # checked in before: nothing changed


def _parse(token: str) -> tuple[str, str]:
    """(method, value) of what the scanner or the keyboard gave."""
    text = (token or "").strip()
    match = _QR_PATH.search(text)
    if match:
        return CheckInMethod.QR, match.group(1).upper()
    compact = normalise_code(text)
    if len(compact) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in compact):
        return CheckInMethod.CODE, compact
    if len(compact) == 18 and compact[:17].isdigit():
        return CheckInMethod.SSC_CARD, normalize_id_number(compact, field="token")
    raise ValidationFailed(
        _("无法识别：请扫描预约二维码、输入8位预约码或读取社保卡"), field="token", code="bad_token"
    )


def _day_bounds(now: datetime) -> tuple[datetime, datetime]:
    day = timezone.localdate(now)
    start = datetime.combine(day, time(), tzinfo=timezone.get_current_timezone())
    return start, start + timedelta(days=1)


def _by_card(venue: Venue, id_number: str, now: datetime) -> Booking:
    resident = Resident.objects.filter(id_number_hash=lookup_hash(id_number)).first()
    if resident is None:
        raise NotFound(_("没有持这张社保卡的注册居民"))
    start, end = _day_bounds(now)
    candidates = list(
        Booking.objects.filter(
            user_id=resident.user_id,
            venue=venue,
            start_at__lt=end,
            end_at__gt=start,
            status__in=(*CHECKABLE, BookingStatus.CHECKED_IN),
        )
    )
    if not candidates:
        raise NotFound(_("该居民今天在本场馆没有可签到的预约"))

    def distance(b: Booking) -> timedelta:
        if b.start_at <= now <= b.end_at:
            return timedelta(0)
        return min(abs(b.start_at - now), abs(b.end_at - now))

    return min(candidates, key=lambda b: (distance(b), b.start_at, b.pk))


def _by_code(venue: Venue, code: str, now: datetime) -> Booking:
    booking = Booking.objects.filter(code=code).select_related("venue").first()
    if booking is None:
        raise NotFound(_("预约码 %(code)s 不存在，请核对") % {"code": code})
    if booking.venue_id != venue.pk:
        raise ValidationFailed(
            _("这是%(venue)s的预约，不在本场馆")
            % {"venue": booking.venue.name_zh if booking.venue else "—"},
            field="token",
            code="wrong_venue",
        )
    start, end = _day_bounds(now)
    if not (booking.start_at < end and booking.end_at > start):
        raise ValidationFailed(
            _("这是 %(at)s 的预约，不是今天的") % {"at": local_text(booking.start_at)},
            field="token",
            code="wrong_day",
        )
    return booking


def _refuse_status(booking: Booking) -> None:
    if booking.status == BookingStatus.PENDING:
        raise ValidationFailed(_("该预约尚未通过审核，不能签到"), code="not_approved")
    if booking.status == BookingStatus.WAITLISTED:
        raise ValidationFailed(_("该预约仍在候补中，不能签到"), code="waitlisted")
    raise ValidationFailed(
        _("该预约状态为“%(status)s”，不能签到") % {"status": booking.get_status_display()},
        code="not_checkable",
    )


def activity_attendance_refresh(*, actor: Any, activity_id: int) -> None:
    """The activity's attendance = its bookings checked in (source "checkins")."""
    checked_in = Booking.objects.filter(
        activity_id=activity_id, status=BookingStatus.CHECKED_IN
    ).count()
    activity_attendance_set(
        actor=actor,
        activity=Activity(pk=activity_id),
        attendance=checked_in,
        source=AttendanceSource.CHECKINS,
    )


@transaction.atomic
def booking_check_in(
    *, actor: Any, venue: Venue, token: str, now: datetime | None = None
) -> CheckIn:
    """Check in the booking ``token`` names at ``venue``: the QR payload, the 8-character code
    (any case, spaces and dashes ignored) or an ID (social-security) number (the resident's
    booking here nearest to now, today). A second scan returns ``already=True``."""
    now = now_or(now)
    require_venue_staff(actor, venue)
    method, value = _parse(token)
    if method == CheckInMethod.SSC_CARD:
        found = _by_card(venue, value, now)
    else:
        found = _by_code(venue, value, now)
    if found.activity_id is not None:
        # The lock order of an activity's cancellation or move (activity, then its bookings):
        # the attendance below locks the activity row anyway.
        list(Activity.objects.select_for_update().filter(pk=found.activity_id).values_list("pk"))
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("activity", "room", "venue__operator_unit", "user")
        .get(pk=found.pk)
    )
    if booking.status == BookingStatus.CHECKED_IN:
        return CheckIn(booking=booking, method=booking.check_in_method or method, already=True)
    if booking.status not in CHECKABLE:
        _refuse_status(booking)
    before = booking.status
    booking.status = BookingStatus.CHECKED_IN
    booking.checked_in_at = now
    booking.check_in_method = method
    booking.checked_in_by = actor if getattr(actor, "is_authenticated", False) else None
    booking.save(
        update_fields=[
            "status",
            "checked_in_at",
            "check_in_method",
            "checked_in_by",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor_of(actor),
        action="booking.checked_in",
        target=booking,
        org_path=booking_org_path(booking),
        before={"status": before},
        after={"status": booking.status, "method": method},
    )
    if booking.activity_id is not None:
        activity_attendance_refresh(actor=actor, activity_id=booking.activity_id)
    return CheckIn(booking=booking, method=method, already=False)


# ----- no-shows ----------------------------------------------------------------------------
def no_show_after() -> timedelta:
    return timedelta(minutes=settings.CULTURE_BOOKING_NO_SHOW_AFTER_MINUTES)


@transaction.atomic
def booking_mark_no_show(*, actor: Any, booking: Booking, now: datetime | None = None) -> Booking:
    """Mark a confirmed booking not checked in ``CULTURE_BOOKING_NO_SHOW_AFTER_MINUTES`` after
    its start as a no-show. Reaching the no-show limit suspends booking; the person is told."""
    now = now_or(now)
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("activity", "room", "venue__operator_unit", "user")
        .get(pk=booking.pk)
    )
    if actor is not None and not is_booking_staff(actor, booking):
        raise OutOfScope(_("该场馆不在您的管辖范围内，不能管理其预约"))
    if booking.status != BookingStatus.CONFIRMED:
        raise ValidationFailed(
            _("只有已预约且未签到的预约可以记为未到场（当前：%(status)s）")
            % {"status": booking.get_status_display()},
            code="not_confirmed",
        )
    allowed_from = booking.start_at + no_show_after()
    if now < allowed_from:
        raise ValidationFailed(
            _("开始 %(minutes)d 分钟后（%(at)s 起）仍未签到才能记为未到场")
            % {
                "minutes": settings.CULTURE_BOOKING_NO_SHOW_AFTER_MINUTES,
                "at": local_text(allowed_from),
            },
            code="too_early",
        )
    was_suspended = booking_suspended_until(user=booking.user, now=now)
    booking.status = BookingStatus.NO_SHOW
    booking.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor_of(actor),
        action="booking.no_show",
        target=booking,
        org_path=booking_org_path(booking),
        before={"status": BookingStatus.CONFIRMED},
        after={"status": booking.status},
    )
    until = booking_suspended_until(user=booking.user, now=now)
    if until is not None and until != was_suspended:
        notify(
            user=booking.user,
            kind="booking.suspended",
            text=_("您多次预约后未到场（最近一次：%(title)s），预约功能暂停至 %(until)s")
            % {"title": booking_title(booking), "until": local_text(until)},
            url=booking_url(booking),
        )
    return booking


def bookings_mark_no_shows(*, now: datetime | None = None) -> int:
    """Mark every confirmed booking that started ``CULTURE_BOOKING_NO_SHOW_AFTER_MINUTES`` ago or
    more and was not checked in as a no-show (the scheduled job). Returns how many. Pending
    bookings (never approved) are not the person's fault and are left alone."""
    now = now_or(now)
    due = list(
        Booking.objects.filter(status=BookingStatus.CONFIRMED, start_at__lte=now - no_show_after())
        .order_by("start_at", "pk")
        .values_list("pk", flat=True)
    )
    marked = 0
    for pk in due:
        try:
            booking_mark_no_show(actor=None, booking=Booking(pk=pk), now=now)
        except ValidationFailed:  # checked in or cancelled meanwhile
            continue
        marked += 1
    return marked
