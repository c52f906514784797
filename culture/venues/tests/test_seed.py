"""The demo venues (culture.demo.seed_venues) on the synthetic org tree."""

from __future__ import annotations

import io
import random

import pytest

from culture.demo import services as demo
from culture.demo.seed_venues import seed_venues
from culture.org.models import OrgLevel, OrgUnit
from culture.venues.models import DISTRICT_VENUE_KINDS, Venue, VenueKind


@pytest.fixture
def demo_tree(db, monkeypatch):
    monkeypatch.setattr(demo, "_seed_people_function", lambda: None)
    demo.demo_dataset_build(seed=42, scale=1, stdout=io.StringIO())


def test_seed_builds_a_plausible_registry(demo_tree):
    seed_venues(rng=random.Random(42), stdout=io.StringIO())
    names = set(Venue.objects.values_list("name_zh", flat=True))
    assert {
        "拱墅区图书馆",
        "拱墅区文化馆",
        "京杭大运河博物院",
        "运河大剧院",
        "拱墅区非遗文献馆",
    } <= names
    district = OrgUnit.objects.get(level=OrgLevel.DISTRICT)
    for kind in DISTRICT_VENUE_KINDS:
        assert Venue.objects.filter(kind=kind, operator_unit=district).exists(), kind
    n_sub = OrgUnit.objects.filter(level=OrgLevel.SUBDISTRICT).count()
    assert Venue.objects.filter(kind=VenueKind.CULTURE_STATION).count() == n_sub
    assert Venue.objects.filter(kind=VenueKind.CITY_BOOKROOM).count() == 45
    # Every venue stands in a community and has its hours figures.
    assert not Venue.objects.filter(location_community__isnull=True).exists()
    assert not Venue.objects.filter(weekly_hours__isnull=True).exists()
    # Shortfalls come from the generator: not every community has a culture centre.
    n_com = OrgUnit.objects.filter(level=OrgLevel.COMMUNITY).count()
    centres = Venue.objects.filter(kind=VenueKind.COMMUNITY_CENTRE).count()
    assert n_com * 0.7 < centres < n_com
    # Running it again changes nothing.
    before = Venue.objects.count()
    seed_venues(rng=random.Random(42), stdout=io.StringIO())
    assert Venue.objects.count() == before
