"""Helpers of the activity-indicator tests (no tests here): activities made through the real
service (so the summaries are kept), evaluation of a few indicators, picking one result."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from culture.activities.models import Activity
from culture.activities.services import activity_create
from culture.org.models import OrgUnit
from culture.standards.engine import ResultRow, current_definitions, evaluate_compute
from culture.standards.models import ReportedFigure, ReportStatus

TZ = ZoneInfo("Asia/Shanghai")
_seq = {"n": 0}


def at(y: int, m: int, d: int, hh: int = 19, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def make(
    organiser: OrgUnit, kind: str, n: int = 1, *, on: date = date(2025, 5, 6), **fields: Any
) -> list[Activity]:
    """``n`` live activities of ``kind`` by ``organiser``, one a day from ``on`` at 19:00."""
    out = []
    for i in range(n):
        _seq["n"] += 1
        day = on + timedelta(days=i)
        start = at(day.year, day.month, day.day)
        out.append(
            activity_create(
                actor=None,
                title=f"{kind}-{_seq['n']}",
                kind=kind,
                organiser=organiser,
                start_at=start,
                end_at=start + timedelta(hours=2),
                **{"attendance": 30, **fields},
            )
        )
    return out


def evaluate(ids: list[str], year: int = 2025, **definitions: Any) -> list[ResultRow]:
    defs = {**current_definitions(), **definitions}
    _ctx, rows = evaluate_compute(year, definitions=defs, only=ids)
    return rows


def row(
    rows: list[ResultRow],
    indicator: str,
    level: str,
    unit: OrgUnit | None = None,
    *,
    venue: Any = None,
) -> ResultRow:
    found = [
        r
        for r in rows
        if r.indicator_id == indicator
        and r.level == level
        and (venue is None or r.venue_id == venue.pk)
        and (unit is None or r.org_unit_id == unit.pk)
        and (venue is not None or r.venue_id is None)
    ]
    assert len(found) == 1, found
    return found[0]


def verdict(r: ResultRow) -> tuple:
    """(value, target, status) of one result."""
    return (r.value, r.target, str(r.status))


def report(indicator: str, unit: OrgUnit, year: int = 2025, **fields: float) -> None:
    """Approved reported figures (the reporting services are another module's)."""
    for key, value in fields.items():
        ReportedFigure.objects.create(
            indicator_id=indicator,
            field_key=key,
            org_unit=unit,
            org_path=unit.path,
            year=year,
            value=Decimal(str(value)),
            status=ReportStatus.APPROVED,
        )
