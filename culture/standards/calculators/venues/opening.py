"""Opening-hours rules (annex 20-23, 25), recomputed for the evaluated year from each venue's
``opening_hours`` with the CURRENT named definitions (the stored ``Venue.offpeak_share`` etc.
used the settings and the year of the last save). Figures are cached per (opening-hours string,
off-peak window) for the whole evaluation (``hours_cache``): venues share a few patterns, and
the five rules read the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from culture.core.errors import ServiceError
from culture.standards.calculators import Context, Measure
from culture.standards.calculators.venues.base import open_venues, registry_empty
from culture.standards.definitions import school_terms_in
from culture.venues import hours
from culture.venues.models import PUBLIC_CULTURE_VENUE_KINDS, SPORTS_KINDS, FeePolicy, FreeDay
from culture.venues.models import VenueKind as K

EPS = 1e-9
HOURS_FIELDS = ("opening_hours",)


@dataclass(frozen=True)
class Figures:
    weekly: float
    days_open: int
    open_total: float
    offpeak_total: float
    evening_total: float
    days: dict[date, hours.DayHours]

    def mean(self, which: set[date] | None = None, *, working: bool | None = None) -> float | None:
        """Mean open hours per day over ``which`` (default every day), closed days counting 0;
        ``working`` keeps only working (True) or rest (False) days."""
        picked = [
            d.open
            for day, d in self.days.items()
            if (which is None or day in which) and (working is None or d.working == working)
        ]
        return sum(picked) / len(picked) if picked else None

    @property
    def offpeak_share(self) -> float | None:
        return self.offpeak_total / self.open_total if self.open_total else None


def offpeak_window(definitions: dict[str, Any]) -> tuple[time, time]:
    return (
        time.fromisoformat(str(definitions["offpeak_start"])),
        time.fromisoformat(str(definitions["offpeak_end"])),
    )


class HoursCache:
    """Figures per (opening-hours string, window) for one year; None when there are none."""

    def __init__(self, ctx: Context) -> None:
        self.year = ctx.year
        self.window = offpeak_window(ctx.definitions)
        self.monday = hours.reference_week(ctx.year)
        self._memo: dict[tuple[str, tuple[time, time]], Figures | None] = {}

    def get(self, text: str) -> Figures | None:
        key = ((text or "").strip(), self.window)
        if key not in self._memo:
            self._memo[key] = self._compute(key[0]) if key[0] else None
        return self._memo[key]

    def _compute(self, text: str) -> Figures | None:
        try:
            days = hours.day_hours(text, year=self.year, window=self.window)
        except ServiceError:
            return None
        week = {self.monday + timedelta(days=i) for i in range(7)}
        return Figures(
            weekly=sum(d.open for day, d in days.items() if day in week),
            days_open=sum(1 for d in days.values() if d.open > 0),
            open_total=sum(d.open for d in days.values()),
            offpeak_total=sum(d.offpeak for d in days.values()),
            evening_total=sum(d.evening for d in days.values()),
            days=days,
        )


def hours_cache(ctx: Context) -> HoursCache:
    """The evaluation's one HoursCache (the year and window are the Context's)."""
    return ctx.cached("opening_hours", lambda: HoursCache(ctx))


def school_holidays(ctx: Context) -> set[date] | None:
    """Days of the year outside every school term (named definition ``school_terms``); None
    when no term of the definition overlaps the year (holidays unknown)."""
    terms = school_terms_in(ctx.definitions.get("school_terms") or [], ctx.year)
    if not terms:
        return None
    first, last = date(ctx.year, 1, 1), date(ctx.year, 12, 31)
    out = set()
    day = first
    while day <= last:
        if not any(start <= day <= end for _n, start, end in terms):
            out.add(day)
        day += timedelta(days=1)
    return out


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def _no_hours(v: dict[str, Any]) -> Measure:
    return Measure(value=None, tier=v["kind"], parts={"code": v["code"], "opening_hours": ""})


def _weekly(ctx: Context, kinds: tuple[str, ...]) -> dict[int, Measure]:
    if registry_empty():
        return {}
    cache = hours_cache(ctx)
    out = {}
    for v in open_venues(kinds, *HOURS_FIELDS):
        f = cache.get(v["opening_hours"])
        if f is None:
            out[v["id"]] = _no_hours(v)
            continue
        out[v["id"]] = Measure(
            value=round(f.weekly, 2),
            tier=v["kind"],
            parts={"code": v["code"], "reference_week": cache.monday.isoformat()},
        )
    return out


def weekly_hours_libraries(ctx: Context, level: str) -> dict[int, Measure]:
    """S20: weekly opening hours of the library, its branches and community reading rooms."""
    return _weekly(ctx, (K.LIBRARY, K.BRANCH_LIBRARY, K.READING_ROOM))


def weekly_hours_culture(ctx: Context, level: str) -> dict[int, Measure]:
    """S21: weekly opening hours of the culture centre, stations and community centres."""
    return _weekly(ctx, (K.CULTURE_CENTRE, K.CULTURE_STATION, K.COMMUNITY_CENTRE))


def offpeak_share(ctx: Context, level: str) -> dict[int, Measure]:
    """S23: off-peak share of the year's open hours at libraries (branches, bookrooms) and the
    culture centre."""
    if registry_empty():
        return {}
    cache = hours_cache(ctx)
    out = {}
    kinds = (K.LIBRARY, K.BRANCH_LIBRARY, K.CITY_BOOKROOM, K.CULTURE_CENTRE)
    for v in open_venues(kinds, *HOURS_FIELDS):
        f = cache.get(v["opening_hours"])
        if f is None:
            out[v["id"]] = _no_hours(v)
            continue
        out[v["id"]] = Measure(
            value=f.offpeak_share,
            parts={
                "code": v["code"],
                "kind": v["kind"],
                "offpeak_hours": _r(f.offpeak_total),
                "open_hours": _r(f.open_total),
            },
        )
    return out


def _school_holiday_shortfalls(f: Figures, holidays_: set[date]) -> list[int]:
    """Weekdays (0 = Monday) on which school-holiday days open on average less than term days.
    Like is compared with like, and only ordinary days (working Monday-Friday, weekend
    Saturday-Sunday): public holidays and adjusted working days are judged by the rest-day
    check, and would make a weekly pattern look uneven."""
    buckets: dict[tuple[int, bool], list[float]] = defaultdict(list)
    for day, d in f.days.items():
        if d.working == (day.weekday() < 5):
            buckets[(day.weekday(), day in holidays_)].append(d.open)
    short = []
    for weekday in range(7):
        hol, term = buckets.get((weekday, True)), buckets.get((weekday, False))
        if hol and term and sum(hol) / len(hol) < sum(term) / len(term) - EPS:
            short.append(weekday)
    return short


# Museums and galleries: evening service by periodic projects (annex 23), not regular hours.
PROJECT_EVENING_KINDS = (K.MUSEUM, K.HERITAGE_HALL, K.GALLERY)


def offpeak_and_holidays(ctx: Context, level: str) -> dict[int, Measure]:
    """S22: off-peak and evening opening exist; public holidays/weekends and school holidays
    open at least as long on average as working days / term days."""
    if registry_empty():
        return {}
    cache = hours_cache(ctx)
    holidays_ = school_holidays(ctx)
    out = {}
    for v in open_venues(PUBLIC_CULTURE_VENUE_KINDS, *HOURS_FIELDS):
        f = cache.get(v["opening_hours"])
        if f is None:
            out[v["id"]] = _no_hours(v)
            continue
        rest, working = f.mean(working=False) or 0.0, f.mean(working=True) or 0.0
        checks: dict[str, bool | None] = {
            "offpeak": f.offpeak_total > 0,
            "evening": f.evening_total > 0 or v["kind"] in PROJECT_EVENING_KINDS,
            "rest_days_not_shorter": rest >= working - EPS,
            "school_holidays_not_shorter": None,
        }
        short: list[int] = []
        if holidays_ is not None:
            short = _school_holiday_shortfalls(f, holidays_)
            checks["school_holidays_not_shorter"] = not short
        parts = {
            "code": v["code"],
            "kind": v["kind"],
            "offpeak_hours": _r(f.offpeak_total),
            "evening_hours": _r(f.evening_total),
            "rest_day_mean": _r(rest),
            "working_day_mean": _r(working),
            "school_holiday_shortfalls": short,
            **checks,
        }
        out[v["id"]] = Measure(value=_all(checks.values()), parts=parts)
    return out


def _all(checks: Any) -> float | None:
    """1 when every check passes, 0 when any fails, None when none fails but one is unknown."""
    values = list(checks)
    if any(c is False for c in values):
        return 0.0
    if any(c is None for c in values):
        return None
    return 1.0


# Public sports facilities (annex 25): school grounds have their own rule (annex 26).
SPORTS_FACILITY_KINDS = tuple(k for k in SPORTS_KINDS if k != K.SCHOOL_GROUND)
SPORTS_WEEKLY_HOURS = 70
SPORTS_DAYS_OPEN = 330
SPORTS_REST_DAY_HOURS = 12


def sports_opening(ctx: Context, level: str) -> dict[int, Measure]:
    """S25: free or low-fee; >= 70 h a week; >= 330 days a year; >= 12 h a day on average on
    rest days and in school holidays; free on public holidays and National Fitness Day."""
    if registry_empty():
        return {}
    cache = hours_cache(ctx)
    holidays_ = school_holidays(ctx)
    out = {}
    fields = (*HOURS_FIELDS, "fee_policy", "free_days")
    for v in open_venues(SPORTS_FACILITY_KINDS, *fields):
        f = cache.get(v["opening_hours"])
        if f is None:
            out[v["id"]] = _no_hours(v)
            continue
        free_days = set(v["free_days"] or [])
        free = v["fee_policy"] == FeePolicy.FREE
        rest = f.mean(working=False) or 0.0
        school = f.mean(holidays_) if holidays_ is not None else None
        checks: dict[str, bool | None] = {
            "free_or_low_fee": v["fee_policy"] in (FeePolicy.FREE, FeePolicy.LOW),
            "weekly_70h": f.weekly >= SPORTS_WEEKLY_HOURS - EPS,
            "days_330": f.days_open >= SPORTS_DAYS_OPEN,
            "rest_days_12h": rest >= SPORTS_REST_DAY_HOURS - EPS,
            "school_holidays_12h": None
            if school is None
            else school >= SPORTS_REST_DAY_HOURS - EPS,
            "free_on_holidays": free
            or {FreeDay.STATUTORY_HOLIDAYS.value, FreeDay.FITNESS_DAY.value} <= free_days,
        }
        parts = {
            "code": v["code"],
            "kind": v["kind"],
            "fee_policy": v["fee_policy"],
            "weekly_hours": _r(f.weekly),
            "days_open": f.days_open,
            "rest_day_mean": _r(rest),
            "school_holiday_mean": _r(school),
            **checks,
        }
        out[v["id"]] = Measure(value=_all(checks.values()), parts=parts)
    return out
