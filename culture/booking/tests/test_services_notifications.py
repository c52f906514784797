"""notify(): the in-app message, and the outside channels after commit (phone masked in logs)."""

from __future__ import annotations

import logging

import pytest

from culture.accounts.models import Notification
from culture.accounts.notifications import notifications_mark_read, notify
from culture.booking.tests.factories import resident_user

pytestmark = pytest.mark.django_db

SENT: list[str] = []


class RecordingChannel:
    def send(self, notification) -> None:
        SENT.append(notification.text)


class BrokenChannel:
    def send(self, notification) -> None:
        raise ConnectionError("gateway down")


def test_message_is_written_and_logged_after_commit_with_the_phone_masked(
    settings, caplog, django_capture_on_commit_callbacks
):
    settings.CULTURE_NOTIFICATION_BACKENDS = ["culture.accounts.notifications.LoggingChannel"]
    user = resident_user()
    caplog.set_level(logging.INFO, logger="culture.notifications")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        note = notify(user=user, kind="booking.promoted", text="候补成功", url="/booking/b/X/")
    assert Notification.objects.get(user=user).text == "候补成功"
    assert "候补成功" not in caplog.text  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert "候补成功" in caplog.text and user.phone_masked in caplog.text
    assert "****" in user.phone_masked and note.url == "/booking/b/X/"


def test_a_broken_channel_does_not_stop_the_others(settings, django_capture_on_commit_callbacks):
    settings.CULTURE_NOTIFICATION_BACKENDS = [
        f"{__name__}.BrokenChannel",
        f"{__name__}.RecordingChannel",
    ]
    SENT.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=resident_user(), kind="booking.cancelled", text="已取消")
    assert SENT == ["已取消"]


def test_mark_read_one_of_ones_own_then_all_and_another_persons_is_left_alone():
    me, other = resident_user(), resident_user()
    one = notify(user=me, kind="booking.promoted", text="一", url="/booking/b/A/")
    notify(user=me, kind="booking.promoted", text="二")
    theirs = notify(user=other, kind="booking.promoted", text="三", url="/booking/b/C/")

    assert notifications_mark_read(user=me, notification_id=one.pk) == "/booking/b/A/"
    assert notifications_mark_read(user=me, notification_id=theirs.pk) == ""
    assert Notification.objects.filter(user=me, read_at__isnull=True).count() == 1
    assert notifications_mark_read(user=me) == ""

    assert Notification.objects.filter(user=me, read_at__isnull=True).count() == 0
    assert Notification.objects.get(pk=theirs.pk).read_at is None
