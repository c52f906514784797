"""The people calculators are set-based: evaluating them takes the same number of queries
whatever the number of units and records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from culture.accounts.services import staff_member_upsert
from culture.org.tests.factories import community, subdistrict
from culture.standards.catalogue.people import INDICATORS
from culture.standards.engine import evaluate_compute
from culture.teams.services import culture_talent_upsert
from culture.teams.tests.factories import development, household, team
from culture.venues.tests.factories import venue

pytestmark = pytest.mark.django_db

PEOPLE = [i.id for i in INDICATORS]


def _records(units, tag):
    for i, unit in enumerate(units):
        code = f"{tag}{i}"
        staff_member_upsert(actor=None, staff_number=f"Q{code}", name="职工", org_unit=unit,
                            is_fulltime_culture=True, training={2025: Decimal("6")})  # fmt: skip
        team(f"TM{code}", unit, last_active_on=date(2025, 5, 1))
        if unit.level == "community":
            household(f"H{code}", unit)
            culture_talent_upsert(actor=None, code=f"T{code}", name="能人", community=unit)
            development(f"D{code}", unit, is_future_community=True)
            venue(operator=unit, kind="community_centre", has_culture_steward=True)
            venue(operator=unit, kind="sports_ground")
        else:
            venue(operator=unit, kind="culture_station", has_culture_steward=True)
            venue(operator=unit, kind="sports_centre")


def _queries():
    with CaptureQueriesContext(connection) as ctx:
        evaluate_compute(2025, only=PEOPLE)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_units_or_records(tree):
    assert len(PEOPLE) == 24
    units = [tree[k] for k in ("s1", "s2", "c11", "c12", "c21", "c22")]
    _records(units, "a")
    small = _queries()
    more = []
    for n in range(3):
        s = subdistrict(name_zh=f"新增{n}街道")
        more += [s, community(parent=s), community(parent=s)]
    _records(units + more, "b")
    assert _queries() == small
