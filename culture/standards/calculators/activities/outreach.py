"""Standards made of several requirements: films (S32) and mobile services (S45). The value is
the share of the requirements met (``base.requirements_measure``); the parts show each one."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Sum
from django.utils import timezone

from culture.activities.models import Activity
from culture.org.models import OrgLevel
from culture.standards.calculators import Context, Measure
from culture.standards.calculators.activities.base import (
    Requirement,
    counted_until,
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


def films(ctx: Context, level: str) -> dict[int, Measure]:
    """S32, district: (1) in every school term judged this year at least two patriotic film
    screenings for pupils; (2) of the year's community film screenings at least 1/3 new domestic
    films. Both kinds are small: one kind-filtered query on the raw activities each."""
    if level != OrgLevel.DISTRICT:
        return {}
    terms, terms_defined = judged_terms(ctx)
    per_term: dict[str, int] = defaultdict(int)
    patriotic_any = False
    if terms:
        starts = (
            Activity.objects.filter(
                kind="patriotic_screening",
                cancelled=False,
                start_at__gte=_midnight(ctx, min(t[1] for t in terms)),
                start_at__lt=_midnight(ctx, max(t[2] for t in terms) + timedelta(days=1)),
            )
            .values_list("start_at", flat=True)
            .order_by()
        )
        for start in starts:
            patriotic_any = True
            day = timezone.localtime(start, ctx.tz).date()
            for name, first, last in terms:
                if first <= day <= last:
                    per_term[name] += 1
    years = int(ctx.definitions.get("new_film_years") or 2)
    screenings = Activity.objects.filter(
        kind="film_screening",
        cancelled=False,
        start_at__gte=ctx.year_start,
        start_at__lt=min(ctx.year_end, counted_until(ctx)),
    ).values_list("start_at", "film_release_date", "film_domestic")
    shown = new = 0
    for start, release, domestic in screenings:
        shown += 1
        day = timezone.localtime(start, ctx.tz).date()
        new += is_new_domestic(day, release, domestic, years)
    if not patriotic_any and not shown:
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
