"""Standards made of several requirements: films (S32) and mobile services (S45). The value is
the share of the requirements met (``base.requirements_measure``); the parts show each one."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Sum

from culture.activities.models import Activity, ActivityWeekSummary
from culture.org.models import OrgLevel
from culture.standards.calculators import Context, Measure
from culture.standards.calculators.activities.base import (
    Requirement,
    district_path,
    district_venue_ids,
    month_rows,
    open_venues,
    requirements_measure,
)
from culture.standards.definitions import school_terms_in
from culture.venues.models import VenueKind

PATRIOTIC_PER_TERM = 2
NEW_DOMESTIC_SHARE = 1 / 3
BOOKS = 13_000
CIRCULATIONS_PER_BRANCH = 4
MOBILE_PERFORMANCES = 24
MOBILE_EXHIBITIONS = 12
S45_KINDS = ("books_to_grassroots", "mobile_performance", "mobile_exhibition")


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (29 February -> 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def is_new_domestic(shown: date, release: date | None, domestic: bool | None, years: int) -> bool:
    """A domestic film shown within ``years`` of its cinema release (院线上映不超过两年)."""
    return bool(domestic) and release is not None and shown <= add_years(release, years)


def judged_terms(ctx: Context) -> tuple[list[tuple[str, date, date]], bool]:
    """(terms judged in ``ctx.year``, whether any term is defined for the year). A term is
    judged in the year it ends, once it has ended by ``ctx.as_of``: each term once, whole."""
    terms = school_terms_in(ctx.definitions.get("school_terms") or [], ctx.year)
    judged = [t for t in terms if t[2].year == ctx.year and t[2] <= ctx.as_of]
    return judged, bool(terms)


def _midnight(ctx: Context, day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=ctx.tz)


def days_counts(ctx: Context, kind: str, spans: list[tuple[date, date]]) -> list[int]:
    """Live activities of ``kind`` (anywhere) held on the days ``first..last`` (local dates,
    both included) of each span. Whole weeks come from the week summaries (one grouped query);
    the days before a span's first Monday and after its last whole week from the raw rows
    (a count over at most six days at either end)."""
    if not spans:
        return []
    whole: list[tuple[date, date] | None] = []  # (first Monday, last Monday) per span
    edges: list[list[tuple[date, date]]] = []  # raw day ranges (first, last) per span
    for first, last in spans:
        monday = first + timedelta(days=(7 - first.weekday()) % 7)
        last_monday = last - timedelta(days=6 + (last.weekday() - 6) % 7)
        # last_monday: the Monday of the last week ending on or before ``last``.
        if monday <= last_monday:
            whole.append((monday, last_monday))
            edges.append(
                [
                    r
                    for r in (
                        (first, monday - timedelta(days=1)),
                        (last_monday + timedelta(7), last),
                    )
                    if r[0] <= r[1]
                ]
            )
        else:
            whole.append(None)
            edges.append([(first, last)])
    weeks: dict[date, int] = {}
    known = [w for w in whole if w is not None]
    if known:
        weeks = dict(
            ActivityWeekSummary.objects.filter(
                kind=kind,
                week_start__gte=min(w[0] for w in known),
                week_start__lte=max(w[1] for w in known),
            )
            .values("week_start")
            .annotate(n=Sum("activities"))
            .order_by()
            .values_list("week_start", "n")
        )
    # One count per edge range: an equality on the kind and a range on the start, which the
    # (kind, start_at) index answers alone (an OR of ranges makes SQLite pick another index).
    live = Activity.objects.filter(kind=kind, cancelled=False)
    raw = [
        live.filter(
            start_at__gte=_midnight(ctx, a), start_at__lt=_midnight(ctx, b + timedelta(days=1))
        ).count()
        for span in edges
        for a, b in span
    ]
    out, i = [], 0
    for w, span in zip(whole, edges, strict=True):
        n = 0
        if w is not None:
            n += sum(c for monday, c in weeks.items() if w[0] <= monday <= w[1])
        for _range in span:
            n += raw[i]
            i += 1
        out.append(n)
    return out


def films(ctx: Context, level: str) -> dict[int, Measure]:
    """S32, district: (1) in every school term judged this year at least two patriotic film
    screenings for pupils; (2) of the year's community film screenings at least 1/3 new domestic
    films. From the summaries: the terms' whole weeks from the week summaries and their first
    and last days from the raw rows (``days_counts``); the films from the month summaries,
    whose ``film_age`` says how many years after its release a domestic film was shown (new:
    ``film_age <= new_film_years``), counted like every activity up to the month of ``as_of``.
    No patriotic screening in the judged terms and no film screening: no data."""
    if level != OrgLevel.DISTRICT:
        return {}
    terms, terms_defined = judged_terms(ctx)
    counted = days_counts(ctx, "patriotic_screening", [(t[1], t[2]) for t in terms])
    per_term = {t[0]: n for t, n in zip(terms, counted, strict=True)}
    years = int(ctx.definitions.get("new_film_years") or 2)
    shown = new = 0
    for age, n in (
        month_rows(ctx, ("film_screening",))
        .values("film_age")
        .annotate(n=Sum("activities"))
        .order_by()
        .values_list("film_age", "n")
    ):
        shown += int(n or 0)
        if age is not None and age <= years:
            new += int(n or 0)
    if not any(counted) and not shown:
        return {}
    fewest = min((per_term.get(t[0], 0) for t in terms), default=None)
    requirements = [
        Requirement(
            "patriotic_fewest_per_term",
            None if not terms_defined else fewest,
            PATRIOTIC_PER_TERM,
            # Defined terms of which none has ended yet: nothing to judge so far.
            applicable=not terms_defined or bool(terms),
        ),
        Requirement("new_domestic_share", new / shown if shown else 0.0, NEW_DOMESTIC_SHARE),
    ]
    measure = requirements_measure(
        requirements,
        terms={t[0]: per_term.get(t[0], 0) for t in terms},
        film_screenings=shown,
        new_domestic_films=new,
    )
    return {u.id: measure for u in ctx.units(level)}


def mobile_services(ctx: Context, level: str) -> dict[int, Measure]:
    """S45, district: (1) books sent to the grassroots by the district level >= 13,000;
    (2) every open branch library receives books from the district level >= 4 times; (3) mobile
    performances anywhere in the district (the culture centre guides the subdistrict branches)
    >= 24; (4) mobile exhibitions of the district-level venues >= 12."""
    if level != OrgLevel.DISTRICT or not month_rows(ctx, S45_KINDS).exists():
        return {}
    top = district_path(ctx)
    district_venues = set(district_venue_ids())
    branches = list(open_venues((VenueKind.BRANCH_LIBRARY,)).values_list("id", flat=True))
    books = performances = exhibitions = 0
    circulations = {vid: 0 for vid in branches}
    rows = (
        month_rows(ctx, S45_KINDS)
        .values("kind", "organiser_path", "venue_id")
        .annotate(n=Sum("activities"), books=Sum("books"))
        .order_by()
    )
    for r in rows:
        district_level = r["organiser_path"] == top or r["venue_id"] in district_venues
        n = int(r["n"] or 0)
        if r["kind"] == "books_to_grassroots" and district_level:
            books += int(r["books"] or 0)
            if r["venue_id"] in circulations:
                circulations[r["venue_id"]] += n
        elif r["kind"] == "mobile_performance":
            performances += n
        elif r["kind"] == "mobile_exhibition" and district_level:
            exhibitions += n
    fewest = min(circulations.values(), default=None)
    measure = requirements_measure(
        [
            Requirement("books", float(books), BOOKS),
            Requirement(
                "fewest_circulations_per_branch",
                None if fewest is None else float(fewest),
                CIRCULATIONS_PER_BRANCH,
                applicable=bool(branches),
            ),
            Requirement("mobile_performances", float(performances), MOBILE_PERFORMANCES),
            Requirement("mobile_exhibitions", float(exhibitions), MOBILE_EXHIBITIONS),
        ],
        branch_libraries=len(branches),
    )
    return {u.id: measure for u in ctx.units(level)}
