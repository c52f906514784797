"""The items checked from the registry: the venue, the spaces, signage, opening hours (off-peak
and holidays), fees and online booking."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Any

import holidays
from django.utils.translation import gettext as _

from culture.circles.checklist.basics import (
    HOLIDAY_OPEN_SHARE,
    Item,
    enum,
    metres,
    semi,
    space_kinds,
    venue_kinds,
)
from culture.circles.models import Circle
from culture.core.errors import ServiceError
from culture.venues import hours
from culture.venues.models import Venue, VenueStatus


# ----- one item at a time -------------------------------------------------------------------------
def dist_text(d: float | None) -> str:
    return _("距离未知") if d is None else _("%(m)s 米") % {"m": metres(d)}


def check_venue(circle: Circle, dist: dict[int, float | None], radius: float) -> Item:
    v = circle.essential_venue
    if v is None:
        return Item("venue", False, _("尚未指定必备公共文化场馆"))
    d = dist.get(v.pk)
    if v.kind not in venue_kinds():
        return Item("venue", False, _("%(name)s（%(kind)s）不属于公共文化场馆类型")
                    % {"name": v.name_zh, "kind": v.get_kind_display()})  # fmt: skip
    if v.status != VenueStatus.OPEN:
        return Item("venue", False, _("%(name)s 未开放") % {"name": v.name_zh})
    if d is None or d > radius:
        return Item("venue", False, _("%(name)s 距圈中心 %(d)s，超出 %(r)s 米")
                    % {"name": v.name_zh, "d": dist_text(d), "r": metres(radius)})  # fmt: skip
    return Item("venue", True, _("%(name)s（%(kind)s），距圈中心 %(d)s")
                % {"name": v.name_zh, "kind": v.get_kind_display(), "d": dist_text(d)})  # fmt: skip


def check_spaces(
    circle: Circle, spaces: list[Venue], dist: dict[int, float | None], radius: float
) -> Item:
    good: list[str] = []
    bad: list[str] = []
    kinds = space_kinds()
    for s in spaces:
        d = dist.get(s.pk)
        if s.kind not in kinds:
            bad.append(_("%(name)s 不属于公益性文化空间类型") % {"name": s.name_zh})
        elif s.status != VenueStatus.OPEN:
            bad.append(_("%(name)s 未开放") % {"name": s.name_zh})
        elif d is None or d > radius:
            bad.append(
                _("%(name)s 距圈中心 %(d)s，超出范围") % {"name": s.name_zh, "d": dist_text(d)}
            )
        else:
            good.append(f"{s.name_zh} {dist_text(d)}")
    if len(good) >= 2:
        return Item("spaces", True, _("%(n)s 处：%(list)s") % {"n": len(good), "list": enum(good)})
    reason = _("符合条件的只有 %(n)s 处，至少需要 2 处") % {"n": len(good)}
    if bad:
        reason += _("（%(details)s）") % {"details": semi(bad)}
    return Item("spaces", False, reason)


def names(venues: Iterable[Venue]) -> str:
    return enum(v.name_zh for v in venues)


def holiday_open_days(opening_hours: str, year: int) -> tuple[int, int]:
    """(public-holiday days of ``year`` with open time, public-holiday days of ``year``)."""
    oh = hours.parse(opening_hours)
    days = sorted(holidays.country_holidays(hours.COUNTRY, years=year))
    open_days = 0
    for day in days:
        start = datetime.combine(day, time())  # wall-clock local time, as opening_hours reads it
        spans = oh.intervals(start, start + timedelta(days=1))
        if any(str(state).rsplit(".", 1)[-1].upper() == "OPEN" for _s, _e, state, _c in spans):
            open_days += 1
    return open_days, len(days)


def offpeak_week_hours(opening_hours: str, year: int) -> float:
    """Off-peak open hours in the year's ordinary reference week (``hours.week_chart``)."""
    return sum(s.end - s.start for s in hours.week_chart(opening_hours, year=year) if s.offpeak)


def hours_figures(value: str, year: int, memo: dict[str, tuple[float, int, int]]) -> tuple:
    if value not in memo:
        memo[value] = (offpeak_week_hours(value, year), *holiday_open_days(value, year))
    return memo[value]


def check_hours(
    facilities: list[Venue], year: int, memo: dict[str, tuple[float, int, int]]
) -> Item:
    if not facilities:
        return Item("hours", False, _("尚无开放的设施"))
    problems: list[str] = []
    for v in facilities:
        if not v.opening_hours:
            problems.append(_("%(name)s 未填写开放时间") % {"name": v.name_zh})
            continue
        try:
            offpeak, n_open, n_days = hours_figures(v.opening_hours, year, memo)
        except ServiceError:
            problems.append(_("%(name)s 的开放时间无法解析") % {"name": v.name_zh})
            continue
        if not v.offpeak_share or offpeak <= 0:
            problems.append(_("%(name)s 平常周没有错时开放时段（工作日核心时段以外或双休日）")
                            % {"name": v.name_zh})  # fmt: skip
        if n_days and n_open < HOLIDAY_OPEN_SHARE * n_days:
            problems.append(_("%(name)s 节假日基本不开放（%(y)s年法定节假日 %(d)s 天中开放 %(o)s 天）")
                            % {"name": v.name_zh, "y": year, "d": n_days, "o": n_open})  # fmt: skip
    if problems:
        return Item("hours", False, semi(problems))
    return Item("hours", True, _("%(n)s 处设施均有错时开放，节假日开放") % {"n": len(facilities)})


def check_flag(key: str, facilities: list[Venue], ok: Any, fail: str, success: str) -> Item:
    if not facilities:
        return Item(key, False, _("尚无开放的设施"))
    failing = [v for v in facilities if not ok(v)]
    if failing:
        return Item(key, False, fail % {"names": names(failing)})
    return Item(key, True, success % {"n": len(facilities)})


def check_signage(circle: Circle, facilities: list[Venue]) -> Item:
    problems: list[str] = []
    if not facilities:
        problems.append(_("尚无开放的设施"))
    unsigned = [v for v in facilities if not v.has_signage]
    if unsigned:
        problems.append(_("无统一标识：%(names)s") % {"names": names(unsigned)})
    if not circle.has_information_board:
        problems.append(_("未设信息公示栏"))
    if problems:
        return Item("signage", False, semi(problems))
    return Item(
        "signage", True, _("%(n)s 处设施均有统一标识，已设信息公示栏") % {"n": len(facilities)}
    )
