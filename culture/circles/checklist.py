"""Zhejiang's list for a 15-minute culture circle, checked item by item from the registry and the
activity records (创建/验收: the district accepts a circle only when every item holds).

The circle's centre is the served community's centroid (``OrgUnit.centroid_lon/lat``; without
one, the centroid of its boundary, computed in EPSG:4549 metres); only a community with neither
falls back to the essential venue's location. Distances are straight lines in EPSG:4549, a
facility within reach when its distance is <= the circle radius (settings
``CULTURE_CIRCLE_RADIUS_M``, 1,500 m), the kinds those of ``culture.circles.rules.culture_circle``.

The items:

1. ``venue``: an essential public culture venue (必备公共文化场馆), open, within reach;
2. ``spaces``: at least two open public-welfare cultural spaces within reach (three facilities
   in all with the venue);
3. ``signage``: every open facility of the circle has unified signage, and the circle an
   information board (统一标识与信息公示栏);
4. ``hours``: every open facility has opening hours with off-peak time (``offpeak_share`` > 0,
   and off-peak hours in the year's ordinary reference week: the yearly share alone counts every
   holiday weekday as off-peak, so plain office hours would pass) and opens on at least half of
   the year's public-holiday days (the ``holidays`` CN calendar, swapped days off included; open
   or not read from its ``opening_hours`` by the parser, whose own ``PH`` is one statutory day
   per festival);
5. ``fees``: every open facility is free or low-fee;
6. ``booking``: every open facility takes bookings online. The platform has no booking module
   yet: a venue onboarded to 浙江智慧文化云 or 浙里基本公共服务 stands for it (the pages say so);
7. ``demand``: the circle has activity sign-up and demand expression (a flag of the circle);
8. ``weekly``: at least one offline, not cancelled activity in each of the last N weeks
   (settings ``CULTURE_CIRCLE_ACTIVITY_WEEKS``, 4), at the circle's facilities or organised by
   the community. The weeks are seven-day periods ending today (the latest is today and the
   six days before it), so a Monday is not judged on an empty week; one grouped query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import holidays
import shapely
from django.conf import settings
from django.db.models import Count, Q, prefetch_related_objects
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely.geometry import shape

from culture.activities.models import Activity
from culture.circles.models import Circle
from culture.circles.rules import culture_circle
from culture.core import geo
from culture.core.errors import ServiceError
from culture.venues import hours
from culture.venues.models import FeePolicy, Venue, VenueStatus

DEFAULT_ACTIVITY_WEEKS = 4
HOLIDAY_OPEN_SHARE = 0.5  # open on at least this share of the year's public-holiday days

ITEM_LABELS = {
    "venue": gettext_lazy("必备公共文化场馆"),
    "spaces": gettext_lazy("至少两处公益性公共文化空间（共三处设施）"),
    "signage": gettext_lazy("统一标识与信息公示栏"),
    "hours": gettext_lazy("错时开放与节假日开放"),
    "fees": gettext_lazy("免费或低收费服务"),
    "booking": gettext_lazy("线上预约"),
    "demand": gettext_lazy("活动报名与需求表达"),
    "weekly": gettext_lazy("每周至少一场线下活动"),
}


def activity_weeks() -> int:
    return int(getattr(settings, "CULTURE_CIRCLE_ACTIVITY_WEEKS", DEFAULT_ACTIVITY_WEEKS))


def venue_kinds() -> tuple[str, ...]:
    return culture_circle().requirements[0].kinds


def space_kinds() -> tuple[str, ...]:
    return culture_circle().requirements[1].kinds


def radius_m() -> float:
    return culture_circle().radius_m


def metres(value: float) -> str:
    return f"{round(value):,}"


def enum(items: Iterable[str]) -> str:
    """A list in running text: 、 in Chinese, a comma in English."""
    return _("、").join(items)


def semi(items: Iterable[str]) -> str:
    return _("；").join(items)


@dataclass(frozen=True)
class Centre:
    x: float  # EPSG:4549 metres
    y: float
    source: str  # "centroid" | "boundary" | "venue"

    @property
    def source_label(self) -> str:
        return {
            "centroid": _("社区中心点"),
            "boundary": _("社区边界的几何中心"),
            "venue": _("必备场馆所在地（社区没有中心点和边界）"),
        }[self.source]


def circle_centre(circle: Circle, transformer: Any = None) -> Centre | None:
    """The circle's centre in metres (see the module docstring), or None when unknown."""
    t = transformer or geo.metric_transformer()
    c = circle.community
    if c.centroid_lon is not None and c.centroid_lat is not None:
        x, y = t.transform(c.centroid_lon, c.centroid_lat)
        return Centre(float(x), float(y), "centroid")
    if c.boundary:
        centroid = shapely.transform(shape(c.boundary), t.transform, interleaved=False).centroid
        if not centroid.is_empty:
            return Centre(float(centroid.x), float(centroid.y), "boundary")
    v = circle.essential_venue
    if v is not None:
        x, y = t.transform(v.lon, v.lat)
        return Centre(float(x), float(y), "venue")
    return None


