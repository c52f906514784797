"""Opening hours in OpenStreetMap ``opening_hours`` syntax, and the figures standards need.

- weekly hours: open hours over a *reference week* of the year: the first Monday-to-Sunday week
  from March on with no public holiday and no adjusted working day (so "Mo-Fr" means five days);
- days open per year: dates of the year with any open time (public holidays per the real CN
  calendar; ``PH off`` closes them);
- off-peak share: off-peak open hours / open hours over the whole year. An open hour is
  off-peak when it falls outside ``CULTURE_OFFPEAK_START``-``CULTURE_OFFPEAK_END`` (default
  09:00-17:00) on a working day; every hour of a weekend or public holiday is off-peak, and an
  adjusted working day (调休) counts as a working day (``holidays.country_holidays("CN")``);
- shortest rest-day opening: the fewest open hours on any weekend day or public holiday (S25).

Named settings (defaults here; the lead adds them to settings): ``CULTURE_OFFPEAK_START``,
``CULTURE_OFFPEAK_END`` ("HH:MM"). The standards engine passes its current named definition as
``window`` (``compute``, ``day_hours``), since a stored venue's figures used the setting at save
time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import holidays
import opening_hours
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from culture.core.errors import ValidationFailed

# The parser's error class (a Rust extension: not visible to type checkers).
ParserError: type[Exception] = getattr(opening_hours, "ParserError", ValueError)

DEFAULT_OFFPEAK_START = "09:00"
DEFAULT_OFFPEAK_END = "17:00"
COUNTRY = "CN"


def offpeak_window() -> tuple[time, time]:
    """The working-day core hours; open time outside them is off-peak (named setting)."""
    start = getattr(settings, "CULTURE_OFFPEAK_START", DEFAULT_OFFPEAK_START)
    end = getattr(settings, "CULTURE_OFFPEAK_END", DEFAULT_OFFPEAK_END)
    return time.fromisoformat(start), time.fromisoformat(end)


@dataclass(frozen=True)
class HoursFigures:
    year: int
    weekly_hours: float
    days_open: int
    offpeak_share: float | None  # None when never open
    min_rest_day_hours: float
    reference_week: date  # its Monday


def parse(value: str) -> opening_hours.OpeningHours:
    """The parsed expression; a bad string raises ValidationFailed quoting the parser."""
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(_("开放时间不能为空"), field="opening_hours")
    try:
        return opening_hours.OpeningHours(text, country=COUNTRY)
    except (ParserError, ValueError, TypeError) as exc:
        message = " ".join(str(exc).split())
        raise ValidationFailed(
            _("开放时间“%(value)s”无法解析：%(message)s") % {"value": text, "message": message},
            field="opening_hours",
        ) from exc


def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(COUNTRY, years=year)


def is_working_day(day: date, cal: holidays.HolidayBase) -> bool:
    return bool(cal.is_working_day(day))


def reference_week(year: int) -> date:
    """Monday of the first ordinary week (no holiday, no adjusted working day) from March 1."""
    cal = _calendar(year)
    day = date(year, 3, 1)
    day += timedelta(days=(7 - day.weekday()) % 7)
    while True:
        week = [day + timedelta(days=i) for i in range(7)]
        if all(d not in cal and is_working_day(d, cal) == (d.weekday() < 5) for d in week):
            return day
        day += timedelta(days=7)


def _open_spans(oh: opening_hours.OpeningHours, start: datetime, end: datetime):
    for s, e, state, _comment in oh.intervals(start, end):
        if str(state).rsplit(".", 1)[-1].upper() == "OPEN":
            yield max(s, start), min(e, end)


def _hours(a: datetime, b: datetime) -> float:
    return max((b - a).total_seconds(), 0.0) / 3600.0


def weekly_hours(value: str, *, year: int) -> float:
    oh = parse(value)
    monday = reference_week(year)
    start = datetime.combine(monday, time())
    return sum(_hours(a, b) for a, b in _open_spans(oh, start, start + timedelta(days=7)))


@dataclass(frozen=True)
class DayHours:
    open: float  # open hours on the day
    offpeak: float  # of which off-peak (all of them on a rest day)
    evening: float  # open hours after the core window's end on a working day (延时/夜间)
    working: bool  # a working day (adjusted working days included)


def day_hours(
    value: str, *, year: int, window: tuple[time, time] | None = None
) -> dict[date, DayHours]:
    """Every date of ``year`` with its open, off-peak and evening hours (closed days too).

    ``window`` is the working-day core (start, end); default the named setting."""
    oh = parse(value)
    cal = _calendar(year)
    peak_start, peak_end = window or offpeak_window()
    # Opening hours are wall-clock local times: naive datetimes on purpose.
    year_start = datetime.combine(date(year, 1, 1), time())
    year_end = datetime.combine(date(year + 1, 1, 1), time())
    acc: dict[date, list[float]] = {}
    for a, b in _open_spans(oh, year_start, year_end):
        cur = a
        while cur < b:  # split at midnight
            day = cur.date()
            nxt = min(b, datetime.combine(day + timedelta(days=1), time()))
            h = _hours(cur, nxt)
            row = acc.setdefault(day, [0.0, 0.0, 0.0])
            row[0] += h
            if is_working_day(day, cal):
                core_a = max(cur, datetime.combine(day, peak_start))
                core_b = min(nxt, datetime.combine(day, peak_end))
                row[1] += h - _hours(core_a, core_b)
                row[2] += _hours(max(cur, datetime.combine(day, peak_end)), nxt)
            else:
                row[1] += h
            cur = nxt
    out: dict[date, DayHours] = {}
    for i in range((year_end - year_start).days):
        day = year_start.date() + timedelta(days=i)
        o, off, eve = acc.get(day, (0.0, 0.0, 0.0))
        out[day] = DayHours(open=o, offpeak=off, evening=eve, working=is_working_day(day, cal))
    return out


def compute(value: str, *, year: int, window: tuple[time, time] | None = None) -> HoursFigures:
    """Every figure for one opening-hours string and one calendar year (``window``: the
    working-day core hours, default the named setting)."""
    days = day_hours(value, year=year, window=window)
    total = sum(d.open for d in days.values())
    offpeak = sum(d.offpeak for d in days.values())
    min_rest = min((d.open for d in days.values() if not d.working), default=0.0)
    return HoursFigures(
        year=year,
        weekly_hours=round(weekly_hours(value, year=year), 2),
        days_open=sum(1 for d in days.values() if d.open > 0),
        offpeak_share=round(offpeak / total, 4) if total else None,
        min_rest_day_hours=round(min_rest, 2),
        reference_week=reference_week(year),
    )


@dataclass(frozen=True)
class ChartSpan:
    weekday: int  # 0 = Monday
    start: float  # hours from midnight
    end: float
    offpeak: bool


def week_chart(value: str, *, year: int) -> list[ChartSpan]:
    """The reference week's open spans split into core and off-peak parts (for the chart)."""
    oh = parse(value)
    monday = reference_week(year)
    cal = _calendar(year)
    peak_start, peak_end = offpeak_window()
    start = datetime.combine(monday, time())
    out: list[ChartSpan] = []
    for a, b in _open_spans(oh, start, start + timedelta(days=7)):
        cur = a
        while cur < b:
            day = cur.date()
            midnight = datetime.combine(day, time())
            nxt = min(b, midnight + timedelta(days=1))
            cuts = [cur, nxt]
            if is_working_day(day, cal):
                for t in (peak_start, peak_end):
                    c = datetime.combine(day, t)
                    if cur < c < nxt:
                        cuts.append(c)
            cuts.sort()
            for x, y in zip(cuts, cuts[1:], strict=False):
                core = is_working_day(day, cal) and (
                    datetime.combine(day, peak_start) <= x and y <= datetime.combine(day, peak_end)
                )
                out.append(
                    ChartSpan(
                        weekday=day.weekday(),
                        start=_hours(midnight, x),
                        end=_hours(midnight, y),
                        offpeak=not core,
                    )
                )
            cur = nxt
    return out


