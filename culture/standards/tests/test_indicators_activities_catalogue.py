"""The activity indicators are declared as the policy says: the quoted words are the policy's,
and the levels, thresholds and first years are the ones written out here by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from culture.standards.catalogue import CATALOGUE
from culture.standards.catalogue.types import SHARE

POLICY = Path("/work/shared/policy/gongshu-public-culture-policy-2023.txt")

# id -> {tier: (first year judged, threshold)}, from the policy; yearly counts from 2024 (the
# policy took effect on 7 Dec 2023), S49 (a stock) from 2023; T17 has no threshold.
EXPECTED = {
    "T01": {"district": (2024, 800)},
    "T02": {"district": (2024, 1_000_000)},
    "T10": {"district": (2024, 100)},
    "T11": {"district": (2024, 3)},
    "T12": {"subdistrict": (2024, 1)},
    "T17": {},
    "S13": {"district": (2024, 1_000_000)},
    "S14": {"district": (2024, 24)},
    "S27": {"district": (2024, 5), "subdistrict": (2024, 5)},
    "S28": {"theatre": (2024, 12)},
    "S29": {"district": (2024, 24), "subdistrict": (2024, 12), "community": (2024, 2)},
    "S30": {"library": (2024, 6), "culture_centre": (2024, 6)},
    "S31": {"district_venue": (2024, 6), "culture_station": (2024, 2)},
    "S32": {"district": (2024, 1.0)},
    "S45": {"district": (2024, 1.0)},
    "S46": {"district": (2024, 10)},
    "S49": {"district": (2023, 2)},
}
LEVELS = {
    "T12": ("subdistrict",),
    "T17": ("district", "subdistrict", "community"),
    "S27": ("district", "subdistrict"),
    "S28": ("venue",),
    "S29": ("district", "subdistrict", "community"),
    "S30": ("venue",),
    "S31": ("venue",),
}


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("indicator_id", sorted(EXPECTED))
def test_declared_as_the_policy_says(indicator_id):
    ind = CATALOGUE[indicator_id]
    if POLICY.exists():
        assert _flat(ind.quote_zh) in _flat(POLICY.read_text(encoding="utf-8")), indicator_id
    assert ind.levels == LEVELS.get(indicator_id, ("district",))
    schedule = {
        tier: (steps[0].from_year, steps[0].threshold) for tier, steps in ind.thresholds.items()
    }
    assert schedule == EXPECTED[indicator_id]
    assert all(len(steps) == 1 for steps in ind.thresholds.values())
    assert ind.calculator is not None
    assert ind.owner_zh and ind.definition_zh and ind.notes_zh and ind.notes_en


def test_only_t17_is_information_and_the_multi_requirement_ones_are_shares():
    assert [i for i in EXPECTED if CATALOGUE[i].informational] == ["T17"]
    assert {i for i in EXPECTED if CATALOGUE[i].unit == SHARE} == {"S32", "S45"}


def test_a_2023_yearly_count_is_not_due_and_2024_is_due():
    t01 = CATALOGUE["T01"]
    assert t01.threshold_for("district", 2023) == (800, False)
    assert t01.threshold_for("district", 2024) == (800, True)
    assert CATALOGUE["S49"].threshold_for("district", 2023) == (2, True)


def test_reported_fields_for_org_level_counts():
    # Venue-level rules and T17 take no reported figures; the others do.
    none = {"S28", "S30", "S31", "T17"}
    for indicator_id in EXPECTED:
        fields = {f.key for f in CATALOGUE[indicator_id].report_fields}
        if indicator_id in none:
            assert not fields, indicator_id
        elif indicator_id == "S32":
            assert fields == {"patriotic_fewest_per_term", "new_domestic_share"}
        elif indicator_id == "S45":
            assert fields == {
                "books",
                "fewest_circulations_per_branch",
                "mobile_performances",
                "mobile_exhibitions",
            }
        else:
            assert fields == {"value"}, indicator_id
    assert CATALOGUE["S32"].uses_definitions == ("school_terms", "new_film_years")
