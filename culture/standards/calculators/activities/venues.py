"""Counts of activities by where they were held: performances delivered to each subdistrict
(S27, org level, by the venue's location) and the venue-level rules (S28 state-owned theatres,
S30 main/branch joint services, S31 exhibitions)."""

from __future__ import annotations

from django.db.models import Sum

from culture.org.models import OrgLevel
from culture.standards.calculators import Context, Measure, unit_for_path
from culture.standards.calculators.activities.base import (
    kinds_recorded,
    month_rows,
    open_venues,
    venue_totals,
)
from culture.venues.models import DISTRICT_VENUE_KINDS, VenueKind

DELIVERED = ("performance_delivered",)


def performances_delivered(ctx: Context, level: str) -> dict[int, Measure]:
    """S27: performances delivered (送演出) in the year. Each counts for the subdistrict it was
    held in: the location of its venue (else the venue's operator), else its organiser when
    that is a subdistrict or community. Subdistrict: its own count. District: the average per
    subdistrict (every delivered performance / number of subdistricts), the policy's 平均."""
    if not kinds_recorded(ctx, DELIVERED):
        return {}
    rows = (
        month_rows(ctx, DELIVERED)
        .values(
            "organiser_path",
            "venue__location_community__path",
            "venue__operator_unit__path",
        )
        .annotate(total=Sum("activities"))
        .order_by()
    )
    subdistricts = ctx.units(OrgLevel.SUBDISTRICT)
    n = ctx.path_prefix_length(OrgLevel.SUBDISTRICT)
    keys = ctx.unit_key_by_path(OrgLevel.SUBDISTRICT)
    per_sub = {u.id: 0 for u in subdistricts}
    total = unplaced = 0
    for r in rows:
        count = int(r["total"] or 0)
        place = (
            r["venue__location_community__path"]
            or r["venue__operator_unit__path"]
            or r["organiser_path"]
        )
        total += count
        sub_id = unit_for_path(place, n, keys)
        if sub_id is None:
            unplaced += count
        else:
            per_sub[sub_id] += count
    if level == OrgLevel.SUBDISTRICT:
        return {uid: Measure(value=float(c), parts={"delivered": c}) for uid, c in per_sub.items()}
    if level != OrgLevel.DISTRICT or not subdistricts:
        return {}
    average = total / len(subdistricts)
    return {
        u.id: Measure(
            value=average,
            parts={
                "delivered": total,
                "subdistricts": len(subdistricts),
                "not_placed_in_a_subdistrict": unplaced,
            },
        )
        for u in ctx.units(level)
    }


def theatre_public_benefit(ctx: Context, level: str) -> dict[int, Measure]:
    """S28: public-benefit events held at each open state-owned theatre in the year."""
    kinds = ("theatre_public_benefit",)
    ids = list(
        open_venues((VenueKind.THEATRE,)).filter(state_owned=True).values_list("id", flat=True)
    )
    if not ids:
        return {}
    if not kinds_recorded(ctx, kinds):
        return {vid: Measure(value=None, tier="theatre") for vid in ids}
    return {
        vid: Measure(value=c, tier="theatre", parts={"public_benefit_events": int(c)})
        for vid, c in venue_totals(ctx, kinds, ids).items()
    }


def joint_services(ctx: Context, level: str) -> dict[int, Measure]:
    """S30: main/branch joint services of the year per system (library / culture centre),
    judged at the system's main venue (the district library, the district culture centre).

    The month summaries keep the system of a joint service (``branch_system``): one grouped
    query, counted up to the month of ``as_of`` like every activity."""
    mains = list(
        open_venues((VenueKind.LIBRARY, VenueKind.CULTURE_CENTRE))
        .filter(operator_unit__level=OrgLevel.DISTRICT)
        .values_list("id", "kind")
    )
    if not mains:
        return {}
    per_system = {
        system: int(n or 0)
        for system, n in month_rows(ctx, ("joint_service",))
        .values("branch_system")
        .annotate(n=Sum("activities"))
        .order_by()
        .values_list("branch_system", "n")
    }
    out = {}
    for vid, kind in mains:
        if not per_system:
            out[vid] = Measure(value=None, tier=kind)
            continue
        n = per_system.get(kind, 0)
        out[vid] = Measure(value=float(n), tier=kind, parts={"joint_services": n})
    return out


def exhibitions(ctx: Context, level: str) -> dict[int, Measure]:
    """S31: exhibitions held at each district-level venue (the five district venues and art
    galleries run by the district: tier ``district_venue``) and at each culture station (tier
    ``culture_station``) in the year."""
    kinds = ("exhibition",)
    district_kinds = (*DISTRICT_VENUE_KINDS, VenueKind.GALLERY)
    venues = list(
        open_venues((*district_kinds, VenueKind.CULTURE_STATION)).values_list(
            "id", "kind", "operator_unit__level"
        )
    )
    tiers = {}
    for vid, kind, operator_level in venues:
        if kind == VenueKind.CULTURE_STATION:
            tiers[vid] = "culture_station"
        elif operator_level == OrgLevel.DISTRICT:
            tiers[vid] = "district_venue"
    if not tiers:
        return {}
    if not kinds_recorded(ctx, kinds):
        return {vid: Measure(value=None, tier=t) for vid, t in tiers.items()}
    return {
        vid: Measure(value=c, tier=tiers[vid], parts={"exhibitions": int(c)})
        for vid, c in venue_totals(ctx, kinds, list(tiers)).items()
    }
