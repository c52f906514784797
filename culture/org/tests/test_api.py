"""/api/org/units: list, detail and update, scoped like the pages."""

from __future__ import annotations

import json

import pytest

from culture.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [u["code"] for u in response.json()]


def patch(client, code: str, body: dict):
    return client.patch(f"/api/org/units/{code}", json.dumps(body), content_type="application/json")


def test_list_is_scoped_and_filterable(tree, users, login):
    district = login(users["district"])
    assert len(codes(district.get("/api/org/units"))) == 7
    assert codes(district.get("/api/org/units?level=subdistrict")) == ["330105001", "330105002"]
    assert codes(district.get("/api/org/units?parent=330105002")) == [
        "330105002001",
        "330105002002",
    ]

    officer = login(users["subdistrict"])
    assert codes(officer.get("/api/org/units")) == ["330105001", "330105001001", "330105001002"]
    assert codes(officer.get("/api/org/units?parent=330105002")) == []

    worker = login(users["community"])
    assert codes(worker.get("/api/org/units")) == ["330105001001"]


def test_list_rows_carry_the_numbers(tree, users, login):
    rows = login(users["evaluator"]).get("/api/org/units?level=subdistrict").json()
    hushu = rows[0]
    assert (
        hushu["name_zh"] == "湖墅街道" and hushu["population"] == 15000
    )  # 8,000 + 7,000, rolled up
    assert hushu["parent_code"] == "330105" and hushu["children"] == 2
    assert hushu["url"] == "/org/330105001/"


def test_list_rejects_an_unknown_level(tree, users, login):
    response = login(users["district"]).get("/api/org/units?level=province")
    assert response.status_code == 422
    assert response.json()["field"] == "level"


def test_detail_in_and_out_of_scope(tree, users, login):
    worker = login(users["community"])
    ok = worker.get("/api/org/units/330105001001")
    assert ok.status_code == 200
    assert ok.json()["population"] == 8000 and ok.json()["children"] == 0
    assert "boundary" in ok.json()
    refused = worker.get("/api/org/units/330105001002")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert worker.get("/api/org/units/330105001999").status_code == 404


def test_detail_of_the_district_counts_visible_children(tree, users, login):
    body = login(users["district"]).get("/api/org/units/330105").json()
    assert body["children"] == 2 and body["parent_code"] is None


def test_patch_updates_through_the_audited_service(tree, users, login):
    response = patch(
        login(users["subdistrict"]), "330105001002", {"population": 7100, "name_en": "Hemu"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["population"] == 7100 and response.json()["name_en"] == "Hemu"
    tree["c12"].refresh_from_db()
    assert tree["c12"].population == 7100
    entry = AuditEntry.objects.get(action="org.unit_updated")
    assert entry.actor == users["subdistrict"]
    assert entry.before == {"population": 7000, "name_en": ""}
    assert entry.after == {
        "population": 7100,
        "name_en": "Hemu",
        "rolled_up_population": {"330105001": 15100, "330105": 26100},
    }


def test_patch_is_refused_for_evaluators_and_outside_the_scope(tree, users, login):
    assert patch(login(users["evaluator"]), "330105001001", {"population": 1}).status_code == 403
    assert patch(login(users["community"]), "330105001002", {"population": 1}).status_code == 403
    assert patch(login(users["subdistrict"]), "330105002001", {"population": 1}).status_code == 403
    assert patch(login(users["district"]), "330105009009", {"population": 1}).status_code == 404
    tree["c11"].refresh_from_db()
    assert tree["c11"].population == 8000
    assert not AuditEntry.objects.filter(action="org.unit_updated").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"population": -3}, "population"),
        ({"name_zh": ""}, "name_zh"),
        ({"area_km2": "-0.5"}, "area_km2"),
        ({"population": None}, "population"),
        ({"area_km2": "1.23456"}, "area_km2"),
    ],
)
def test_patch_answers_422_with_field_errors(tree, users, login, body, field):
    response = patch(login(users["district"]), "330105001001", body)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    tree["c11"].refresh_from_db()
    assert tree["c11"].population == 8000


def test_patch_rejects_wrong_types_and_unknown_fields(tree, users, login):
    client = login(users["district"])
    assert patch(client, "330105001001", {"population": "many"}).status_code == 422
    assert patch(client, "330105001001", {"code": "330105001009"}).status_code == 422
    assert patch(client, "330105001001", {"level": "district"}).status_code == 422


def test_anonymous_is_refused(tree, client):
    assert client.get("/api/org/units").status_code == 401
    assert patch(client, "330105001001", {"population": 1}).status_code == 401


def test_operations_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert set(paths["/api/org/units/{code}"]) == {"get", "patch"}
    assert "get" in paths["/api/org/units"]
