"""/api/circles/registry/: circles with what they lack, one circle's checklist, and the residents
inside accepted circles; scoped like the pages."""

from __future__ import annotations

import pytest

from culture.circles.registry import circle_accept, circle_create
from culture.circles.tests.circle_data import complete_circle, with_centroids

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree):
    with_centroids()
    circle_accept(actor=None, circle=complete_circle(tree["c11"]))
    circle_create(actor=None, community=tree["c21"], name="武林待建圈")
    return tree


def test_list_is_scoped_with_what_is_missing(world, users, login):
    rows = login(users["district"]).get("/api/circles/registry/circles").json()
    assert [(r["code"], r["status"], r["checklist_passed"]) for r in rows] == [
        ("QC330105001001", "accepted", True),
        ("QC330105002001", "planned", False),
    ]
    assert rows[1]["missing"] == [
        "venue", "spaces", "signage", "hours", "fees", "booking", "demand", "weekly",
    ]  # fmt: skip
    mine = login(users["subdistrict"]).get("/api/circles/registry/circles").json()
    assert [r["code"] for r in mine] == ["QC330105001001"]
    planned = login(users["district"]).get("/api/circles/registry/circles?status=planned").json()
    assert [r["name"] for r in planned] == ["武林待建圈"]


def test_one_circle_with_its_checklist(world, users, login):
    data = login(users["community"]).get("/api/circles/registry/circles/QC330105001001").json()
    assert data["public_url"] == "http://127.0.0.1:8000/circles/c/QC330105001001/"
    assert data["radius_m"] == 1500.0 and data["centre_source"] == "centroid"
    assert [i["passed"] for i in data["checklist"]] == [True] * 8
    assert [(f["name"], f["role"], round(f["distance_m"])) for f in data["facilities"]] == [
        ("样板文化家园", "essential_venue", 100),
        ("样板城市书房", "space", 300),
        ("样板文化驿站", "space", 400),
    ]
    response = login(users["community"]).get("/api/circles/registry/circles/QC330105002001")
    assert response.status_code == 403


def test_population(world, users, login):
    data = login(users["evaluator"]).get("/api/circles/registry/population").json()
    assert data["total"]["population"] == 26000 and data["total"]["accepted_population"] == 8000
    assert [(r["name"], r["accepted_population"]) for r in data["subdistricts"]] == [
        ("湖墅街道", 8000),
        ("武林街道", 0),
    ]
    assert data["whole_district"] is True


def test_anonymous_gets_401(world, client):
    assert client.get("/api/circles/registry/circles").status_code == 401
