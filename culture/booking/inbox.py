"""The resident's messages (``Notification``): marking them read. Reading them is in
``culture.booking.selectors``; writing them is ``culture.accounts.notifications.notify``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from culture.accounts.models import Notification


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
