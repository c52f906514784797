"""The weekly item: offline activities in each of the last weeks, for many circles in one grouped
query."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from culture.activities.models import Activity
from culture.circles.checklist.basics import Item, enum
from culture.circles.models import Circle


def week_windows(today: date, weeks: int) -> list[tuple[date, date]]:
    return [
        (today - timedelta(days=7 * k + 6), today - timedelta(days=7 * k)) for k in range(weeks)
    ]


def check_weekly(counts: list[tuple[date, date, int]]) -> Item:
    empty = [(a, b) for a, b, n in counts if n == 0]
    if empty:
        spans = enum(f"{a:%m-%d}–{b:%m-%d}" for a, b in empty)
        return Item("weekly", False, _("近 %(w)s 周中有 %(n)s 周没有线下活动：%(spans)s")
                    % {"w": len(counts), "n": len(empty), "spans": spans})  # fmt: skip
    total = sum(n for _a, _b, n in counts)
    return Item("weekly", True, _("近 %(w)s 周每周都有线下活动（共 %(n)s 场）")
                % {"w": len(counts), "n": total})  # fmt: skip


def activity_days(
    circles: Sequence[Circle], venue_ids: dict[int, set[int]], today: date, weeks: int
) -> dict[int, list[tuple[date, date, int]]]:
    """Per circle, each week window with its number of offline activities (one query)."""
    windows = week_windows(today, weeks)
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
