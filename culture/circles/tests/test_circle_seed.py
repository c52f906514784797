"""The demo step ``seed_circles``: a circle per community through the services, its culture
centre as the essential venue, the nearest well-run spaces, a weekly programme for most, and
acceptance exactly where the checklist passes."""

from __future__ import annotations

import io
import random

import pytest
from shapely.geometry import Point, shape

from culture.activities.models import Activity
from culture.circles.checklist import check_circles
from culture.circles.models import Circle, CircleStatus, ResidentialPoint
from culture.circles.tests.circle_data import GOOD, place, with_centroids
from culture.core.models import AuditEntry
from culture.demo.seed_circles import seed_circles
from culture.venues.models import VenueKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree):
    with_centroids()
    c11 = tree["c11"]
    centre = place(c11, kind=VenueKind.COMMUNITY_CENTRE, east=80, name_zh="甲文化家园", **GOOD)
    good = [
        place(c11, kind=VenueKind.CITY_BOOKROOM, east=e, name_zh=f"好书房{e}", **GOOD)
        for e in (500, 700, 900, 1100)
    ]
    unsigned = place(c11, kind=VenueKind.CULTURE_POST, east=200, name_zh="无标识驿站",
                     **{**GOOD, "has_signage": False})  # fmt: skip
    place(tree["c21"], kind=VenueKind.CITY_BOOKROOM, east=0, name_zh="乙书房")
    return {**tree, "centre": centre, "good": good, "unsigned": unsigned}


def test_a_circle_per_community_with_its_centre_and_the_nearest_good_spaces(world):
    out = io.StringIO()
    seed_circles(rng=random.Random("42:circles"), stdout=out)
    circles = {c.community.code: c for c in Circle.objects.select_related("community")}
    assert sorted(circles) == ["330105001001", "330105001002", "330105002001", "330105002002"]
    assert all(c.code == f"QC{code}" for code, c in circles.items())
    c11 = circles["330105001001"]
    assert c11.essential_venue == world["centre"] and c11.theme
    assert [s.name_zh for s in c11.spaces.order_by("code")] == [
        "好书房500",
        "好书房700",
        "好书房900",
    ]
    assert circles["330105002001"].essential_venue is None
    assert AuditEntry.objects.filter(action="circles.circle_created").count() == 4
    assert out.getvalue().startswith("Circles: 4 created, ")


def test_accepted_exactly_where_the_checklist_passes(world):
    seed_circles(rng=random.Random("42:circles"), stdout=io.StringIO())
    checks = check_circles(list(Circle.objects.all()))
    for circle in Circle.objects.all():
        assert (circle.status == CircleStatus.ACCEPTED) == checks[circle.pk].passed, circle.code
        if circle.status == CircleStatus.ACCEPTED:
            assert circle.accepted_on is not None and circle.accepted_by is None
    # only c11 has a venue and spaces: it alone can pass, and does when the draw gave it a
    # board, a demand channel and a programme
    others = Circle.objects.exclude(community=world["c11"])
    assert not others.filter(status=CircleStatus.ACCEPTED).exists()


def test_the_weekly_programme_goes_through_the_activity_services(world):
    seed_circles(rng=random.Random("42:circles"), stdout=io.StringIO())
    programme = Activity.objects.filter(external_id__startswith="DEMO-CIRCLE-QC330105001001-")
    # with this seed c11 draws a programme (70 % of circles do)
    assert {a.venue for a in programme} == {world["centre"]}
    assert all(not a.online and a.kind == "mass_activity" for a in programme)
    assert programme.count() == 7  # the 4 weeks checked and the next 3
    # c22 has no venue and no space within reach: no programme
    assert not Activity.objects.filter(
        external_id__startswith="DEMO-CIRCLE-QC330105002002"
    ).exists()


def test_running_again_changes_nothing(world):
    seed_circles(rng=random.Random(1), stdout=io.StringIO())
    before = list(Circle.objects.values_list("code", "status", "theme"))
    out = io.StringIO()
    seed_circles(rng=random.Random(2), stdout=out)
    assert list(Circle.objects.values_list("code", "status", "theme")) == before
    assert out.getvalue() == "Circles already seeded.\n"


def test_two_communities_get_imported_compounds_adding_up_to_their_residents(world):
    out = io.StringIO()
    seed_circles(rng=random.Random("42:circles"), stdout=out)
    points = ResidentialPoint.objects.select_related("community").order_by("code")
    by_unit: dict[str, list[ResidentialPoint]] = {}
    for p in points:
        by_unit.setdefault(p.community.code, []).append(p)
    # the first and the last community by code, a few compounds each
    assert sorted(by_unit) == ["330105001001", "330105002002"]
    for code, rows in by_unit.items():
        unit = rows[0].community
        assert 4 <= len(rows) <= 7
        assert sum(p.population for p in rows) == unit.population
        assert all(p.source == "imported" and p.code.startswith(f"{code}-R") for p in rows)
        assert all(shape(unit.boundary).contains(Point(p.lon, p.lat)) for p in rows)
    # some rows were given in GCJ-02 (a web map's) and stored converted to WGS-84
    systems = {p.coord_source_system for p in points}
    assert systems == {"wgs84", "gcj02"}
    assert AuditEntry.objects.filter(action="circles.residential_point_created").count() == len(
        points
    )
    assert f"Residential points: {len(points)} imported." in out.getvalue()
