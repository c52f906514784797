"""Concurrent writes into the same summary bucket (one organiser, kind, venue, brand and month)
each succeed and leave the summaries equal to the raw rows, on SQLite (IMMEDIATE transactions)
and on PostgreSQL (READ COMMITTED: without a lock, two transactions that both recompute one
bucket both insert its row, and the second breaks the bucket's unique key)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from culture.activities.models import ActivityMonthSummary, ActivityWeekSummary
from culture.activities.services import activity_create
from culture.activities.tests.factories import local

WRITERS = 6
EACH = 4


@pytest.mark.django_db(transaction=True)
def test_simultaneous_writes_to_one_bucket_all_count(tree):
    organiser = tree["c11"]
    barrier = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            for i in range(EACH):
                day = 3 + (n * EACH + i) % 5  # Monday 3 to Friday 7 March 2025: one week
                activity_create(
                    actor=None,
                    title=f"并发写入{n}-{i}",
                    kind="mass_activity",
                    organiser=organiser,
                    start_at=local(2025, 3, day, 9, n),
                    end_at=local(2025, 3, day, 10),
                    attendance=10,
                )
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert failures == []
    total = WRITERS * EACH
    assert list(
        ActivityMonthSummary.objects.values_list("year", "month", "activities", "attendance")
    ) == [(2025, 3, total, total * 10)]
    assert list(ActivityWeekSummary.objects.values_list("activities", "attendance")) == [
        (total, total * 10)
    ]
