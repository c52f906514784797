"""Notifications: an in-app message (``Notification``) and, after commit, the outside channels;
and the reader marking their messages read. Every write of notifications is here (reading them
is in ``culture.booking.selectors``).

``notify`` writes the message in the caller's transaction; once it commits, each backend named in
``CULTURE_NOTIFICATION_BACKENDS`` gets it. A backend is a class with ``send(notification)``
(SMS and WeChat gateways plug in here); ``LoggingChannel`` only logs, with the phone masked. A
failing backend is logged and never undoes the booking that caused the message.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from culture.accounts.models import Notification

logger = logging.getLogger("culture.notifications")

MAX_TEXT = 500


class NotificationChannel(Protocol):
    """An outside channel (SMS, WeChat...): delivers one message, raises on failure."""

    def send(self, notification: Notification) -> None: ...


class LoggingChannel:
    """Writes the message to the log (development and tests); the phone number is masked."""

    def send(self, notification: Notification) -> None:
        user = notification.user
        to = user.phone_masked or user.get_username()
        logger.info("notification %s to %s: %s", notification.kind, to, notification.text)


def channels() -> list[NotificationChannel]:
    return [import_string(path)() for path in settings.CULTURE_NOTIFICATION_BACKENDS]


def _deliver(notification: Notification) -> None:
    for channel in channels():
        try:
            channel.send(notification)
        except Exception:  # one broken gateway must not stop the others
            logger.exception("notification %s: channel %r failed", notification.pk, channel)


def notify(*, user: Any, kind: str, text: Any, url: str = "") -> Notification:
    """Write an in-app message to ``user`` and hand it to the outside channels after commit."""
    notification = Notification.objects.create(
        user=user, kind=kind[:32], text=str(text)[:MAX_TEXT], url=url[:200]
    )
    transaction.on_commit(lambda: _deliver(notification))
    return notification


@transaction.atomic
def notifications_mark_read(*, user: Any, notification_id: int | None = None) -> str:
    """Mark the user's message ``notification_id`` read (or all their unread ones when None) and
    return its link ("" for all, or when the message is not theirs). Another person's message is
    left alone: the same answer as an unknown id."""
    now = timezone.now()
    qs = Notification.objects.filter(user=user)
    if notification_id is None:
        qs.filter(read_at__isnull=True).update(read_at=now, updated_at=now)
        return ""
    notification = qs.filter(pk=notification_id).first()
    if notification is None:
        return ""
    if notification.read_at is None:
        notification.read_at = now
        notification.save(update_fields=["read_at", "updated_at"])
    return notification.url
