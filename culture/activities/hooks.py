"""What other apps do when an activity is cancelled or moved: an explicit, typed registry.

The activities' services call the registered handlers themselves, in their own transaction, right
after the change (architecture.md: no Django signals for business effects). An app registers its
handlers in its ``AppConfig.ready()``; ``culture.booking`` registers the cancelling of an
activity's bookings and the moving of their times. The activities app imports nothing of the
apps that register, so there is no import cycle.

A handler may refuse the change by raising a ``culture.core.errors`` class (``FieldErrors`` names
the activity's field): the whole change is rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from culture.activities.models import Activity


@dataclass(frozen=True)
class Schedule:
    """When and where an activity takes place (its state before a change)."""

    start_at: datetime
    end_at: datetime
    venue_id: int | None

    @classmethod
    def of(cls, activity: Activity) -> Schedule:
        return cls(start_at=activity.start_at, end_at=activity.end_at, venue_id=activity.venue_id)


class CancelledHandler(Protocol):
    """Called when ``activity`` has just been cancelled (not when it is restored)."""

    def __call__(self, *, actor: Any, activity: Activity) -> object: ...


class RescheduledHandler(Protocol):
    """Called when ``activity``'s start, end or venue has just changed from ``before``."""

    def __call__(self, *, actor: Any, activity: Activity, before: Schedule) -> object: ...


_cancelled: list[CancelledHandler] = []
_rescheduled: list[RescheduledHandler] = []


def on_activity_cancelled(handler: CancelledHandler) -> None:
    """Register ``handler`` (once: registering it again changes nothing)."""
    if handler not in _cancelled:
        _cancelled.append(handler)


def on_activity_rescheduled(handler: RescheduledHandler) -> None:
    """Register ``handler`` (once: registering it again changes nothing)."""
    if handler not in _rescheduled:
        _rescheduled.append(handler)


def activity_cancelled(*, actor: Any, activity: Activity) -> None:
    """Run the handlers of a cancellation (inside the caller's transaction)."""
    for handler in _cancelled:
        handler(actor=actor, activity=activity)


def activity_rescheduled(*, actor: Any, activity: Activity, before: Schedule) -> None:
    """Run the handlers of a change of time or venue (inside the caller's transaction)."""
    if before == Schedule.of(activity):
        return
    for handler in _rescheduled:
        handler(actor=actor, activity=activity, before=before)
