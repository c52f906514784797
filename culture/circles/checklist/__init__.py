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

from collections.abc import Sequence
from datetime import date

from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from culture.circles.checklist.basics import (
    ITEM_LABELS,
    Centre,
    Checklist,
    Item,
    activity_weeks,
    circle_centre,
    distances,
    enum,
    metres,
    radius_m,
    semi,
    space_kinds,
    venue_kinds,
)
from culture.circles.checklist.items import (
    check_flag,
    check_hours,
    check_signage,
    check_spaces,
    check_venue,
    holiday_open_days,
    offpeak_week_hours,
)
from culture.circles.checklist.weekly import activity_days, check_weekly
from culture.circles.models import Circle
from culture.core import geo
from culture.venues.models import FeePolicy, VenueStatus

__all__ = [
    "ITEM_LABELS",
    "Centre",
    "Checklist",
    "Item",
    "activity_weeks",
    "check_circle",
    "check_circles",
    "circle_centre",
    "distances",
    "enum",
    "holiday_open_days",
    "metres",
    "offpeak_week_hours",
    "radius_m",
    "semi",
    "space_kinds",
    "venue_kinds",
]


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
    weekly = activity_days(circles, venue_ids, today, weeks)
    out: dict[int, Checklist] = {}
    for c in circles:
        centre = circle_centre(c, t)
        facilities = ([c.essential_venue] if c.essential_venue else []) + [
            s for s in spaces[c.pk] if s.pk != c.essential_venue_id
        ]
        dist = dict(zip([v.pk for v in facilities], distances(centre, facilities, t), strict=True))
        open_ones = [v for v in facilities if v.status == VenueStatus.OPEN]
        items = [
            check_venue(c, dist, radius),
            check_spaces(c, [s for s in spaces[c.pk] if s.pk != c.essential_venue_id], dist, radius),
            check_signage(c, open_ones),
            check_hours(open_ones, today.year, memo),
            check_flag("fees", open_ones, lambda v: v.fee_policy in (FeePolicy.FREE, FeePolicy.LOW),
                        _("收费（非免费、非低收费）：%(names)s"), _("%(n)s 处设施均免费或低收费")),
            check_flag("booking", open_ones, lambda v: v.on_culture_cloud or v.on_zheli_platform,
                        _("未接入浙江智慧文化云或浙里基本公共服务（暂以接入代替线上预约）：%(names)s"),
                        _("%(n)s 处设施均已接入线上平台（暂以接入代替线上预约）")),
            Item("demand", c.has_demand_channel,
                 _("已开通") if c.has_demand_channel else _("尚未开通活动报名与需求征集渠道")),
            check_weekly(weekly[c.pk]),
        ]  # fmt: skip
        out[c.pk] = Checklist(
            circle=c, centre=centre, radius_m=radius, items=items, distances=dist,
            week_counts=weekly[c.pk],
        )  # fmt: skip
    return out


def check_circle(
    circle: Circle, *, today: date | None = None, weeks: int | None = None
) -> Checklist:
    return check_circles([circle], today=today, weeks=weeks)[circle.pk]
