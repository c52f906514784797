"""The viewer's own bookings and messages, for the residents' pages and the API: the lists, one
booking by its code (for its owner only; for the API's cancel, its owner or the venue's staff),
whether it may still be cancelled, the waiting-list rank."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.accounts.models import Notification
from culture.booking.models import ACTIVE_STATUSES, Booking, BookingStatus
from culture.booking.services.common import normalise_code
from culture.booking.services.lifecycle import CANCELLABLE, DEFAULT_DEADLINE_HOURS
from culture.core.errors import NotFound
from culture.venues.access import can_write

MAX_MESSAGES = 50
MAX_PAST_BOOKINGS = 30
MAX_API_BOOKINGS = 500  # the API's list of one's bookings, newest first


def _signed_in(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


# ----- the waiting-list rank ------------------------------------------------------------------
def _with_rank(qs: QuerySet[Booking]) -> QuerySet[Booking]:
    """Annotate ``waitlist_rank``: 1 for the first on the waiting list (positions may have gaps
    after people leave it, so the rank counts those ahead)."""
    ahead = (
        Booking.objects.filter(
            activity_id=OuterRef("activity_id"),
            status=BookingStatus.WAITLISTED,
            waitlist_position__lt=OuterRef("waitlist_position"),
        )
        .order_by()
        .values("activity_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(waitlist_rank=Coalesce(Subquery(ahead), 0) + 1)


def waitlist_rank(booking: Booking) -> int:
    """1 for the first on the waiting list (see ``_with_rank``)."""
    return (
        Booking.objects.filter(
            activity=booking.activity,
            status=BookingStatus.WAITLISTED,
            waitlist_position__lt=booking.waitlist_position,
        ).count()
        + 1
    )


# ----- lists ----------------------------------------------------------------------------------
def _own(user: Any) -> QuerySet[Booking]:
    return Booking.objects.filter(user=user).select_related(
        "activity", "activity__seats", "room", "room__booking_rule", "venue"
    )


def _coming(now: datetime) -> Q:
    """Active bookings not over yet."""
    return Q(status__in=ACTIVE_STATUSES, end_at__gt=now)


def my_bookings(*, user: Any, now: datetime | None = None) -> tuple[list[Booking], list[Booking]]:
    """(coming, past): coming = active bookings not yet over, soonest first; past = the rest,
    latest first (at most MAX_PAST_BOOKINGS)."""
    now = now or timezone.now()
    coming = list(_with_rank(_own(user).filter(_coming(now))).order_by("start_at", "pk"))
    past = list(_own(user).exclude(_coming(now)).order_by("-start_at", "-pk")[:MAX_PAST_BOOKINGS])
    return coming, past


def own_bookings(
    *, user: Any, upcoming: bool = False, now: datetime | None = None
) -> list[Booking]:
    """The API's list: the caller's own bookings, newest start first (``upcoming``: the coming
    ones of ``my_bookings`` only)."""
    qs = _own(user)
    if upcoming:
        qs = qs.filter(_coming(now or timezone.now()))
    return list(qs.order_by("-start_at", "-pk")[:MAX_API_BOOKINGS])


def active_booking(*, user: Any, activity: Any) -> Booking | None:
    """The viewer's active booking (pending, confirmed, waitlisted, checked in) of an activity."""
    if not _signed_in(user):
        return None
    return _with_rank(
        Booking.objects.filter(user=user, activity=activity, status__in=ACTIVE_STATUSES)
    ).first()


# ----- one booking by its code ----------------------------------------------------------------
def own_booking(*, user: Any, code: str) -> Booking:
    """The booking with this code if it is the viewer's own; anybody else's, or an unknown code,
    is NotFound (the same answer, so codes cannot be probed)."""
    booking = None
    if _signed_in(user):
        booking = _with_rank(_own(user).filter(code=normalise_code(code))).first()
    if booking is None:
        raise NotFound(_("没有找到预约码为 %(code)s 的预约") % {"code": code})
    return booking


def booking_for_cancel(*, viewer: Any, code: str) -> Booking:
    """The booking ``code`` for its holder, or for staff who may write its venue; anyone else
    is told there is no such booking (codes are not for guessing)."""
    booking = (
        Booking.objects.select_related("activity", "room", "venue__operator_unit", "user")
        .filter(code=normalise_code(code))
        .first()
    )
    if booking is None or not (
        booking.user_id == getattr(viewer, "pk", None)
        or (booking.venue is not None and can_write(viewer, booking.venue))
    ):
        raise NotFound(_("没有找到该预约"))
    return booking


# ----- may the holder still cancel ------------------------------------------------------------
@dataclass(frozen=True)
class CancelState:
    allowed: bool
    reason: str  # why not (empty when allowed)
    deadline: datetime | None  # last moment to cancel (None: no deadline applies)


def cancel_deadline_hours(booking: Booking) -> int:
    """The hours before the start within which its holder may not cancel (the service's
    ``cancel_deadline`` with the seats / rule already loaded: no query per booking)."""
    if booking.activity_id is not None:
        seats = getattr(booking.activity, "seats", None)
        return seats.cancel_deadline_hours if seats is not None else DEFAULT_DEADLINE_HOURS
    rule = getattr(booking.room, "booking_rule", None)
    return rule.cancel_deadline_hours if rule is not None else DEFAULT_DEADLINE_HOURS


def cancel_state(booking: Booking, *, now: datetime | None = None) -> CancelState:
    """Whether the owner may still cancel, mirroring the service's rule (the service decides;
    this is what the page shows instead of a button that would be refused)."""
    now = now or timezone.now()
    if booking.status not in CANCELLABLE:
        return CancelState(False, str(_("这条预约已是“%(s)s”，不能再取消") % {
            "s": booking.get_status_display()}), None)  # fmt: skip
    if booking.start_at <= now:
        return CancelState(False, str(_("活动已经开始，不能再取消")), None)
    if booking.status == BookingStatus.WAITLISTED:
        return CancelState(True, "", booking.start_at)
    hours = cancel_deadline_hours(booking)
    deadline = booking.start_at - timedelta(hours=hours)
    if now >= deadline:
        local = timezone.localtime(deadline)
        return CancelState(
            False,
            str(
                _("开始前 %(h)d 小时内不能取消（截止时间 %(t)s 已过）。如不能到场，请联系场馆。")
                % {"h": hours, "t": local.strftime("%m-%d %H:%M")}
            ),
            deadline,
        )
    return CancelState(True, "", deadline)


# ----- messages -------------------------------------------------------------------------------
def notifications(*, user: Any) -> list[Notification]:
    """The viewer's latest messages, newest first."""
    return list(Notification.objects.filter(user=user)[:MAX_MESSAGES])


def unread_count(*, user: Any) -> int:
    if not _signed_in(user):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
