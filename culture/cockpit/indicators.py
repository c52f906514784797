"""The indicator pages: the catalogue with each indicator's standing, and one indicator in full
(clause, definition, thresholds per tier, owner, named definitions, every unit's value, history,
and links to the records that make each number)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from culture.activities.kinds import KINDS
from culture.core.errors import NotFound
from culture.org.models import OrgLevel
from culture.standards import catalogue, selectors
from culture.standards.catalogue.types import ATTEST, DATA_ATTEST, VENUE, Indicator
from culture.standards.definitions import DEFINITION_BY_KEY
from culture.standards.engine import current_definitions
from culture.standards.models import Status
from culture.venues.models import VenueKind

from . import formatting
from .panels import cockpit_url, english, indicator_url, owner_of, title_of, year_choices

LEVEL_LABEL = {**dict(OrgLevel.choices), VENUE: gettext_lazy("场馆")}
KIND_LABEL = {
    "data": gettext_lazy("数据计算"),
    ATTEST: gettext_lazy("佐证认定"),
    DATA_ATTEST: gettext_lazy("数据或佐证"),
}


def level_label(level: str) -> str:
    return str(LEVEL_LABEL.get(level, level))


def join_levels(levels: tuple[str, ...]) -> str:
    return (", " if english() else "、").join(level_label(lv) for lv in levels)


def tier_label(tier: str) -> str:
    """A threshold tier: an org level, a venue kind (S20: library, branch library...) or "*"."""
    if tier == "*":
        return _("各级")
    if tier in LEVEL_LABEL:
        return level_label(tier)
    return str(dict(VenueKind.choices).get(tier, tier))


def _module_of(indicator: Indicator) -> str:
    return getattr(indicator.calculator, "__module__", "") or ""


def records_links(
    indicator: Indicator, *, unit_code: str, year: int, venue_kinds: list[str] | None = None
) -> list[dict[str, str]]:
    """Links to the list pages, filtered to the records that make ``indicator``'s number for a
    unit: activities of the kinds that feed it in the year; the venues of the kinds it judges;
    the unit's teams. An indicator may name its own (``extra["records"]``: a list of
    ``{"page": "activities"|"venues"|"teams"|"staff", "filters": {...}}``). Indicators whose
    records have no list page (S17's library copies, the coverage of T03) link to none."""
    declared = indicator.extra.get("records") if indicator.extra else None
    if isinstance(declared, dict):
        declared = [declared]
    wanted: list[tuple[str, dict[str, str]]] = [
        (d.get("page", ""), dict(d.get("filters") or {})) for d in declared or []
    ]
    if not wanted:
        module = _module_of(indicator)
        kinds = [k for k in KINDS if indicator.id in k.indicators]
        wanted += [("activities", {"kind": k.code}) for k in kinds]
        if not kinds and ".activities" in module:
            wanted.append(("activities", {}))
        if VENUE in indicator.levels or ".venues" in module:
            kinds_filter = ",".join(sorted(set(venue_kinds or [])))
            wanted.append(("venues", {"kind": kinds_filter} if kinds_filter else {}))
        if module.endswith(".teams"):
            wanted.append(("teams", {}))
        elif module.endswith(".staff"):
            wanted.append(("staff", {}))
    links = []
    labels = {k.code: (k.label_en if english() else k.label_zh) for k in KINDS}
    for page, filters in wanted:
        query = {k: v for k, v in filters.items() if v}
        if page == "activities":
            query.update(
                {"unit": unit_code, "date_from": f"{year}-01-01", "date_to": f"{year}-12-31"}
            )
            label = _("活动记录")
            if query.get("kind") in labels:
                label = _("活动记录：%(kind)s") % {"kind": labels[query["kind"]]}
            url = reverse("activities:list")
        elif page == "venues":
            query["unit"] = unit_code
            label, url = _("场馆记录"), reverse("venues:list")
        elif page == "teams":
            query["unit"] = unit_code
            label, url = _("团队记录"), reverse("teams:team_list")
        elif page == "staff":
            query["unit"] = unit_code
            label, url = _("工作人员记录"), reverse("accounts:staff_list")
        else:
            continue
        links.append({"label": label, "url": f"{url}?{urlencode(query)}"})
    return links


def thresholds(indicator: Indicator) -> list[dict[str, Any]]:
    """Each tier's schedule: [{tier, steps: [(from_year, "≥ 100")]}]."""
    out = []
    for tier, schedule in indicator.thresholds.items():
        steps = [
            {"year": s.from_year,
             "text": formatting.target_text(s.threshold, indicator.comparator, indicator.unit)}
            for s in sorted(schedule, key=lambda s: s.from_year)
        ]  # fmt: skip
        out.append({"tier": tier_label(tier), "steps": steps})
    return out


def _definitions(indicator: Indicator, run: Any) -> list[dict[str, Any]]:
    if not indicator.uses_definitions:
        return []
    current = current_definitions()
    out = []
    for key in indicator.uses_definitions:
        d = DEFINITION_BY_KEY.get(key)
        if d is None:
            continue
        used = run.definitions.get(key) if run is not None else None
        out.append(
            {
                "label": d.label_en if english() else d.label_zh,
                "help": d.help_en if english() else d.help_zh,
                "value": current.get(key),
                "used": used,
                "differs": run is not None and used != current.get(key),
            }
        )
    return out


def _rows(
    indicator: Indicator, results: Any, *, year: int, venue_kinds: list[str]
) -> list[dict[str, Any]]:
    rows = []
    for r in results:
        if r.venue_id:
            links = [{"label": _("场馆详情"), "url": reverse("venues:detail", args=[r.venue.code])}]
            name = r.venue.display_name
            place = r.org_unit.display_name if r.org_unit else ""
            drill = ""
        else:
            code = r.org_unit.code
            links = records_links(indicator, unit_code=code, year=year, venue_kinds=venue_kinds)
            name, place = r.org_unit.display_name, ""
            drill = indicator_url(indicator.id, year=year, unit=r.org_unit)
        rows.append({"r": r, "name": name, "place": place, "links": links, "drill": drill})
    return rows


def below_counts(standing: Any) -> list[dict[str, Any]]:
    """[{level, met, judged}] of the units below, for a standing (none for its own level)."""
    if standing is None:
        return []
    return [
        {"level": level_label(lv), "met": c.get(Status.MET, 0),
         "judged": c.get(Status.MET, 0) + c.get(Status.NOT_MET, 0)}
        for lv, c in standing.below.items()
    ]  # fmt: skip


def indicator_context(
    *, viewer: Any, indicator_id: str, year: int, unit_code: str | None
) -> dict[str, Any]:
    indicator = catalogue.get_indicator(indicator_id)
    if indicator is None:
        raise NotFound(_("没有编号为 %(id)s 的指标") % {"id": indicator_id[:8]})
    focus = selectors.focus_unit(viewer=viewer, code=unit_code)
    run = selectors.run_latest(viewer=viewer, year=year)
    below = (focus.level, *selectors.deeper_levels(focus.level))
    levels = [lv for lv in below if lv in indicator.levels or VENUE in indicator.levels]
    if VENUE in indicator.levels:
        levels.append(VENUE)
    found: dict[str, list[Any]] = {}
    for level in levels:
        if run is None:
            break
        found[level] = list(
            selectors.indicator_results(
                viewer=viewer, run=run, indicator_id=indicator.id, level=level, under=focus
            )
        )
    kinds = [r.venue.kind for r in found.get(VENUE, []) if r.venue is not None]
    sections = [
        {"level": level, "label": level_label(level),
         "rows": _rows(indicator, results, year=year, venue_kinds=kinds)}
        for level, results in found.items()
        if results
    ]  # fmt: skip
    history = selectors.indicator_history(viewer=viewer, indicator_id=indicator.id, unit=focus)
    standing = next((p.standing for p in history if p.year == year), None)
    return {
        "nav": "cockpit",
        "indicator": indicator,
        "title": title_of(indicator),
        "owner": owner_of(indicator),
        "definition": (indicator.definition_en if english() else "") or indicator.definition_zh,
        "notes": (indicator.notes_en if english() else "") or indicator.notes_zh,
        "kind_label": KIND_LABEL.get(indicator.kind, indicator.kind),
        "levels_label": join_levels(indicator.levels),
        "thresholds": thresholds(indicator),
        "definitions": _definitions(indicator, run),
        "same_as": catalogue.CATALOGUE.get(indicator.same_measure_as),
        "year": year,
        "years": year_choices(viewer),
        "focus": focus,
        "breadcrumbs": [
            {"unit": u, "url": indicator_url(indicator.id, year=year, unit=u)}
            for u in selectors.unit_breadcrumbs(viewer=viewer, unit=focus)
        ],
        "run": run,
        "fresh": formatting.freshness(run) if run else None,
        "standing": standing,
        "below": below_counts(standing),
        "sections": sections,
        "history": history,
        "focus_links": records_links(indicator, unit_code=focus.code, year=year, venue_kinds=kinds),
        "cockpit_url": cockpit_url(year=year, unit=focus),
        "catalogue_url": f"{reverse('cockpit:indicators')}?year={year}&unit={focus.code}",
    }


def catalogue_context(*, viewer: Any, year: int, unit_code: str | None) -> dict[str, Any]:
    focus = selectors.focus_unit(viewer=viewer, code=unit_code)
    run = selectors.run_latest(viewer=viewer, year=year)
    me = None
    if run is not None:
        found = selectors.standings(viewer=viewer, run=run, under=focus, level=focus.level)
        me = found[0] if found else None
    rows: list[dict[str, Any]] = [
        {
            "indicator": ind,
            "title": title_of(ind),
            "owner": owner_of(ind),
            "levels": join_levels(ind.levels),
            "standing": me.by_indicator.get(ind.id) if me else None,
            "url": indicator_url(ind.id, year=year, unit=focus),
        }
        for ind in catalogue.CATALOGUE.values()
    ]
    return {
        "nav": "cockpit",
        "year": year,
        "years": year_choices(viewer),
        "focus": focus,
        "run": run,
        "fresh": formatting.freshness(run) if run else None,
        "main_rows": [r for r in rows if r["indicator"].id.startswith("T")],
        "annex_rows": [r for r in rows if r["indicator"].id.startswith("S")],
        "me": me,
        "cockpit_url": cockpit_url(year=year, unit=focus),
    }
