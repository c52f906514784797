"""S32 (2 patriotic films per school term; >= 1/3 new domestic films), S45 (13,000 books, 4
circulations per subdistrict library, 24 mobile performances, 12 mobile exhibitions), S46 (10
exchange visits) and S49 (2 international exchange bases or projects). Values by hand."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from culture.activities.summaries import film_age
from culture.standards.calculators.activities import outreach
from culture.standards.catalogue.activities.outreach import s32_from_reported
from culture.standards.engine import build_context
from culture.standards.tests.test_indicators_activities_support import (
    evaluate,
    make,
    report,
    row,
    verdict,
)
from culture.venues.models import VenueKind, VenueStatus
from culture.venues.tests.factories import venue

K = VenueKind
# Written by hand: the terms ending in 2025 are autumn 2024 and spring 2025 (judged in 2025);
# autumn 2025 ends in 2026 and is judged then.
TERMS = [
    {"name": "2024秋", "start": "2024-09-01", "end": "2025-01-17"},
    {"name": "2025春", "start": "2025-02-17", "end": "2025-06-30"},
    {"name": "2025秋", "start": "2025-09-01", "end": "2026-01-23"},
]


# --- S32: films ---------------------------------------------------------------------------------


def test_a_new_domestic_film_is_shown_within_two_years_of_release():
    new = outreach.is_new_domestic
    assert new(date(2025, 5, 1), date(2023, 5, 1), True, 2)  # exactly two years
    assert not new(date(2025, 5, 1), date(2023, 4, 30), True, 2)  # a day more
    assert not new(date(2025, 5, 1), date(2025, 1, 1), False, 2)  # foreign
    assert new(date(2025, 5, 1), date(2025, 6, 1), True, 2)  # a premiere before release
    assert new(date(2026, 2, 28), date(2024, 2, 29), True, 2)  # 29 Feb + 2 years = 28 Feb


def _patriotic(tree, autumn: int, spring: int, later: int = 0) -> None:
    make(tree["c11"], "patriotic_screening", autumn - 1, on=date(2024, 10, 15))
    make(tree["s2"], "patriotic_screening", 1, on=date(2025, 1, 10))  # same term, in January
    make(tree["s1"], "patriotic_screening", spring, on=date(2025, 3, 3))
    make(tree["s1"], "patriotic_screening", later, on=date(2025, 10, 9))  # autumn 2025


def _films(tree, new: int, old: int, on: date = date(2025, 5, 6)) -> None:
    # Shown from 6 May 2025: released 1 Jan 2024 is new, 5 May 2023 is more than two years old.
    make(
        tree["c12"],
        "film_screening",
        new,
        film_release_date=date(2024, 1, 1),
        film_domestic=True,
        on=on,
    )
    make(
        tree["c21"],
        "film_screening",
        old,
        film_release_date=date(2023, 5, 5),
        film_domestic=True,
        on=on,
    )


@pytest.mark.django_db
def test_s32_both_requirements_at_the_edge_is_met(tree):
    _patriotic(tree, autumn=2, spring=2)
    _films(tree, new=1, old=2)  # 1 of 3: exactly 1/3
    r = row(evaluate(["S32"], school_terms=TERMS), "S32", "district", tree["district"])
    assert verdict(r) == (1.0, 1.0, "met")
    assert r.parts["terms"] == {"2024秋": 2, "2025春": 2}
    assert (r.parts["film_screenings"], r.parts["new_domestic_films"]) == (3, 1)
    assert r.parts["patriotic_fewest_per_term"]["met"] is True


@pytest.mark.django_db
def test_s32_one_short_in_a_term_or_in_new_films(tree):
    _patriotic(tree, autumn=2, spring=1, later=5)  # the autumn 2025 shows do not help spring
    _films(tree, new=1, old=3)  # 1 of 4 = 25 %
    r = row(evaluate(["S32"], school_terms=TERMS), "S32", "district", tree["district"])
    assert verdict(r) == (0.0, 1.0, "not_met")
    _films(tree, new=1, old=0)  # 2 of 5 = 40 %: the film requirement is met, the term is not
    r = row(evaluate(["S32"], school_terms=TERMS), "S32", "district", tree["district"])
    assert verdict(r) == (0.5, 1.0, "not_met")
    assert r.parts["patriotic_fewest_per_term"]["value"] == 1


@pytest.mark.django_db
def test_s32_above_both_edges_and_the_new_film_years_definition(tree):
    _patriotic(tree, autumn=3, spring=3)
    _films(tree, new=2, old=1)  # 2 of 3
    r = row(evaluate(["S32"], school_terms=TERMS), "S32", "district", tree["district"])
    assert verdict(r) == (1.0, 1.0, "met")
    # With "new" meaning one year after release, no film is new: the share requirement fails.
    r = row(
        evaluate(["S32"], school_terms=TERMS, new_film_years=1), "S32", "district", tree["district"]
    )
    assert verdict(r) == (0.5, 1.0, "not_met")


@pytest.mark.django_db
def test_s32_before_any_term_ends_only_the_films_are_judged(tree):
    _films(tree, new=1, old=0, on=date(2025, 1, 5))  # 1 of 1 by 10 January
    _films(tree, new=0, old=3, on=date(2025, 3, 1))  # not yet counted on 10 January
    ctx = dataclasses.replace(build_context(2025), as_of=date(2025, 1, 10))
    ctx.definitions["school_terms"] = TERMS
    [m] = outreach.films(ctx, "district").values()
    assert (m.value, m.parts["patriotic_fewest_per_term"]["applicable"]) == (1.0, False)
    assert (m.parts["film_screenings"], m.parts["new_domestic_films"]) == (1, 1)


@pytest.mark.django_db
def test_s32_no_terms_or_no_screenings_is_no_data_reported_figures_take_over(tree):
    r = row(evaluate(["S32"], school_terms=TERMS), "S32", "district", tree["district"])
    assert (r.value, r.status) == (None, "no_data")
    _films(tree, new=1, old=1)
    r = row(evaluate(["S32"], school_terms=[]), "S32", "district", tree["district"])
    assert (r.value, r.status) == (None, "no_data")
    report("S32", tree["district"], patriotic_fewest_per_term=2, new_domestic_share=0.3)
    r = row(evaluate(["S32"], school_terms=[]), "S32", "district", tree["district"])
    assert (verdict(r), r.source) == ((0.5, 1.0, "not_met"), "reported")


@pytest.mark.django_db
def test_s32_counts_a_term_from_its_first_to_its_last_day(tree):
    # Written by hand: a term from Wednesday 5 to Thursday 20 March (one whole week, 10-16
    # March, and partial weeks at both ends), one of five days (Tuesday to Saturday, no whole
    # week) and one of two whole weeks (Monday 7 to Sunday 20 April).
    terms = [
        {"name": "A", "start": "2025-03-05", "end": "2025-03-20"},
        {"name": "B", "start": "2025-03-25", "end": "2025-03-29"},
        {"name": "C", "start": "2025-04-07", "end": "2025-04-20"},
    ]
    days = [(3, 4), (3, 5), (3, 9), (3, 10), (3, 20), (3, 21)]  # A: 4 of them
    days += [(3, 24), (3, 25), (3, 29), (3, 30)]  # B: 2
    days += [(4, 6), (4, 7), (4, 20), (4, 21)]  # C: 2
    for month, day in days:
        make(tree["c11"], "patriotic_screening", on=date(2025, month, day))
    r = row(evaluate(["S32"], school_terms=terms), "S32", "district", tree["district"])
    assert r.parts["terms"] == {"A": 4, "B": 2, "C": 2}
    assert r.parts["patriotic_fewest_per_term"]["value"] == 2


@given(
    shown=st.dates(min_value=date(2023, 1, 1), max_value=date(2030, 12, 31)),
    release=st.dates(min_value=date(2015, 1, 1), max_value=date(2031, 12, 31)),
    years=st.integers(0, 6),
)
def test_a_film_is_new_exactly_when_its_stored_age_is_within_the_years(shown, release, years):
    # The summaries keep film_age; S32 counts a film as new when film_age <= new_film_years.
    age = film_age(shown, release, True)
    assert age is not None
    assert outreach.is_new_domestic(shown, release, True, years) == (age <= years)
    assert film_age(shown, release, False) is None


def test_s32_reported_needs_both_figures():
    assert s32_from_reported({"patriotic_fewest_per_term": 2}, None) is None
    both = {"patriotic_fewest_per_term": 2, "new_domestic_share": 1 / 3}
    assert s32_from_reported(both, None) == 1.0


# --- S45: mobile services -----------------------------------------------------------------------


def _s45(tree, *, books=13_000, b2_visits=4, performances=24, exhibitions=12):
    d = tree["district"]
    b1 = venue(operator=tree["s1"], kind=K.BRANCH_LIBRARY, at=tree["c11"])
    b2 = venue(operator=tree["s2"], kind=K.BRANCH_LIBRARY, at=tree["c21"])
    museum = venue(operator=d, kind=K.MUSEUM, at=tree["c12"])
    make(d, "books_to_grassroots", 4, venue=b1, books_count=3000)  # 12,000 books
    make(d, "books_to_grassroots", b2_visits, venue=b2, books_count=100)
    make(d, "books_to_grassroots", 1, books_count=books - 12_000 - 100 * b2_visits)
    make(tree["s1"], "books_to_grassroots", 2, venue=b2, books_count=900)  # not district level
    make(tree["s1"], "mobile_performance", performances - 4)  # any organiser counts
    make(tree["c22"], "mobile_performance", 4)
    make(d, "mobile_exhibition", exhibitions - 1)
    make(tree["s2"], "mobile_exhibition", 1, venue=museum)  # at a district venue: counts
    make(tree["s2"], "mobile_exhibition", 3)  # a subdistrict's own: not district level
    return evaluate(["S45"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("figures", "value", "status"),
    [
        ({}, 1.0, "met"),
        ({"books": 13_001, "b2_visits": 5, "performances": 25, "exhibitions": 13}, 1.0, "met"),
        ({"books": 12_999}, 0.75, "not_met"),
        ({"b2_visits": 3}, 0.75, "not_met"),
        ({"performances": 23}, 0.75, "not_met"),
        ({"exhibitions": 11}, 0.75, "not_met"),
    ],
)
def test_s45_four_requirements_at_the_edges(tree, figures, value, status):
    r = row(_s45(tree, **figures), "S45", "district", tree["district"])
    assert verdict(r) == (value, 1.0, status)
    expected = {
        "books": figures.get("books", 13_000),
        "fewest_circulations_per_branch": min(4, figures.get("b2_visits", 4)),
        "mobile_performances": figures.get("performances", 24),
        "mobile_exhibitions": figures.get("exhibitions", 12),
    }
    assert {k: r.parts[k]["value"] for k in expected} == expected


@pytest.mark.django_db
def test_s45_without_branch_libraries_three_requirements(tree):
    make(tree["district"], "books_to_grassroots", 1, books_count=13_000)
    make(tree["s1"], "mobile_performance", 24)
    make(tree["district"], "mobile_exhibition", 11)
    r = row(evaluate(["S45"]), "S45", "district", tree["district"])
    assert (round(r.value, 4), r.status) == (0.6667, "not_met")
    assert r.parts["fewest_circulations_per_branch"]["applicable"] is False


@pytest.mark.django_db
def test_s45_no_record_is_no_data_and_reported_figures_take_over(tree):
    make(tree["district"], "exhibition", 3)
    r = row(evaluate(["S45"]), "S45", "district", tree["district"])
    assert (r.value, r.status) == (None, "no_data")
    report(
        "S45",
        tree["district"],
        books=14_000,
        fewest_circulations_per_branch=4,
        mobile_performances=30,
        mobile_exhibitions=12,
    )
    r = row(evaluate(["S45"]), "S45", "district", tree["district"])
    assert (verdict(r), r.source) == ((1.0, 1.0, "met"), "reported")


# --- S46: cultural exchange visits >= 10 a year (district level) -------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("n", "status"), [(9, "not_met"), (10, "met"), (11, "met")])
def test_s46_district_level_exchange_visits_at_the_edge(tree, n, status):
    museum = venue(operator=tree["district"], kind=K.MUSEUM, at=tree["c11"])
    make(tree["district"], "exchange_visit", n - 1)
    make(tree["s1"], "exchange_visit", 1, venue=museum)  # held at a district venue
    make(tree["s2"], "exchange_visit", 4)  # a subdistrict's own: not district level
    r = row(evaluate(["S46"]), "S46", "district", tree["district"])
    assert verdict(r) == (float(n), 10.0, status)


@pytest.mark.django_db
def test_s46_no_exchange_visit_recorded_is_no_data(tree):
    make(tree["district"], "performance", 12)
    r = row(evaluate(["S46"]), "S46", "district", tree["district"])
    assert (r.value, r.status) == (None, "no_data")


# --- S49: international exchange bases or projects >= 2 (a stock, from 2023) -------------------


@pytest.mark.django_db
def test_s49_bases_and_projects_below_at_and_above(tree):
    venue(operator=tree["district"], kind=K.EXCHANGE_BASE, at=tree["c11"])
    venue(operator=tree["s1"], kind=K.EXCHANGE_BASE, at=tree["c12"], status=VenueStatus.CLOSED)
    r = row(evaluate(["S49"]), "S49", "district", tree["district"])
    assert verdict(r) == (1.0, 2.0, "not_met")
    assert r.parts == {"bases": 1, "projects": 0}
    make(tree["s1"], "international_exchange", 1)
    r = row(evaluate(["S49"]), "S49", "district", tree["district"])
    assert verdict(r) == (2.0, 2.0, "met")
    make(tree["district"], "international_exchange", 1)
    make(tree["district"], "international_exchange", 1, on=date(2024, 6, 1))  # another year
    r = row(evaluate(["S49"]), "S49", "district", tree["district"])
    assert verdict(r) == (3.0, 2.0, "met")
    assert r.parts == {"bases": 1, "projects": 2}


@pytest.mark.django_db
def test_s49_is_judged_in_2023_and_nothing_recorded_is_no_data(tree):
    r = row(evaluate(["S49"], year=2023), "S49", "district", tree["district"])
    assert (r.value, r.status) == (None, "no_data")
    venue(operator=tree["district"], kind=K.EXCHANGE_BASE, at=tree["c11"])
    venue(operator=tree["district"], kind=K.EXCHANGE_BASE, at=tree["c21"])
    r = row(evaluate(["S49"], year=2023), "S49", "district", tree["district"])
    assert verdict(r) == (2.0, 2.0, "met")
