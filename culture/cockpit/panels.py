"""What the cockpit shows, assembled from the standards selectors (a fixed number of queries,
whatever the number of units, venues or records)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _

from culture.core.errors import ValidationFailed
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel
from culture.standards import catalogue, selectors
from culture.standards.catalogue.types import POLICY_FIRST_YEAR, VENUE
from culture.standards.models import Status
from culture.standards.standing import UnitStanding, missed_targets

from . import formatting

# Headline tiles: indicator id, short label. T03 only once the catalogue has it (the circles).
TILES = (
    ("T02", pgettext_lazy("cockpit tile", "线上服务人次")),
    ("T03", pgettext_lazy("cockpit tile", "15 分钟文化圈覆盖率")),
    ("S06", pgettext_lazy("cockpit tile", "城市书房")),
    ("T06", pgettext_lazy("cockpit tile", "文艺团队")),
    ("S44", pgettext_lazy("cockpit tile", "每千人文化志愿者")),
    ("S52", pgettext_lazy("cockpit tile", "群众满意度")),
)
OPTIONAL_TILES = {"T03"}
CHILD_LEVEL = {OrgLevel.DISTRICT: OrgLevel.SUBDISTRICT, OrgLevel.SUBDISTRICT: OrgLevel.COMMUNITY}
SCREEN_MISSED = 9  # rows of the missed list that fit the big screen
PAGE_MISSED = 8  # shown at once on the page; the rest open below


def english() -> bool:
    return (get_language() or "").startswith("en")


def parse_year(raw: Any) -> int:
    """The year asked for (default: this year), between the policy's first year and now."""
    this_year = timezone.localdate().year
    if raw in (None, ""):
        return this_year
    try:
        year = int(str(raw).strip())
    except ValueError:
        raise ValidationFailed(_("年度应为四位数字，例如 2025"), field="year") from None
    if not POLICY_FIRST_YEAR <= year <= this_year:
        raise ValidationFailed(
            _("年度应在 %(first)s 至 %(last)s 之间")
            % {"first": POLICY_FIRST_YEAR, "last": this_year},
            field="year",
        )
    return year


def cockpit_url(*, year: int, unit: Any = None, screen: bool = False) -> str:
    query = {"year": year}
    if unit is not None:
        query["unit"] = unit.code
    name = "cockpit:screen" if screen else "cockpit:home"
    return f"{reverse(name)}?{urlencode(query)}"


def indicator_url(indicator_id: str, *, year: int, unit: Any = None) -> str:
    query = {"year": year, **({"unit": unit.code} if unit is not None else {})}
    return f"{reverse('cockpit:indicator', args=[indicator_id])}?{urlencode(query)}"


def title_of(indicator: Any) -> str:
    return indicator.title_en if english() and indicator.title_en else indicator.title_zh


def owner_of(indicator: Any) -> str:
    return (indicator.owner_en if english() and indicator.owner_en else indicator.owner_zh) or "—"


def year_choices(viewer: Any) -> list[dict[str, Any]]:
    with_runs = set(selectors.run_years(viewer=viewer))
    this_year = timezone.localdate().year
    return [
        {"year": y, "has_run": y in with_runs} for y in range(this_year, POLICY_FIRST_YEAR - 1, -1)
    ]


def _tiles(me: UnitStanding, focus: Any, year: int) -> list[dict[str, Any]]:
    tiles = []
    for ind_id, label in TILES:
        indicator = catalogue.CATALOGUE.get(ind_id)
        if indicator is None:
            if ind_id in OPTIONAL_TILES or focus.level != OrgLevel.DISTRICT:
                continue
        elif focus.level not in indicator.levels and VENUE not in indicator.levels:
            continue
        standing = me.by_indicator.get(ind_id)
        # "暂无数据" when there is nothing to show, never a 0: no result, no data, or neither a
        # value nor a verdict.
        has_value = standing is not None and (
            standing.status != Status.NO_DATA
            and (standing.value is not None or standing.status in (Status.MET, Status.NOT_MET))
        )
        tiles.append(
            {
                "id": ind_id,
                "label": label,
                "standing": standing if has_value else None,
                "status": standing.status if standing else Status.NO_DATA,
                "url": indicator_url(ind_id, year=year, unit=focus) if indicator else "",
            }
        )
    return tiles


