"""manage.py housekeeping: every periodic job runs once per round; a failing job is logged and
the others still run."""

from __future__ import annotations

import logging
from datetime import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from culture.library.models import HoldStatus
from culture.library.services import hold_place
from culture.library.tests.factories import branch, copy, reader, title

pytestmark = pytest.mark.django_db

NO_SHOWS = "culture.booking.management.commands.bookings_mark_no_shows.bookings_mark_no_shows"
EXPIRE = "culture.library.management.commands.library_expire_holds.holds_expire"


def _local(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, tzinfo=timezone.get_current_timezone())


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("housekeeping", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_one_round_runs_each_registered_job():
    # A hold made ready in January 2020 expired long ago: the library job expires it.
    here, book = branch(), title()
    copy(title=book, branch=here)
    hold = hold_place(reader=reader(), title=book, pickup_branch=here, now=_local(2020, 1, 6))
    with mock.patch(NO_SHOWS, return_value=3) as no_shows:
        out, err = _run()
    assert no_shows.call_count == 1
    hold.refresh_from_db()
    assert hold.status == HoldStatus.EXPIRED
    lines = out.splitlines()
    assert lines[0].startswith("bookings_mark_no_shows: 3 booking(s) marked no-show")
    assert lines[1].startswith("library_expire_holds: 1 hold(s) expired")
    assert err == ""


def test_a_failing_job_is_logged_and_the_others_still_run(caplog):
    with (
        mock.patch(NO_SHOWS, side_effect=RuntimeError("database went away")),
        mock.patch(EXPIRE, return_value=0) as expire,
        caplog.at_level(logging.ERROR, logger="culture.housekeeping"),
        pytest.raises(CommandError, match="bookings_mark_no_shows"),
    ):
        _run()
    assert expire.call_count == 1  # ran after the failure
    [record] = caplog.records
    assert record.getMessage() == "periodic job bookings_mark_no_shows failed"
    assert "database went away" in caplog.text  # the traceback is logged


def test_repeating_keeps_going_after_a_failure():
    with (
        mock.patch(NO_SHOWS, side_effect=[RuntimeError("once"), 0, 0]) as no_shows,
        mock.patch(EXPIRE, return_value=0) as expire,
    ):
        out, err = _run("--every", "0", "--rounds", "3")
    assert (no_shows.call_count, expire.call_count) == (3, 3)
    assert err.count("bookings_mark_no_shows: FAILED") == 1
    assert out.count("library_expire_holds: 0 hold(s) expired") == 3


def test_the_job_list_is_a_setting(settings):
    settings.CULTURE_PERIODIC_JOBS = ["no_such_command", "library_expire_holds"]
    with mock.patch(EXPIRE, return_value=2) as expire, pytest.raises(CommandError) as exc:
        _run()
    assert expire.call_count == 1
    assert str(exc.value) == "periodic job(s) failed: no_such_command"
