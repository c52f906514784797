"""What the seat, room and check-in services share: booking codes and the QR payload, who counts
as staff of a venue, the no-show suspension, and the idempotent answer of a create request.

Idempotency: a create request runs in a savepoint inside one transaction that also writes the
answer (``IdempotentAnswer``): the booking, or the refusal. A retry with the same key finds the
answer and gets it back (the same booking, or the same refusal raised again) without running
anything. Two simultaneous requests with one key: the second one's answer insert hits the unique
index (user, key), its savepoint is rolled back, and it returns the first one's answer.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.accounts.models import Resident
from culture.booking.errors import BookingRefused, BookingSuspended
from culture.booking.models import Booking, BookingStatus, IdempotentAnswer
from culture.core.errors import NotFound, OutOfScope, ServiceError, ValidationFailed
from culture.core.scope import viewer_scope
from culture.venues.access import can_write
from culture.venues.models import Venue

# 8 characters without 0/O/1/I (read aloud and typed at the desk): 32^8 possible codes.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_KEY_LENGTH = 64


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(value: str) -> str:
    """What a person typed, as a code: any case, spaces and dashes ignored."""
    return "".join(ch for ch in (value or "").upper() if ch not in " -\t\r\n")


def booking_qr_payload(booking: Booking) -> str:
    """The text of the booking's QR code: the absolute URL of its confirmation page."""
    base = settings.CULTURE_PUBLIC_BASE_URL.rstrip("/")
    return f"{base}/booking/b/{booking.code}/"


def local_text(value: datetime) -> str:
    """A moment as a resident reads it: local time, minutes."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def now_or(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


# ----- who may do what ------------------------------------------------------------------
def is_venue_staff(actor: Any, venue: Venue | None) -> bool:
    """Staff who may manage bookings at ``venue``: its managers and the staff who may write its
    operator unit (read-only roles never)."""
    if actor is None or venue is None or not getattr(actor, "is_authenticated", False):
        return False
    return can_write(actor, venue)


def require_venue_staff(actor: Any, venue: Venue | None) -> None:
    if actor is None:  # the system (commands, tasks)
        return
    if not is_venue_staff(actor, venue):
        if viewer_scope(actor).is_read_only and viewer_scope(actor).is_staff_user:
            raise OutOfScope(_("您的角色只能查看，不能修改数据"))
        raise OutOfScope(_("该场馆不在您的管辖范围内，不能管理其预约"))


def require_resident(user: Any) -> None:
    """Booking is for residents: a signed-in, active account with a resident profile. Staff and
    evaluator accounts without one are refused (the one place of this rule: the pages and the
    API answer 403 from here)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        raise OutOfScope(_("请先登录再预约"))
    if not Resident.objects.filter(user_id=user.pk).exists():
        raise OutOfScope(_("预约需要居民账号：请用居民账号登录后再预约"))


def actor_of(actor: Any) -> Any:
    return actor if actor is not None else "system"


# ----- suspension after repeated no-shows -----------------------------------------------
def booking_suspended_until(*, user: Any, now: datetime | None = None) -> datetime | None:
    """Until when ``user`` may not book, or None.

    Going through the person's no-shows in time order (the time of a no-show is the booking's
    start): when one is the ``CULTURE_BOOKING_NO_SHOW_LIMIT``-th within
    ``CULTURE_BOOKING_NO_SHOW_WINDOW_DAYS`` days (counting only no-shows after the previous
    suspension began), booking is suspended for ``CULTURE_BOOKING_SUSPENSION_DAYS`` days from
    it. Suspended while ``now`` is before the end; from the end on, booking is open again.
    """
    now = now_or(now)
    limit = settings.CULTURE_BOOKING_NO_SHOW_LIMIT
    window = timedelta(days=settings.CULTURE_BOOKING_NO_SHOW_WINDOW_DAYS)
    length = timedelta(days=settings.CULTURE_BOOKING_SUSPENSION_DAYS)
    if limit < 1 or user is None or getattr(user, "pk", None) is None:
        return None
    times = list(
        Booking.objects.filter(user=user, status=BookingStatus.NO_SHOW, start_at__lte=now)
        .order_by("start_at")
        .values_list("start_at", flat=True)
    )
    until: datetime | None = None
    counted: list[datetime] = []
    for t in times:
        counted = [c for c in counted if c > t - window]
        counted.append(t)
        if len(counted) >= limit:
            until = t + length
            counted = []  # a suspension starts a new count
    return until if until is not None and now < until else None


