"""Upkeep of the activity summaries the standards engine reads (models ActivityMonthSummary and
ActivityWeekSummary).

Every activity write calls ``summaries_refresh_for`` with the activity's state before and after,
in the same transaction: the touched buckets (one month bucket and one week bucket per state)
are recomputed from the raw rows, so a summary always equals a full recomputation, whatever the
order of writes. Bulk loads (the demo generator) call ``summaries_rebuild`` once at the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import (
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    TruncMonth,
    TruncWeek,
)
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from culture.activities.models import Activity, ActivityMonthSummary, ActivityWeekSummary
from culture.org.models import OrgUnit

GROUP_FIELDS = (
    "for_elderly",
    "for_minors",
    "for_disabled",
    "for_migrant_workers",
    "for_servicemen",
)


@dataclass(frozen=True)
class Buckets:
    """The two summary buckets one activity state falls in."""

    organiser_id: int
    organiser_path: str
    venue_id: int | None
    kind: str
    brand: str
    month_start: date
    week_start: date


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def buckets_of(activity: Activity) -> Buckets:
    local = timezone.localtime(activity.start_at, _tz()).date()
    return Buckets(
        organiser_id=activity.organiser_id,
        organiser_path=activity.organiser_path,
        venue_id=activity.venue_id,
        kind=activity.kind,
        brand=activity.brand or "",
        month_start=local.replace(day=1),
        week_start=local - timedelta(days=local.weekday()),
    )


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=_tz())


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _live() -> QuerySet[Activity]:
    return Activity.objects.filter(cancelled=False)


def _month_aggregates() -> dict:
    sums = {
        "activities": Count("id"),
        "attendance": Coalesce(Sum("attendance"), 0),
        "sessions": Coalesce(Sum("sessions"), 0),
        "books": Coalesce(Sum("books_count"), 0),
        "online_activities": Count("id", filter=Q(online=True)),
        "online_attendance": Coalesce(Sum("attendance", filter=Q(online=True)), 0),
        "signature": Count("id", filter=Q(is_signature=True)),
        "with_partner": Count("id", filter=~Q(partner="")),
    }
    for f in GROUP_FIELDS:
        sums[f] = Count("id", filter=Q(**{f: True}))
    return sums


def film_age(shown: date, release: date | None, domestic: bool | None) -> int | None:
    """The fewest whole years after ``release`` within which a showing on ``shown`` (local
    date) falls, for a domestic film; None otherwise. ``shown <= release + N years`` holds
    exactly when ``N >= film_age`` (29 February + N years is 28 February in other years)."""
    if not domestic or release is None:
        return None
    later = (shown.month, shown.day) > (release.month, release.day)
    return shown.year - release.year + int(later)


def _film_age_expression() -> Case:
    """``film_age`` in SQL, per row (see ``film_age``): local show date against the release."""
    tz = _tz()
    shown_md = ExtractMonth("start_at", tzinfo=tz) * 100 + ExtractDay("start_at", tzinfo=tz)
    release_md = ExtractMonth("film_release_date") * 100 + ExtractDay("film_release_date")
    later = Case(When(GreaterThan(shown_md, release_md), then=Value(1)), default=Value(0))
    return Case(
        When(
            Q(film_domestic=True, film_release_date__isnull=False),
            then=ExtractYear("start_at", tzinfo=tz) - ExtractYear("film_release_date") + later,
        ),
        default=Value(None),
        output_field=IntegerField(),
    )


def _month_rows(qs: QuerySet[Activity]) -> list[ActivityMonthSummary]:
    rows = (
        qs.annotate(m=TruncMonth("start_at", tzinfo=_tz()), age=_film_age_expression())
        .values(
            "organiser_id",
            "organiser_path",
            "venue_id",
            "kind",
            "brand",
            "branch_system",
            "age",
            "m",
        )
        .annotate(**{f"agg_{k}": v for k, v in _month_aggregates().items()})
        .order_by()
    )
    out = []
    for r in rows:
        r = {k.removeprefix("agg_"): v for k, v in r.items()}
        m = r.pop("m")
        m = m.date() if isinstance(m, datetime) else m
        r["film_age"] = r.pop("age")
        out.append(ActivityMonthSummary(year=m.year, month=m.month, **r))
    return out


def _week_rows(qs: QuerySet[Activity]) -> list[ActivityWeekSummary]:
    rows = (
        qs.annotate(w=TruncWeek("start_at", tzinfo=_tz()))
        .values("organiser_id", "organiser_path", "kind", "w")
        .annotate(agg_activities=Count("id"), agg_attendance=Coalesce(Sum("attendance"), 0))
        .order_by()
    )
    out = []
    for r in rows:
        r = {k.removeprefix("agg_"): v for k, v in r.items()}
        w = r.pop("w")
        out.append(ActivityWeekSummary(week_start=w.date() if isinstance(w, datetime) else w, **r))
    return out


def _same_venue(venue_id: int | None) -> Q:
    return Q(venue__isnull=True) if venue_id is None else Q(venue_id=venue_id)


def _refresh_bucket(b: Buckets) -> None:
    month_end = _next_month(b.month_start)
    ActivityMonthSummary.objects.filter(
        _same_venue(b.venue_id),
        organiser_id=b.organiser_id,
        kind=b.kind,
        brand=b.brand,
        year=b.month_start.year,
        month=b.month_start.month,
    ).delete()
    ActivityMonthSummary.objects.bulk_create(
        _month_rows(
            _live().filter(
                _same_venue(b.venue_id),
                organiser_id=b.organiser_id,
                kind=b.kind,
                brand=b.brand,
                start_at__gte=_midnight(b.month_start),
                start_at__lt=_midnight(month_end),
            )
        )
    )
    ActivityWeekSummary.objects.filter(
        organiser_id=b.organiser_id, kind=b.kind, week_start=b.week_start
    ).delete()
    ActivityWeekSummary.objects.bulk_create(
        _week_rows(
            _live().filter(
                organiser_id=b.organiser_id,
                kind=b.kind,
                start_at__gte=_midnight(b.week_start),
                start_at__lt=_midnight(b.week_start + timedelta(days=7)),
            )
        )
    )


@transaction.atomic
def summaries_refresh_for(*, before: Buckets | None, after: Activity | None) -> None:
    """Recompute the buckets an activity left (``before``) and the ones it is in now."""
    touched = {before} if before else set()
    if after is not None:
        touched.add(buckets_of(after))
    # Every bucket is keyed by its organiser: lock the organisers' rows (in id order) so two
    # transactions never recompute one bucket at once. Without it, PostgreSQL (READ COMMITTED)
    # lets both delete nothing and insert the bucket's row, and the second write fails on the
    # bucket's unique key. NO KEY UPDATE does not wait for the FOR KEY SHARE lock that the new
    # activity's foreign key took. SQLite serialises writes (IMMEDIATE) and ignores this.
    organisers = sorted({b.organiser_id for b in touched})
    list(
        OrgUnit.objects.select_for_update(no_key=True)
        .filter(pk__in=organisers)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for b in touched:
        _refresh_bucket(b)


@transaction.atomic
def summaries_rebuild(*, years: Iterable[int] | None = None) -> tuple[int, int]:
    """Recompute every summary (of ``years``, local time) from the raw rows; (months, weeks)."""
    qs = _live()
    months = ActivityMonthSummary.objects.all()
    weeks = ActivityWeekSummary.objects.all()
    if years is not None:
        wanted = sorted(set(years))
        span = Q()
        for y in wanted:
            span |= Q(
                start_at__gte=_midnight(date(y, 1, 1)), start_at__lt=_midnight(date(y + 1, 1, 1))
            )
        qs = qs.filter(span)
        months = months.filter(year__in=wanted)
        # A week belongs to its Monday; the weeks touching the years are rebuilt whole.
        first = date(wanted[0], 1, 1)
        last = date(wanted[-1], 12, 31)
        weeks = weeks.filter(week_start__gte=first - timedelta(days=6), week_start__lte=last)
        week_qs = _live().filter(
            start_at__gte=_midnight(first - timedelta(days=first.weekday())),
            start_at__lt=_midnight(last + timedelta(days=7 - last.weekday())),
        )
    else:
        week_qs = qs
    months.delete()
    weeks.delete()
    m = ActivityMonthSummary.objects.bulk_create(_month_rows(qs), batch_size=5000)
    w = ActivityWeekSummary.objects.bulk_create(_week_rows(week_qs), batch_size=5000)
    return len(m), len(w)
