"""The evaluation's query count does not grow with the number of activities: evaluating the
whole catalogue with N and with 2N activities runs the same number of queries (the calculators
read the summaries with grouped queries, never a query per row or per unit)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from culture.activities.kinds import KINDS
from culture.activities.services import activity_create
from culture.activities.tests.factories import local, venue
from culture.standards.engine import evaluate_compute

pytestmark = pytest.mark.django_db

# What a kind needs besides the common fields (kinds.KINDS: required kind-specific fields).
EXTRA = {
    "film_screening": {"film_release_date": date(2025, 1, 10), "film_domestic": True},
    "patriotic_screening": {"film_release_date": date(2024, 6, 1), "film_domestic": True},
    "online_service": {"sessions": 3},
    "books_to_grassroots": {"books_count": 200},
    "joint_service": {"branch_system": "library"},
}


def add_activities(tree, places, *, month: int) -> int:
    """One activity of every kind by each of the district, a subdistrict and a community, at
    each venue and at none, in ``month`` of 2025. Returns how many were made."""
    made = 0
    for organiser in (tree["district"], tree["s1"], tree["c11"]):
        for i, place in enumerate(places):
            for kind in KINDS:
                start = local(2025, month, 3 + i * 7, 14)
                activity_create(
                    actor=None,
                    title=f"{kind.label_zh}{month}-{i}",
                    kind=kind.code,
                    organiser=organiser,
                    venue=place,
                    start_at=start,
                    end_at=start.replace(hour=16),
                    attendance=30 + i,
                    **EXTRA.get(kind.code, {}),
                )
                made += 1
    return made


def queries_of_evaluation(year: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        _ctx, rows = evaluate_compute(year)
    return len(captured), len(rows)


def test_whole_catalogue_query_count_is_the_same_with_n_and_2n_activities(tree):
    places = [None, venue(tree["district"], name_zh="区文化馆"), venue(tree["c11"])]
    n = add_activities(tree, places, month=3)
    first, results = queries_of_evaluation(2025)
    assert n == 3 * 3 * len(KINDS)
    n += add_activities(tree, places, month=9)
    second, results_again = queries_of_evaluation(2025)
    assert n == 2 * 3 * 3 * len(KINDS)
    assert second == first
    assert results_again == results  # the same units and indicators, more activities
    n += add_activities(tree, places, month=11)
    assert queries_of_evaluation(2025)[0] == first