def _missed(me: UnitStanding, focus: Any, year: int) -> list[dict[str, Any]]:
    rows = []
    for indicator, standing in missed_targets(me):
        below = [
            {"level": OrgLevel(lv).label, "met": c.get(Status.MET, 0),
             "judged": c.get(Status.MET, 0) + c.get(Status.NOT_MET, 0)}
            for lv, c in standing.below.items()
            if c.get(Status.NOT_MET)
        ]  # fmt: skip
        rows.append(
            {
                "indicator": indicator,
                "title": title_of(indicator),
                "owner": owner_of(indicator),
                "standing": standing,
                "below": below,
                "url": indicator_url(indicator.id, year=year, unit=focus),
            }
        )
    return rows


def _map_data(children: list[UnitStanding], year: int) -> dict[str, Any]:
    return {
        s.unit.code: {
            "name": s.unit.display_name,
            "share": None if s.share is None else round(s.share * 100, 1),
            "met": s.met,
            "judged": s.judged,
            "url": cockpit_url(year=year, unit=s.unit),
        }
        for s in children
    }


def _geojson_url(focus: Any) -> str:
    query = {"parent": focus.code} if focus.level in CHILD_LEVEL else {"unit": focus.code}
    return f"{reverse('org:geojson')}?{urlencode(query)}"


def cockpit_context(*, viewer: Any, year: int, unit_code: str | None) -> dict[str, Any]:
    focus = selectors.focus_unit(viewer=viewer, code=unit_code)
    scope = viewer_scope(viewer)
    run = selectors.run_latest(viewer=viewer, year=year)
    child_level = CHILD_LEVEL.get(OrgLevel(focus.level))
    context: dict[str, Any] = {
        "nav": "cockpit",
        "year": year,
        "years": year_choices(viewer),
        "focus": focus,
        "child_level": OrgLevel(child_level).label if child_level else "",
        "breadcrumbs": [
            {"unit": u, "url": cockpit_url(year=year, unit=u)}
            for u in selectors.unit_breadcrumbs(viewer=viewer, unit=focus)
        ],
        "run": run,
        "can_evaluate": scope.has_role(Role.DISTRICT_OFFICER),
        "trend": selectors.activity_trend(viewer=viewer, year=year, unit=focus),
        "geojson_url": _geojson_url(focus),
        "screen_url": cockpit_url(year=year, unit=focus, screen=True),
        "page_url": cockpit_url(year=year, unit=focus),
        "catalogue_url": f"{reverse('cockpit:indicators')}?year={year}&unit={focus.code}",
        "catalogue_size": len(catalogue.CATALOGUE),
    }
    if run is None:
        return context
    [me] = selectors.standings(viewer=viewer, run=run, under=focus, level=focus.level) or [
        UnitStanding(focus, {})
    ]
    children = (
        selectors.standings(viewer=viewer, run=run, under=focus, level=child_level)
        if child_level
        else [me]
    )
    counts = me.counts
    missed = _missed(me, focus, year)
    context.update(
        {
            "fresh": formatting.freshness(run),
            "me": me,
            "counts": {
                "met": me.met,
                "judged": me.judged,
                "not_due": counts.get(Status.NOT_DUE, 0),
                "no_data": counts.get(Status.NO_DATA, 0),
                "share": me.share,
            },
            "tiles": _tiles(me, focus, year),
            "missed": missed,
            "missed_top": missed[:PAGE_MISSED],
            "missed_rest": missed[PAGE_MISSED:],
            "missed_screen": missed[:SCREEN_MISSED],
            "missed_more": max(len(missed) - SCREEN_MISSED, 0),
            "children": [
                {"standing": s, "url": cockpit_url(year=year, unit=s.unit)}
                for s in (children if child_level else [])
            ],
            "map_data": _map_data(children, year),
            "venues": (
                selectors.venue_standings(viewer=viewer, run=run, unit=focus)
                if focus.level != OrgLevel.DISTRICT
                else None
            ),
        }
    )
    return context