def check_not_suspended(user: Any, now: datetime) -> None:
    until = booking_suspended_until(user=user, now=now)
    if until is not None:
        raise BookingSuspended(
            _("您多次预约后未到场，预约功能暂停至 %(until)s") % {"until": local_text(until)}
        )


# ----- idempotent answers ---------------------------------------------------------------
_ERROR_CLASSES: dict[int, type[ServiceError]] = {
    409: BookingRefused,
    403: BookingSuspended,
    422: ValidationFailed,
    404: NotFound,
}


def _clean_key(key: str) -> str:
    key = (key or "").strip()
    if len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed(
            _("幂等键最多 64 个字符"), field="idempotency_key", code="bad_idempotency_key"
        )
    return key


def _replay(answer: IdempotentAnswer, target: str) -> Booking:
    body = answer.body or {}
    if body.get("target") != target:
        raise ValidationFailed(
            _("这个幂等键已用于另一项预约请求，请换一个"),
            field="idempotency_key",
            code="idempotency_key_reused",
        )
    if answer.status_code < 300:
        if answer.booking_id is None:  # the booking was deleted since (never done by services)
            raise NotFound(_("该预约已不存在"))
        return Booking.objects.get(pk=answer.booking_id)
    cls = _ERROR_CLASSES.get(answer.status_code, ServiceError)
    error = body.get("error") or {}
    raise cls(error.get("message", ""), field=error.get("field"), code=error.get("code"))


def _attempt(
    work: Callable[[], Booking], conflict: Callable[[], ServiceError]
) -> tuple[Booking | None, ServiceError | None]:
    try:
        with transaction.atomic():
            return work(), None
    except ServiceError as exc:
        return None, exc
    except IntegrityError:
        # A unique index refused the row another request wrote first (on PostgreSQL, where
        # requests run side by side); on SQLite requests take turns and this is not reached.
        return None, conflict()


def _record(*, user: Any, key: str, target: str, booking: Booking | None, error: Any) -> None:
    if error is not None:
        status, body = error.status_code, {"target": target, "error": error.as_dict()}
    else:
        assert booking is not None
        body = {"target": target, "code": booking.code, "status": booking.status}
        status = 201
    IdempotentAnswer.objects.create(
        user=user, key=key, status_code=status, body=body, booking=booking
    )


def run_create(
    *,
    user: Any,
    key: str,
    target: str,
    work: Callable[[], Booking],
    conflict: Callable[[], ServiceError],
) -> Booking:
    """Run ``work`` (which books, or raises a ServiceError) with its answer recorded under
    ``key``; a retry gets the recorded answer. ``target`` names what is booked ("activity:12"),
    so a key reused for something else is refused. ``conflict`` is the refusal for a unique
    index violation inside ``work``. Raises the refusal after the transaction commits (the
    recorded refusal must stay)."""
    key = _clean_key(key)
    if not settings.CULTURE_BOOKING_GUARD:
        return _run_unguarded(user=user, key=key, target=target, work=work, conflict=conflict)
    booking: Booking | None = None
    error: ServiceError | None = None
    with transaction.atomic():
        for attempt in range(2):
            if key:
                answer = IdempotentAnswer.objects.filter(user=user, key=key).first()
                if answer is not None:
                    return _replay(answer, target)
            try:
                with transaction.atomic():
                    booking, error = _attempt(work, conflict)
                    if key:
                        _record(user=user, key=key, target=target, booking=booking, error=error)
            except IntegrityError:
                # Another request with the same key answered first (its answer is committed
                # now): loop once more to return it.
                if attempt:
                    raise
                continue
            break
    if error is not None:
        raise error
    assert booking is not None
    return booking


def _run_unguarded(
    *,
    user: Any,
    key: str,
    target: str,
    work: Callable[[], Booking],
    conflict: Callable[[], ServiceError],
) -> Booking:
    """The negative control (CULTURE_BOOKING_GUARD = False): autocommit, no savepoints."""
    if key:
        answer = IdempotentAnswer.objects.filter(user=user, key=key).first()
        if answer is not None:
            return _replay(answer, target)
    booking: Booking | None = None
    error: ServiceError | None = None
    try:
        booking = work()
    except ServiceError as exc:
        error = exc
    except IntegrityError:
        error = conflict()
    if key:
        with contextlib.suppress(IntegrityError):  # the same key raced: first answer stays
            _record(user=user, key=key, target=target, booking=booking, error=error)
    if error is not None:
        raise error
    assert booking is not None
    return booking
