"""Residential points: imported where a community has any, else generated over its boundary."""

from __future__ import annotations

import numpy as np
import pytest

from culture.circles.models import ResidentialPoint
from culture.circles.points import (
    CENTROID,
    GENERATED,
    IMPORTED,
    UNLOCATED,
    homes_for,
    split_evenly,
)
from culture.circles.selectors import coverage_inputs
from culture.core.errors import ValidationFailed
from culture.org.models import OrgUnit
from culture.venues.tests.factories import give_boundaries

pytestmark = pytest.mark.django_db


def _reload(*units):
    return list(OrgUnit.objects.filter(pk__in=[u.pk for u in units]).order_by("code"))


def test_split_evenly_adds_up():
    assert split_evenly(10, 3) == [4, 3, 3]
    assert split_evenly(8000, 7) == [1143, 1143, 1143, 1143, 1143, 1143, 1142]
    assert split_evenly(0, 2) == [0, 0]
    assert split_evenly(5, 0) == []


def test_generated_points_spread_the_population_over_the_boundary(tree):
    give_boundaries()  # 0.02 x 0.02 degree squares: about 1.92 km x 2.22 km at 30.3 N
    c11, c12 = _reload(tree["c11"], tree["c12"])
    homes = homes_for([c11, c12])
    assert homes.source == {c11.id: GENERATED, c12.id: GENERATED}
    for unit, pop in ((c11, 8000), (c12, 7000)):
        mine = homes.community_ids == unit.id
        # The residents add up to the community's population exactly.
        assert int(homes.weights[mine].sum()) == pop
        # About one point per 250 m cell: 1.92 x 2.22 km is 68 cells; whole cells inside vary
        # with the grid's anchor, so between 56 and 80.
        assert 56 <= int(mine.sum()) <= 80
        # Spread evenly: no two points differ by more than one resident.
        assert int(homes.weights[mine].max() - homes.weights[mine].min()) <= 1
    # Every generated point lies inside its square (lon 120.10-120.12 for c11).
    first = homes.lonlat[homes.community_ids == c11.id]
    assert (first[:, 0] > 120.10).all() and (first[:, 0] < 120.12).all()
    assert (first[:, 1] > 30.30).all() and (first[:, 1] < 30.32).all()
    # Deterministic, with stable codes.
    again = homes_for([c11, c12])
    assert again.codes == homes.codes
    assert np.array_equal(again.xy, homes.xy)
    assert homes.codes[0] == f"G{c11.code}-1"


def test_imported_points_replace_the_generated_ones_of_their_community(tree):
    give_boundaries()
    c11, c12 = _reload(tree["c11"], tree["c12"])
    ResidentialPoint.objects.create(
        code="P1", name="小区一", community=c11, community_path=c11.path,
        lon=120.105, lat=30.305, population=1200,
    )  # fmt: skip
    homes = homes_for([c11, c12])
    assert homes.source == {c11.id: IMPORTED, c12.id: GENERATED}
    mine = homes.community_ids == c11.id
    assert [homes.codes[i] for i in np.flatnonzero(mine)] == ["P1"]
    assert homes.weights[mine].tolist() == [1200]


def test_centroid_and_unlocated_communities(tree):
    c11, c12, c21 = tree["c11"], tree["c12"], tree["c21"]
    OrgUnit.objects.filter(pk=c11.pk).update(centroid_lon=120.11, centroid_lat=30.31)
    OrgUnit.objects.filter(pk=c21.pk).update(population=0)
    c11, c12, c21 = _reload(c11, c12, c21)
    homes = homes_for([c11, c12, c21])
    assert homes.source[c11.id] == CENTROID
    assert homes.weights.tolist() == [8000]
    assert homes.source[c12.id] == UNLOCATED
    assert homes.unlocated == [c12.id]
    assert homes.source[c21.id] == GENERATED  # nobody lives there: nothing to place


def test_a_district_without_homes_is_refused(tree, users):
    # No boundaries, no centroids, no imported points, no population: nothing to count.
    OrgUnit.objects.update(population=0)
    with pytest.raises(ValidationFailed) as exc:
        coverage_inputs(viewer=users["district"])
    assert "没有居住点" in str(exc.value.message)


def test_inputs_are_scoped_to_the_viewers_communities(tree, users):
    give_boundaries()
    inputs = coverage_inputs(viewer=users["community"])
    assert {c.code for c in inputs.communities} == {tree["c11"].code}
    assert int(inputs.weights.sum()) == 8000
    inputs = coverage_inputs(viewer=users["subdistrict"])
    assert int(inputs.weights.sum()) == 15000
    inputs = coverage_inputs(viewer=users["district"])
    assert int(inputs.weights.sum()) == 26000
    assert inputs.homes_xy.shape == (len(inputs.homes), 2)
