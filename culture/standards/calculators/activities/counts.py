"""Org-level counts over the activity summaries: online services (T01, T02, S13, S14), training
classes (T10), brand events (T11, T12), target groups (T17), mass activities (S29), exchange
visits (S46) and international exchange (S49). One or two grouped queries per call."""

from __future__ import annotations

from django.db.models import Sum

from culture.activities.kinds import TARGET_GROUP_FIELDS, Brand
from culture.org.models import OrgLevel
from culture.standards.calculators import Context, Measure, unit_for_path
from culture.standards.calculators.activities.base import (
    district_level_q,
    fold,
    has_activity_records,
    kind_totals,
    kinds_recorded,
    month_rows,
    open_venues,
    per_week_rule,
)
from culture.venues.models import VenueKind

ONLINE_SERVICE = "online_service"
# T11: the canal series the policy names (二、（五）1). The platform's brand "运河文化节" is
# where the 长三角水上运动节暨京杭大运河文旅嘉年华 is recorded.
CANAL_BRANDS = (
    Brand.CANAL_FOUR_SEASONS.value,
    Brand.CANAL_CULTURE_FESTIVAL.value,
    Brand.COMMUNITY_CULTURE_MONTH.value,
)
MASS_KINDS = ("mass_activity", "performance")  # S29 district and subdistrict
PERFORMANCE_KINDS = ("performance",)  # S29 community: 文艺赋美演出


def _counts(totals: dict[int, float], key: str) -> dict[int, Measure]:
    return {uid: Measure(value=v, parts={key: int(v)}) for uid, v in totals.items()}


def _online_rows(ctx: Context):
    return month_rows(ctx).filter(online_activities__gt=0)


def online_sessions(ctx: Context, level: str) -> dict[int, Measure]:
    """T01: online service sessions (场次): an online-service record counts its ``sessions``
    (one record may be a series), any other online activity counts one."""
    rows = ctx.cached(
        "activities:online_sessions",
        lambda: list(
            _online_rows(ctx)
            .values("organiser_path", "kind")
            .annotate(sessions=Sum("sessions"), online=Sum("online_activities"))
            .order_by()
        ),
    )
    if not rows:
        return {}
    series = fold(
        ctx,
        level,
        ((r["organiser_path"], r["sessions"]) for r in rows if r["kind"] == ONLINE_SERVICE),
    )
    single = fold(
        ctx,
        level,
        ((r["organiser_path"], r["online"]) for r in rows if r["kind"] != ONLINE_SERVICE),
    )
    return {
        uid: Measure(
            value=series[uid] + single[uid],
            parts={"online_service_sessions": int(series[uid]), "other_online": int(single[uid])},
        )
        for uid in series
    }


def online_person_times(ctx: Context, level: str) -> dict[int, Measure]:
    """T02: person-times of every online activity organised in the unit or below it."""
    rows = ctx.cached(
        "activities:online_person_times",
        lambda: list(
            _online_rows(ctx)
            .values("organiser_path")
            .annotate(total=Sum("online_attendance"))
            .order_by()
            .values_list("organiser_path", "total")
        ),
    )
    if not rows:
        return {}
    return _counts(fold(ctx, level, rows), "online_person_times")


def district_online_person_times(ctx: Context, level: str) -> dict[int, Measure]:
    """S13: online person-times of the district-level institutions only (``district_level_q``:
    organised by the district unit itself or held at one of the five district venues)."""
    if level != OrgLevel.DISTRICT or not _online_rows(ctx).exists():
        return {}
    total = _online_rows(ctx).filter(district_level_q(ctx)).aggregate(t=Sum("online_attendance"))
    value = float(total["t"] or 0)
    return {
        u.id: Measure(value=value, parts={"online_person_times": int(value)})
        for u in ctx.units(level)
    }


def digital_projects(ctx: Context, level: str) -> dict[int, Measure]:
    """S14: thematic digital service projects of the year."""
    if not kinds_recorded(ctx, ("digital_project",)):
        return {}
    return _counts(kind_totals(ctx, level, ("digital_project",)), "digital_projects")


def training_classes(ctx: Context, level: str) -> dict[int, Measure]:
    """T10: arts training classes held in the year."""
    if not kinds_recorded(ctx, ("training_class",)):
        return {}
    return _counts(kind_totals(ctx, level, ("training_class",)), "training_classes")


