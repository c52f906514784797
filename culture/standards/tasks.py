"""Background recomputation (django-tasks): one run per year, skipped when a newer run exists."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from culture.standards.services.evaluation import evaluation_due, evaluation_run


@task()
def evaluate_year(year: int, requested_at: str, trigger: str = "") -> int | None:
    if not evaluation_due(year=year, requested_at=datetime.fromisoformat(requested_at)):
        return None
    return evaluation_run(year=year, trigger=trigger).pk