def distances(centre: Centre | None, venues: Sequence[Venue], transformer: Any = None) -> list:
    """Distance in metres (EPSG:4549) from ``centre`` to each venue (None without a centre)."""
    if centre is None or not venues:
        return [None] * len(venues)
    xs, ys = geo.project(
        [v.lon for v in venues], [v.lat for v in venues], transformer or geo.metric_transformer()
    )
    return [
        float(((float(x) - centre.x) ** 2 + (float(y) - centre.y) ** 2) ** 0.5)
        for x, y in zip(xs, ys, strict=True)
    ]


@dataclass(frozen=True)
class Item:
    key: str
    passed: bool
    reason: str

    @property
    def label(self) -> str:
        return str(ITEM_LABELS[self.key])

    @property
    def line(self) -> str:
        return _("%(label)s：%(reason)s") % {"label": self.label, "reason": self.reason}


@dataclass
class Checklist:
    circle: Circle
    centre: Centre | None
    radius_m: float
    items: list[Item] = field(default_factory=list)
    distances: dict[int, float | None] = field(default_factory=dict)  # venue pk -> metres
    week_counts: list[tuple[date, date, int]] = field(default_factory=list)  # latest first

    @property
    def passed(self) -> bool:
        return all(i.passed for i in self.items)

    @property
    def missing(self) -> list[Item]:
        return [i for i in self.items if not i.passed]

    def missing_lines(self) -> list[str]:
        return [i.line for i in self.missing]


# ----- one item at a time -------------------------------------------------------------------------
def _dist_text(d: float | None) -> str:
    return _("距离未知") if d is None else _("%(m)s 米") % {"m": metres(d)}


def _check_venue(circle: Circle, dist: dict[int, float | None], radius: float) -> Item:
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
                    % {"name": v.name_zh, "d": _dist_text(d), "r": metres(radius)})  # fmt: skip
    return Item("venue", True, _("%(name)s（%(kind)s），距圈中心 %(d)s")
                % {"name": v.name_zh, "kind": v.get_kind_display(), "d": _dist_text(d)})  # fmt: skip


def _check_spaces(
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
                _("%(name)s 距圈中心 %(d)s，超出范围") % {"name": s.name_zh, "d": _dist_text(d)}
            )
        else:
            good.append(f"{s.name_zh} {_dist_text(d)}")
    if len(good) >= 2:
        return Item("spaces", True, _("%(n)s 处：%(list)s") % {"n": len(good), "list": enum(good)})
    reason = _("符合条件的只有 %(n)s 处，至少需要 2 处") % {"n": len(good)}
    if bad:
        reason += _("（%(details)s）") % {"details": semi(bad)}
    return Item("spaces", False, reason)


def _names(venues: Iterable[Venue]) -> str:
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


def _hours_figures(value: str, year: int, memo: dict[str, tuple[float, int, int]]) -> tuple:
    if value not in memo:
        memo[value] = (offpeak_week_hours(value, year), *holiday_open_days(value, year))
    return memo[value]


