"""Write-to-cockpit latency: from ``activity_create`` to a finished evaluation run that reflects
the new activity, with the background worker that ``make run`` starts (``manage.py db_worker``,
its default poll interval of 1 s) picking up the recomputation the write requested.

Each write is a training class (T10) organised by the district and held a minute ago; the run
counts when it started after the write and its T10 district value is one more than the engine
computed just before the write (when the catalogue has no T10, a run started after the write
counts). The measured activities are cancelled afterwards (cancelled rows count for nothing, so
the benchmark's sums stay as they were).
"""

from __future__ import annotations

import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 600


def _t10(run) -> float | None:
    from culture.org.models import OrgLevel
    from culture.standards.models import IndicatorResult

    if run is None:
        return None
    return (
        IndicatorResult.objects.filter(run=run, indicator_id="T10", level=OrgLevel.DISTRICT)
        .values_list("value", flat=True)
        .first()
    )


def _t10_now(year: int) -> float | None:
    """T10 at the district as the engine computes it now (what a fresh run will store)."""
    from culture.org.models import OrgLevel
    from culture.standards.engine import evaluate_compute

    _ctx, rows = evaluate_compute(year, only=["T10"])
    return next((r.value for r in rows if r.level == OrgLevel.DISTRICT), None)


def _latest_run(year: int, since=None):
    from culture.standards.models import EvaluationRun

    qs = EvaluationRun.objects.filter(year=year, finished_at__isnull=False)
    if since is not None:
        qs = qs.filter(started_at__gte=since)
    return qs.order_by("-finished_at", "-id").first()


def write_to_cockpit(*, runs: int = 5, warmup: int = 1, say=print) -> dict:
    from django.conf import settings
    from django.db import close_old_connections
    from django.utils import timezone

    from culture.activities.models import Activity
    from culture.activities.services import activity_cancel, activity_create
    from culture.org.models import OrgLevel, OrgUnit
    from culture.standards.catalogue import CATALOGUE

    district = OrgUnit.objects.filter(level=OrgLevel.DISTRICT, is_active=True).first()
    if district is None:
        return {"skipped": "no district unit"}
    year = timezone.localdate().year
    has_t10 = "T10" in CATALOGUE
    folder = Path(os.environ.get("BENCH_DIR") or tempfile.gettempdir())
    log = open(folder / "db_worker.log", "w")  # noqa: SIM115 - closed in the finally below
    worker = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "1"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    settings.CULTURE_EVALUATE_ON_WRITE = True
    made: list[Activity] = []
    samples = []
    token = secrets.token_hex(3)
    try:
        for i in range(warmup + runs):
            before = _t10_now(year) if has_t10 else None
            now = timezone.now()
            wall0, t0 = now, time.perf_counter()
            made.append(
                activity_create(
                    actor=None,
                    title=f"基准测试写入 {token}-{i}",
                    kind="training_class",
                    organiser=district,
                    start_at=now - timedelta(minutes=1),
                    end_at=now,
                    attendance=20,
                )
            )
            written = time.perf_counter() - t0
            while True:
                close_old_connections()
                run = _latest_run(year, since=wall0)
                if run is not None and (before is None or _t10(run) == before + 1):
                    break
                if time.perf_counter() - t0 > TIMEOUT_S:
                    raise RuntimeError("no evaluation run reflected the write within 10 minutes")
                time.sleep(0.02)
            total = time.perf_counter() - t0
            sample = {
                "latency_ms": round(total * 1000),
                "write_ms": round(written * 1000, 1),
                "queue_wait_ms": round((run.started_at - wall0).total_seconds() * 1000),
                "evaluation_run_ms": run.duration_ms,
            }
            say(f"  write {i}: {sample}")
            if i >= warmup:
                samples.append(sample)
    finally:
        settings.CULTURE_EVALUATE_ON_WRITE = False
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
        for a in made:
            activity_cancel(actor=None, activity=a)
    return {
        "year": year,
        "worker": "manage.py db_worker --interval 1 (as make run)",
        "runs": len(samples),
        "median_latency_ms": statistics.median(s["latency_ms"] for s in samples),
        "max_latency_ms": max(s["latency_ms"] for s in samples),
        "median_write_ms": statistics.median(s["write_ms"] for s in samples),
        "median_queue_wait_ms": statistics.median(s["queue_wait_ms"] for s in samples),
        "median_evaluation_run_ms": statistics.median(s["evaluation_run_ms"] for s in samples),
        "samples": samples,
    }
