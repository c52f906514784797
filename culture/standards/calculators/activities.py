"""Calculators over the activity summaries (culture.activities.models.ActivityMonthSummary /
ActivityWeekSummary): one grouped query per call, whatever the number of units."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Sum

from culture.activities.models import ActivityMonthSummary
from culture.standards.calculators import Context, Measure, unit_for_path


def kind_totals(ctx: Context, level: str, kinds: tuple[str, ...], column: str = "activities"):
    """unit id -> sum of ``column`` over the year's live activities of ``kinds`` organised by the
    unit or any unit below it. Every unit of the level appears (0 when it has none)."""
    n = ctx.path_prefix_length(level)
    keys = ctx.unit_key_by_path(level)
    totals: dict[int, float] = defaultdict(float)
    rows = (
        ActivityMonthSummary.objects.filter(year=ctx.year, kind__in=kinds)
        .values("organiser_path")
        .annotate(total=Sum(column))
        .order_by()
    )
    for row in rows:
        unit_id = unit_for_path(row["organiser_path"], n, keys)
        if unit_id is not None:
            totals[unit_id] += float(row["total"] or 0)
    return {u.id: totals.get(u.id, 0.0) for u in ctx.units(level)}


def has_activity_records(ctx: Context) -> bool:
    """Whether the platform holds any activity records for the year (else: no data)."""
    return ActivityMonthSummary.objects.filter(year=ctx.year).exists()


def training_classes(ctx: Context, level: str) -> dict[int, Measure]:
    """T10: arts training classes held in the year."""
    if not has_activity_records(ctx):
        return {}
    return {
        unit_id: Measure(value=total, parts={"training_classes": int(total)})
        for unit_id, total in kind_totals(ctx, level, ("training_class",)).items()
    }