def _check_hours(
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
            offpeak, n_open, n_days = _hours_figures(v.opening_hours, year, memo)
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


def _check_flag(key: str, facilities: list[Venue], ok: Any, fail: str, success: str) -> Item:
    if not facilities:
        return Item(key, False, _("尚无开放的设施"))
    failing = [v for v in facilities if not ok(v)]
    if failing:
        return Item(key, False, fail % {"names": _names(failing)})
    return Item(key, True, success % {"n": len(facilities)})


def _week_windows(today: date, weeks: int) -> list[tuple[date, date]]:
    return [
        (today - timedelta(days=7 * k + 6), today - timedelta(days=7 * k)) for k in range(weeks)
    ]


def _check_weekly(counts: list[tuple[date, date, int]]) -> Item:
    empty = [(a, b) for a, b, n in counts if n == 0]
    if empty:
        spans = enum(f"{a:%m-%d}–{b:%m-%d}" for a, b in empty)
        return Item("weekly", False, _("近 %(w)s 周中有 %(n)s 周没有线下活动：%(spans)s")
                    % {"w": len(counts), "n": len(empty), "spans": spans})  # fmt: skip
    total = sum(n for _a, _b, n in counts)
    return Item("weekly", True, _("近 %(w)s 周每周都有线下活动（共 %(n)s 场）")
                % {"w": len(counts), "n": total})  # fmt: skip


def _activity_days(
    circles: Sequence[Circle], venue_ids: dict[int, set[int]], today: date, weeks: int
) -> dict[int, list[tuple[date, date, int]]]:
    """Per circle, each week window with its number of offline activities (one query)."""
    windows = _week_windows(today, weeks)
    tz = timezone.get_current_timezone()
    start = datetime.combine(windows[-1][0], time(), tzinfo=tz)
    end = datetime.combine(today + timedelta(days=1), time(), tzinfo=tz)
    all_venues = set().union(*venue_ids.values()) if venue_ids else set()
    communities = {c.community_id for c in circles}
    grouped = (
        Activity.objects.filter(
            cancelled=False, online=False, start_at__gte=start, start_at__lt=end
        )
        .filter(Q(venue_id__in=sorted(all_venues)) | Q(organiser_id__in=sorted(communities)))
        .annotate(day=TruncDate("start_at", tzinfo=tz))
        .values_list("venue_id", "organiser_id", "day")
        .annotate(n=Count("id"))
    )
    rows = list(grouped)
    by_venue: dict[int, list[int]] = {}
    by_organiser: dict[int, list[int]] = {}
    for i, (venue_id, organiser_id, _day, _n) in enumerate(rows):
        by_venue.setdefault(venue_id, []).append(i)
        by_organiser.setdefault(organiser_id, []).append(i)
    per_week: dict[int, list[int]] = {c.pk: [0] * weeks for c in circles}
    for c in circles:
        # each grouped row once, whether it matches by venue, by organiser or both
        hits = set(by_organiser.get(c.community_id, []))
        for venue_id in venue_ids.get(c.pk, set()):
            hits.update(by_venue.get(venue_id, []))
        for i in hits:
            k = (today - rows[i][2]).days // 7
            if 0 <= k < weeks:
                per_week[c.pk][k] += rows[i][3]
    return {
        pk: [(a, b, n) for (a, b), n in zip(windows, w, strict=True)] for pk, w in per_week.items()
    }


# ----- the whole list, for many circles at once ------------------------------------------------------
def check_circles(
    circles: Sequence[Circle], *, today: date | None = None, weeks: int | None = None
) -> dict[int, Checklist]:
    """The checklist of every circle in ``circles`` (keyed by pk): a few queries whatever their
    number (community, venue and spaces prefetched; the activities in one grouped query)."""
    circles = list(circles)
    if not circles:
        return {}
    today = today or timezone.localdate()
    weeks = max(1, weeks if weeks is not None else activity_weeks())
    prefetch_related_objects(circles, "community", "essential_venue", "spaces")
    radius = radius_m()
    t = geo.metric_transformer()
    memo: dict[str, tuple[float, int, int]] = {}
    spaces = {c.pk: sorted(c.spaces.all(), key=lambda v: v.code) for c in circles}
    venue_ids = {
        c.pk: {v.pk for v in spaces[c.pk]}
        | ({c.essential_venue_id} if c.essential_venue_id else set())
        for c in circles
    }
    weekly = _activity_days(circles, venue_ids, today, weeks)
    out: dict[int, Checklist] = {}
    for c in circles:
        centre = circle_centre(c, t)
        facilities = ([c.essential_venue] if c.essential_venue else []) + [
            s for s in spaces[c.pk] if s.pk != c.essential_venue_id
        ]
        dist = dict(zip([v.pk for v in facilities], distances(centre, facilities, t), strict=True))
        open_ones = [v for v in facilities if v.status == VenueStatus.OPEN]
        items = [
            _check_venue(c, dist, radius),
            _check_spaces(c, [s for s in spaces[c.pk] if s.pk != c.essential_venue_id], dist, radius),
            _check_signage(c, open_ones),
            _check_hours(open_ones, today.year, memo),
            _check_flag("fees", open_ones, lambda v: v.fee_policy in (FeePolicy.FREE, FeePolicy.LOW),
                        _("收费（非免费、非低收费）：%(names)s"), _("%(n)s 处设施均免费或低收费")),
            _check_flag("booking", open_ones, lambda v: v.on_culture_cloud or v.on_zheli_platform,
                        _("未接入浙江智慧文化云或浙里基本公共服务（暂以接入代替线上预约）：%(names)s"),
                        _("%(n)s 处设施均已接入线上平台（暂以接入代替线上预约）")),
            Item("demand", c.has_demand_channel,
                 _("已开通") if c.has_demand_channel else _("尚未开通活动报名与需求征集渠道")),
            _check_weekly(weekly[c.pk]),
        ]  # fmt: skip
        out[c.pk] = Checklist(
            circle=c, centre=centre, radius_m=radius, items=items, distances=dist,
            week_counts=weekly[c.pk],
        )  # fmt: skip
    return out


def _check_signage(circle: Circle, facilities: list[Venue]) -> Item:
    problems: list[str] = []
    if not facilities:
        problems.append(_("尚无开放的设施"))
    unsigned = [v for v in facilities if not v.has_signage]
    if unsigned:
        problems.append(_("无统一标识：%(names)s") % {"names": _names(unsigned)})
    if not circle.has_information_board:
        problems.append(_("未设信息公示栏"))
    if problems:
        return Item("signage", False, semi(problems))
    return Item(
        "signage", True, _("%(n)s 处设施均有统一标识，已设信息公示栏") % {"n": len(facilities)}
    )


def check_circle(
    circle: Circle, *, today: date | None = None, weeks: int | None = None
) -> Checklist:
    return check_circles([circle], today=today, weeks=weeks)[circle.pk]
