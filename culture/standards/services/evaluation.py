"""Store an evaluation run: compute every result of a year and keep it for the cockpit."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from culture.core.audit import audit_record
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.standards.engine import ResultRow, check_year, evaluate_compute
from culture.standards.models import EvaluationRun, IndicatorResult

# Finished runs kept per year (older ones are removed; the newest is what pages read).
RUNS_KEPT = 3


# ResultRow attributes stored as they are (each is the column's attname).
RESULT_COLUMNS = (
    "indicator_id",
    "level",
    "org_unit_id",
    "org_path",
    "venue_id",
    "tier",
    "value",
    "target",
    "comparator",
    "unit",
    "status",
    "gap",
    "relative_gap",
    "source",
    "reported_value",
    "conflict",
)
STORE_BATCH = 500  # rows per INSERT: 19 parameters each, under SQLite's 32,766


def _plain(value: Any) -> Any:
    """A value every driver adapts: a NumPy scalar as its Python value, text choices as str."""
    if hasattr(value, "item"):  # numpy.float64, numpy.bool_ ...
        value = value.item()
    if isinstance(value, str):
        return str(value)
    return value


def _store_results(run: EvaluationRun, rows: list[ResultRow]) -> None:
    """Insert the run's results with multi-row INSERTs through the connection: a run stores
    about 9,000 rows, and building a model instance per row cost more than the database's own
    work (bulk_create). ``parts`` is adapted by its JSONField, as the ORM would."""
    meta = IndicatorResult._meta
    parts_field = meta.get_field("parts")
    names = ("run_id", "year", *RESULT_COLUMNS, "parts")
    column_of = {f.attname: f.column for f in meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(column_of[n]) for n in names)
    table = connection.ops.quote_name(meta.db_table)
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), STORE_BATCH):
            batch = rows[start : start + STORE_BATCH]
            params: list[Any] = []
            for r in batch:
                params += [run.pk, run.year]
                params += [_plain(getattr(r, c)) for c in RESULT_COLUMNS]
                params.append(parts_field.get_db_prep_save(r.parts, connection))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(batch))}",  # noqa: S608 - quoted names, values as parameters
                params,
            )


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
        _store_results(run, rows)
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