_DAY_WORDS = {
    "Mo": "周一", "Tu": "周二", "We": "周三", "Th": "周四", "Fr": "周五", "Sa": "周六",
    "Su": "周日", "PH": "法定节假日",
}  # fmt: skip


def readable(value: str) -> str:
    """The opening hours as a resident reads them: ``Mo-Fr 08:30-17:00; Sa,Su off`` becomes
    ``周一至周五 08:30-17:00；周六、周日 休息`` in Chinese; unchanged in English."""
    text = (value or "").strip()
    if not text or (get_language() or "").startswith("en"):
        return text
    text = text.replace("24/7", "全天开放")
    text = re.sub(
        r"\b(Mo|Tu|We|Th|Fr|Sa|Su|PH)-(Mo|Tu|We|Th|Fr|Sa|Su)\b",
        lambda m: f"{_DAY_WORDS[m.group(1)]}至{_DAY_WORDS[m.group(2)]}",
        text,
    )
    text = re.sub(r"\b(Mo|Tu|We|Th|Fr|Sa|Su|PH)\b", lambda m: _DAY_WORDS[m.group(1)], text)
    text = re.sub(r"(?<=[一二三四五六日假])\s*,\s*(?=周|法)", "、", text)
    text = re.sub(r"\boff\b|\bclosed\b", "休息", text)
    return text.replace(";", "；").replace("；  ", "；").replace("； ", "；")
