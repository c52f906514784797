"""A small test catalogue for the cockpit and the selectors, values set by hand per unit code (or
venue code), installed with monkeypatch in place of the real catalogue; runs made through the real
``evaluation_run``.

The world (``tree`` of the root conftest: district 330105; s1 = 湖墅街道 with c11, c12; s2 with
c21, c22) and the values of ``VALUES`` give, for 2025, by hand:

- T02 online person-times, district 1,200,000 against >= 1,000,000: met.
- T10 training classes, district 80 against >= 100: not met, gap 20, relative gap 0.2.
- S06 city bookrooms, district 41 against >= 40 (met), s1 1 (met), s2 0 against >= 1 (not met):
  the district stands not met, 1 of 2 subdistricts, relative gap 0.5.
- S29 performances per community, c11 3, c12 1, c21 2, c22 2 against >= 2: c12 not met; the
  district (judged only per community) 3/4 = 75 %, relative gap 0.25.
- S44 volunteers per 1,000 and S52 satisfaction: no calculator, nothing reported: no_data.
- T14 and S48 (the same measure, counted once): every subdistrict and community 1 (yes): met.
- S20 weekly hours per venue >= 40: VA (c11) 60, VB (c21) 30, VC (c12) 45: VB not met; district
  2/3 venues (relative gap 1/3), s1 2/2, s2 0/1, c11 and c12 met, c21 not met, c22 none.

District: counted T02, T10, S06, S29, S44, S52, T14, S20 (S48 counted with T14): met 2 (T02,
T14), judged 6; missed, worst first: S06 (0.5), S20 (1/3), S29 (0.25), T10 (0.2).
s1: S06, T14, S20 met, S29 not met: 3/4. s2: S29, T14 met, S06 and S20 not met: 2/4.
"""

from __future__ import annotations

from typing import Any

import pytest

from culture.standards import catalogue, engine
from culture.standards.calculators import Measure
from culture.standards.catalogue.types import (
    COMMUNITY,
    COUNT,
    DISTRICT,
    FLAG,
    HOURS,
    PER_THOUSAND,
    PERSON_TIMES,
    SHARE,
    SUBDISTRICT,
    VENUE,
    Indicator,
    always,
)
from culture.venues.models import Venue

YEAR = 2025


def _values(tree: dict[str, Any]) -> dict[str, dict[str, float]]:
    d, s1, s2 = tree["district"].code, tree["s1"].code, tree["s2"].code
    c11, c12, c21, c22 = (tree[k].code for k in ("c11", "c12", "c21", "c22"))
    yes = {s1: 1.0, s2: 1.0, c11: 1.0, c12: 1.0, c21: 1.0, c22: 1.0}
    return {
        "T02": {d: 1_200_000},
        "T10": {d: 80},
        "S06": {d: 41, s1: 1, s2: 0},
        "S29": {c11: 3, c12: 1, c21: 2, c22: 2},
        "T14": yes,
        "S48": yes,
        "S20": {"VA": 60, "VB": 30, "VC": 45},
    }


def _calc(values: dict[str, dict[str, float]], ind_id: str):
    def calculate(ctx, level):
        got = values.get(ind_id, {})
        if level == VENUE:
            ids = dict(Venue.objects.filter(code__in=list(got)).values_list("code", "id"))
            return {ids[code]: Measure(v) for code, v in got.items() if code in ids}
        return {u.id: Measure(got[u.code]) for u in ctx.units(level) if u.code in got}

    return calculate


def _ind(ind_id: str, levels, unit, thresholds, owner: str, **kw) -> Indicator:
    return Indicator(
        id=ind_id,
        clause=kw.pop("clause", "附件 测试"),
        quote_zh=kw.pop("quote_zh", f"{ind_id} 的条款原文"),
        title_zh=kw.pop("title_zh", f"测试指标{ind_id}"),
        title_en=kw.pop("title_en", f"Test indicator {ind_id}"),
        levels=levels,
        unit=unit,
        thresholds=thresholds,
        owner_zh=owner,
        owner_en=f"Owner of {ind_id}",
        **kw,
    )


def build_catalogue(values: dict[str, dict[str, float]]) -> dict[str, Indicator]:
    c = lambda i: _calc(values, i)  # noqa: E731
    org = (DISTRICT, SUBDISTRICT, COMMUNITY)
    items = [
        _ind("T02", (DISTRICT,), PERSON_TIMES, {DISTRICT: always(1_000_000)}, "区文旅局",
             calculator=c("T02"), title_zh="线上服务人次不少于100万"),
        _ind("T10", (DISTRICT,), COUNT, {DISTRICT: always(100)}, "区文化馆",
             calculator=c("T10"), title_zh="艺术普及培训班不少于100场",
             quote_zh="深化全民艺术普及，每年开展艺术普及培训班100场",
             definition_zh="当年开始、未取消的培训班场数。",
             uses_definitions=("offpeak_start",)),
        _ind("T14", (SUBDISTRICT, COMMUNITY), FLAG, {"*": always(1)}, "各街道",
             calculator=c("T14")),
        _ind("S06", (DISTRICT, SUBDISTRICT), COUNT,
             {DISTRICT: always(40), SUBDISTRICT: always(1)}, "区图书馆", calculator=c("S06")),
        _ind("S20", (VENUE,), HOURS, {"*": always(40)}, "各场馆", calculator=c("S20")),
        _ind("S29", (COMMUNITY,), COUNT, {COMMUNITY: always(2)}, "各社区", calculator=c("S29")),
        _ind("S44", org, PER_THOUSAND, {"*": always(3)}, "区文化馆"),
        _ind("S48", (SUBDISTRICT, COMMUNITY), FLAG, {"*": always(1)}, "各街道",
             calculator=c("S48"), same_measure_as="T14"),
        _ind("S52", (DISTRICT, SUBDISTRICT), SHARE, {"*": always(0.85)}, "区文旅局"),
    ]  # fmt: skip
    return {i.id: i for i in items}


def install(monkeypatch: pytest.MonkeyPatch, tree: dict[str, Any]) -> dict[str, Indicator]:
    """Put the test catalogue in place of the real one (engine and catalogue module)."""
    cat = build_catalogue(_values(tree))
    monkeypatch.setattr(catalogue, "CATALOGUE", cat)
    monkeypatch.setattr(engine, "CATALOGUE", cat)
    return cat


def venues(tree: dict[str, Any]) -> dict[str, Venue]:
    """VA in c11 and VC in c12 (run by s1), VB in c21 (run by s2)."""
    from culture.venues.tests.factories import venue

    return {
        "VA": venue(operator=tree["s1"], at=tree["c11"], code="VA", name_zh="测试书房甲"),
        "VB": venue(operator=tree["s2"], at=tree["c21"], code="VB", name_zh="测试书房乙"),
        "VC": venue(operator=tree["s1"], at=tree["c12"], code="VC", name_zh="测试书房丙"),
    }


def world(monkeypatch: pytest.MonkeyPatch, tree: dict[str, Any], *, run: bool = True):
    """The test catalogue, the three venues and (by default) a stored run of 2025."""
    from culture.standards.services.evaluation import evaluation_run

    install(monkeypatch, tree)
    made = venues(tree)
    return (evaluation_run(year=YEAR, trigger="test") if run else None), made
