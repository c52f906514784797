"""What write services call so the cockpit shows a change within seconds: after the commit, a
background run recomputes the years the change touched (``CULTURE_EVALUATE_ON_WRITE``; off in the
test settings, where tests that need it switch it on).

A 1,000-row import commits 1,000 requests at once: a request is not enqueued again while a run of
that year is already waiting and not started (it starts after our commit, so it sees the
change); the task itself skips when a run started after the request.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from culture.standards.catalogue.types import POLICY_FIRST_YEAR
from culture.standards.services.evaluation import evaluate_on_write_enabled
from culture.standards.tasks import evaluate_year


def _waiting(year: int) -> bool:
    """A run of ``year`` is enqueued in the database backend and has not started yet."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return False
    return (
        DBTaskResult.objects.filter(status="READY", task_path=evaluate_year.module_path)
        .filter(args_kwargs__args__0=year)
        .exists()
    )


def request_evaluation(*, years: Iterable[int] | None = None, trigger: str = "") -> None:
    """Schedule a recomputation of ``years`` (default: the current year) after commit."""
    if not evaluate_on_write_enabled():
        return
    this_year = timezone.localdate().year
    wanted = sorted({y for y in (years or [this_year]) if POLICY_FIRST_YEAR <= y <= this_year})
    requested_at = timezone.now().isoformat()

    def _enqueue() -> None:
        for year in wanted:
            if not _waiting(year):
                evaluate_year.enqueue(year, requested_at, trigger)

    transaction.on_commit(_enqueue)
