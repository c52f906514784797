"""What write services call so the cockpit shows a change within seconds: after the commit, a
background run recomputes the years the change touched (``CULTURE_EVALUATE_ON_WRITE``; off in the
test settings, where tests that need it switch it on)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from culture.standards.catalogue.types import POLICY_FIRST_YEAR
from culture.standards.services.evaluation import evaluate_on_write_enabled
from culture.standards.tasks import evaluate_year


def request_evaluation(*, years: Iterable[int] | None = None, trigger: str = "") -> None:
    """Schedule a recomputation of ``years`` (default: the current year) after commit."""
    if not evaluate_on_write_enabled():
        return
    this_year = timezone.localdate().year
    wanted = sorted({y for y in (years or [this_year]) if POLICY_FIRST_YEAR <= y <= this_year})
    requested_at = timezone.now().isoformat()

    def _enqueue() -> None:
        for year in wanted:
            evaluate_year.enqueue(year, requested_at, trigger)

    transaction.on_commit(_enqueue)
