"""Shared helpers of the activity calculators.

Every count reads the activity summaries (``ActivityMonthSummary`` / ``ActivityWeekSummary``),
never the whole raw activity table: the month summaries also keep the branch system of joint
services (S30) and the age of domestic films when shown (S32); only the first and last days of
school terms that are not whole weeks are counted from the raw rows (S32, a few days).

- ``month_rows``: the summary rows counted for the evaluated year: the months up to the month
  of ``ctx.as_of`` (a past year: all twelve; the current year: to the end of this month, so
  activities planned for later months do not count yet);
- ``fold``: summary rows (organiser path, number) into the units of one level: the unit and
  every unit below it (``own=False``) or the unit itself only (``own=True``);
- ``district_level_q``: rows of the district-level institutions (区级): organised by the district
  unit itself, or held at one of the five district venues (四馆一院) run by the district;
- ``judged_weeks`` / ``per_week_rule``: the per-week rule (S29: every week at least two);
- ``Requirement`` / ``requirements_measure``: standards made of several requirements (S32, S45):
  the value is the share of the requirements met.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet, Sum

from culture.activities.models import ActivityMonthSummary, ActivityWeekSummary
from culture.org.models import OrgLevel
from culture.standards.calculators import Context, Measure, unit_for_path
from culture.venues.models import DISTRICT_VENUE_KINDS, Venue, VenueStatus

EPSILON = 1e-9


def month_rows(ctx: Context, kinds: Iterable[str] | None = None) -> QuerySet[ActivityMonthSummary]:
    """The month summaries counted for ``ctx.year`` (up to the month of ``ctx.as_of``)."""
    qs = ActivityMonthSummary.objects.filter(year=ctx.year, month__lte=ctx.as_of.month)
    if kinds is not None:
        qs = qs.filter(kind__in=tuple(kinds))
    return qs


def recorded_kinds(ctx: Context) -> frozenset[str]:
    """The kinds with any activity counted for the year (one query per evaluation)."""
    return ctx.cached(
        "activities:recorded_kinds",
        lambda: frozenset(month_rows(ctx).values_list("kind", flat=True).distinct().order_by()),
    )


def has_activity_records(ctx: Context) -> bool:
    """Whether the platform holds any activity record counted for the year."""
    return bool(recorded_kinds(ctx))


def kinds_recorded(ctx: Context, kinds: Iterable[str]) -> bool:
    """Whether any activity of ``kinds`` is recorded for the year anywhere in the district.
    None of them at all means the platform holds no records for the figure (``no_data``, a
    reported figure may take over), not that none were held."""
    return not recorded_kinds(ctx).isdisjoint(kinds)


def fold(
    ctx: Context, level: str, pairs: Iterable[tuple[str, float]], *, own: bool = False
) -> dict[int, float]:
    """unit id -> sum of the numbers whose organiser path falls under the unit (``own``: is the
    unit itself). Every unit of the level appears (0 when it has none)."""
    n = ctx.path_prefix_length(level)
    keys = ctx.unit_key_by_path(level)
    totals: dict[int, float] = defaultdict(float)
    for path, number in pairs:
        unit_id = keys.get(path) if own else unit_for_path(path, n, keys)
        if unit_id is not None:
            totals[unit_id] += float(number or 0)
    return {u.id: totals.get(u.id, 0.0) for u in ctx.units(level)}


def kind_totals(
    ctx: Context,
    level: str,
    kinds: tuple[str, ...],
    column: str = "activities",
    *,
    own: bool = False,
) -> dict[int, float]:
    """unit id -> sum of ``column`` over the year's live activities of ``kinds`` organised by
    the unit or any unit below it (``own``: by the unit itself). One grouped query per
    evaluation (the rows do not depend on the level: each level folds the same rows)."""
    rows = ctx.cached(
        f"activities:totals:{','.join(sorted(kinds))}:{column}",
        lambda: list(
            month_rows(ctx, kinds)
            .values("organiser_path")
            .annotate(total=Sum(column))
            .order_by()
            .values_list("organiser_path", "total")
        ),
    )
    return fold(ctx, level, rows, own=own)


def district_path(ctx: Context) -> str:
    rows = ctx.units(OrgLevel.DISTRICT)
    return rows[0].path if rows else ""


def district_venue_ids() -> QuerySet[Venue, int]:
    """The five district venues (四馆一院) run by the district unit (a subquery of ids)."""
    return Venue.objects.filter(
        kind__in=DISTRICT_VENUE_KINDS, operator_unit__level=OrgLevel.DISTRICT
    ).values_list("id", flat=True)


def district_level_q(ctx: Context) -> Q:
    """Summary rows of the district-level institutions (区级公共文化机构/场馆): organised by the
    district unit itself, or held at one of the five district venues run by the district."""
    return Q(organiser_path=district_path(ctx)) | Q(venue_id__in=district_venue_ids())


def open_venues(kinds: Iterable[str]) -> QuerySet[Venue]:
    return Venue.objects.filter(kind__in=tuple(kinds), status=VenueStatus.OPEN)


def venue_totals(ctx: Context, kinds: tuple[str, ...], venue_ids: list[int]) -> dict[int, float]:
    """venue id -> live activities of ``kinds`` held at the venue in the year (one query)."""
    rows = (
        month_rows(ctx, kinds)
        .filter(venue_id__in=venue_ids)
        .values("venue_id")
        .annotate(total=Sum("activities"))
        .order_by()
    )
    found = {r["venue_id"]: float(r["total"] or 0) for r in rows}
    return {vid: found.get(vid, 0.0) for vid in venue_ids}


# --- The per-week rule (S29) ------------------------------------------------------------------


def judged_weeks(ctx: Context) -> list[date]:
    """The Mondays of the weeks judged for ``ctx.year``.

    A week runs Monday to Sunday and belongs to the year of its Monday (as the week summaries
    do), so 1-5 January 2025 are judged with 2024's last week. A week is judged once it has
    ended by ``ctx.as_of``; when the year is over (``as_of`` is 31 December) its last week is
    judged whole, with its days in January."""
    year_over = ctx.as_of >= date(ctx.year, 12, 31)
    first = date(ctx.year, 1, 1)
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    weeks = []
    while monday.year == ctx.year:
        if year_over or monday + timedelta(days=6) <= ctx.as_of:
            weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def weekly_counts(
    ctx: Context, level: str, kinds: tuple[str, ...], weeks: list[date]
) -> dict[int, dict[date, int]]:
    """unit id -> {Monday: live activities of ``kinds`` that week}, organised by the unit or
    below it, over ``weeks`` (one grouped query on the week summaries)."""
    out: dict[int, dict[date, int]] = {u.id: defaultdict(int) for u in ctx.units(level)}
    if not weeks:
        return out
    n = ctx.path_prefix_length(level)
    keys = ctx.unit_key_by_path(level)
    rows = (
        ActivityWeekSummary.objects.filter(
            kind__in=kinds, week_start__gte=weeks[0], week_start__lte=weeks[-1]
        )
        .values("organiser_path", "week_start")
        .annotate(total=Sum("activities"))
        .order_by()
    )
    for r in rows:
        unit_id = unit_for_path(r["organiser_path"], n, keys)
        if unit_id is not None:
            out[unit_id][r["week_start"]] += int(r["total"] or 0)
    return out


def per_week_rule(
    ctx: Context, level: str, kinds: tuple[str, ...], minimum: int
) -> dict[int, Measure]:
    """Every judged week at least ``minimum`` activities of ``kinds``: the value is the fewest
    in any judged week (so the rule is met exactly when the value reaches ``minimum``), the
    parts list the weeks judged and met and the first weeks that fell short."""
    weeks = judged_weeks(ctx)
    counts = weekly_counts(ctx, level, kinds, weeks)
    out = {}
    for unit_id, per_week in counts.items():
        if not weeks:
            out[unit_id] = Measure(value=None, parts={"weeks_judged": 0})
            continue
        series = [(w, per_week.get(w, 0)) for w in weeks]
        short = [w for w, c in series if c < minimum]
        fewest = min(c for _w, c in series)
        out[unit_id] = Measure(
            value=float(fewest),
            passed=not short,
            parts={
                "weeks_judged": len(weeks),
                "weeks_met": len(weeks) - len(short),
                "weekly_minimum": minimum,
                "fewest_in_a_week": fewest,
                "total": sum(c for _w, c in series),
                "short_weeks": [w.isoformat() for w in short[:12]],
            },
        )
    return out


# --- Standards made of several requirements (S32, S45) --------------------------------------


@dataclass(frozen=True)
class Requirement:
    key: str
    value: float | None  # None: not known (no records)
    threshold: float
    applicable: bool = True  # False: nothing to judge (e.g. no branch library registered)

    @property
    def met(self) -> bool | None:
        if not self.applicable or self.value is None:
            return None
        return self.value + EPSILON >= self.threshold


def share_met(requirements: list[Requirement]) -> float | None:
    """The share of the applicable requirements met; None when one of them is not known."""
    judged = [r for r in requirements if r.applicable]
    if not judged or any(r.value is None for r in judged):
        return None
    return sum(1 for r in judged if r.met) / len(judged)


def requirements_measure(requirements: list[Requirement], **extra: object) -> Measure:
    parts: dict[str, object] = {
        r.key: {
            "value": r.value,
            "threshold": r.threshold,
            "applicable": r.applicable,
            "met": r.met,
        }
        for r in requirements
    }
    parts.update(extra)
    value = share_met(requirements)
    if value is not None:
        parts["requirements_met"] = sum(1 for r in requirements if r.met)
        parts["requirements"] = sum(1 for r in requirements if r.applicable)
    return Measure(value=value, parts=parts)