def canal_brands(ctx: Context, level: str) -> dict[int, Measure]:
    """T11: how many of the named canal series were held (at least one live activity of the
    brand in the year, organised in the unit or below it)."""
    if not has_activity_records(ctx):
        return {}
    n = ctx.path_prefix_length(level)
    keys = ctx.unit_key_by_path(level)
    held: dict[int, dict[str, int]] = {u.id: {b: 0 for b in CANAL_BRANDS} for u in ctx.units(level)}
    rows = ctx.cached(
        "activities:canal_brands",
        lambda: list(
            month_rows(ctx)
            .filter(brand__in=CANAL_BRANDS)
            .values("organiser_path", "brand")
            .annotate(total=Sum("activities"))
            .order_by()
        ),
    )
    for r in rows:
        uid = unit_for_path(r["organiser_path"], n, keys)
        if uid is not None:
            held[uid][r["brand"]] += int(r["total"] or 0)
    return {
        uid: Measure(value=float(sum(1 for c in by.values() if c > 0)), parts={"activities": by})
        for uid, by in held.items()
    }


def signature_activities(ctx: Context, level: str) -> dict[int, Measure]:
    """T12: activities flagged 一街一品 organised by the subdistrict or its communities."""
    if not has_activity_records(ctx):
        return {}
    rows = ctx.cached(
        "activities:signature",
        lambda: list(
            month_rows(ctx)
            .filter(signature__gt=0)
            .values("organiser_path")
            .annotate(total=Sum("signature"))
            .order_by()
            .values_list("organiser_path", "total")
        ),
    )
    return _counts(fold(ctx, level, rows), "signature_activities")


def target_groups(ctx: Context, level: str) -> dict[int, Measure]:
    """T17 (information): per special group, the activities aimed at it and their share of all
    activities; the value is how many of the five groups were reached."""
    if not has_activity_records(ctx):
        return {}
    sums = {"activities": Sum("activities"), **{f: Sum(f) for f in TARGET_GROUP_FIELDS}}
    rows = ctx.cached(
        "activities:target_groups",
        lambda: list(month_rows(ctx).values("organiser_path").annotate(**sums).order_by()),
    )
    totals = {
        key: fold(ctx, level, ((r["organiser_path"], r[key]) for r in rows))
        for key in ("activities", *TARGET_GROUP_FIELDS)
    }
    out = {}
    for u in ctx.units(level):
        all_ = totals["activities"][u.id]
        groups: dict[str, dict[str, float | None]] = {
            f: {
                "activities": int(totals[f][u.id]),
                "share": round(totals[f][u.id] / all_, 4) if all_ else None,
            }
            for f in TARGET_GROUP_FIELDS
        }
        reached = sum(1 for f in TARGET_GROUP_FIELDS if totals[f][u.id] > 0)
        out[u.id] = Measure(value=float(reached), parts={"activities": int(all_), "groups": groups})
    return out


def mass_activities(ctx: Context, level: str) -> dict[int, Measure]:
    """S29: district and subdistrict: mass cultural activities and performances organised by the
    unit itself in the year; community: the per-week rule (at least two performances organised
    by the community in every judged week)."""
    if level == OrgLevel.COMMUNITY:
        if not kinds_recorded(ctx, PERFORMANCE_KINDS):
            return {}
        return per_week_rule(ctx, level, PERFORMANCE_KINDS, 2)
    if not kinds_recorded(ctx, MASS_KINDS):
        return {}
    return _counts(kind_totals(ctx, level, MASS_KINDS, own=True), "activities")


def exchange_visits(ctx: Context, level: str) -> dict[int, Measure]:
    """S46: cultural exchange visits (文化走亲) of the district-level venues."""
    if level != OrgLevel.DISTRICT or not kinds_recorded(ctx, ("exchange_visit",)):
        return {}
    total = (
        month_rows(ctx, ("exchange_visit",))
        .filter(district_level_q(ctx))
        .aggregate(t=Sum("activities"))
    )
    value = float(total["t"] or 0)
    return {
        u.id: Measure(value=value, parts={"exchange_visits": int(value)}) for u in ctx.units(level)
    }


def international_exchange(ctx: Context, level: str) -> dict[int, Measure]:
    """S49: open international exchange bases in the registry plus the year's international
    exchange activities (each one project)."""
    bases = open_venues((VenueKind.EXCHANGE_BASE,)).values_list("operator_unit__path", flat=True)
    projects = (
        month_rows(ctx, ("international_exchange",))
        .values("organiser_path")
        .annotate(total=Sum("activities"))
        .order_by()
        .values_list("organiser_path", "total")
    )
    base_paths, project_rows = list(bases), list(projects)
    if not base_paths and not project_rows:
        return {}
    by_bases = fold(ctx, level, ((p, 1) for p in base_paths))
    by_projects = fold(ctx, level, project_rows)
    return {
        uid: Measure(
            value=by_bases[uid] + by_projects[uid],
            parts={"bases": int(by_bases[uid]), "projects": int(by_projects[uid])},
        )
        for uid in by_bases
    }
