"""Store an evaluation run: compute every result of a year and keep it for the cockpit."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from culture.core.audit import audit_record
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.standards.engine import check_year, evaluate_compute
from culture.standards.models import EvaluationRun, IndicatorResult

# Finished runs kept per year (older ones are removed; the newest is what pages read).
RUNS_KEPT = 3


def evaluation_run(
    *, year: int, trigger: str = "", definitions: dict[str, Any] | None = None
) -> EvaluationRun:
    """Compute every indicator for every unit of ``year`` and store the results as a run."""
    started = time.perf_counter()
    started_at = timezone.now()
    ctx, rows = evaluate_compute(year, definitions=definitions)
    with transaction.atomic():
        run = EvaluationRun.objects.create(
            year=year,
            started_at=started_at,
            trigger=trigger[:64],
            definitions=ctx.definitions,
            as_of=ctx.as_of,
        )
        IndicatorResult.objects.bulk_create(
            (
                IndicatorResult(
                    run_id=run.pk,  # the id, not the instance: no related-object cache per row
                    year=year,
                    indicator_id=r.indicator_id,
                    level=r.level,
                    org_unit_id=r.org_unit_id,
                    org_path=r.org_path,
                    venue_id=r.venue_id,
                    tier=r.tier,
                    value=r.value,
                    target=r.target,
                    comparator=r.comparator,
                    unit=r.unit,
                    status=r.status,
                    gap=r.gap,
                    relative_gap=r.relative_gap,
                    source=r.source,
                    reported_value=r.reported_value,
                    conflict=r.conflict,
                    parts=r.parts,
                )
                for r in rows
            ),
            batch_size=2000,
        )
        run.result_count = len(rows)
        run.finished_at = timezone.now()
        run.duration_ms = int((time.perf_counter() - started) * 1000)
        run.save(update_fields=["result_count", "finished_at", "duration_ms"])
        old = list(
            EvaluationRun.objects.filter(year=year, finished_at__isnull=False)
            .order_by("-finished_at", "-id")
            .values_list("id", flat=True)[RUNS_KEPT:]
        )
        if old:
            IndicatorResult.objects.filter(run_id__in=old).delete()
            EvaluationRun.objects.filter(id__in=old).delete()
    return run


def evaluation_due(*, year: int, requested_at: datetime) -> bool:
    """False when a run of ``year`` started after the request (it already saw the change)."""
    return not EvaluationRun.objects.filter(year=year, started_at__gte=requested_at).exists()


def evaluate_on_write_enabled() -> bool:
    return bool(getattr(settings, "CULTURE_EVALUATE_ON_WRITE", True))


def evaluation_request_now(*, actor: Any, year: int, request: Any = None) -> EvaluationRun:
    """A district officer asks for the results of ``year`` now (the cockpit's button): compute
    and store a run at once, audited. Evaluators and other roles are refused."""
    scope = viewer_scope(actor)
    scope.require_role(Role.DISTRICT_OFFICER)
    check_year(year)
    with transaction.atomic():
        run = evaluation_run(year=year, trigger="manual")
        audit_record(
            actor=actor,
            action="standards.evaluate",
            target=run,
            target_label=str(year),
            after={"year": year, "run": run.pk, "results": run.result_count},
            request=request,
        )
    return run
