"""/api/teams/: scoped reads, writes through the services, errors as JSON."""

from __future__ import annotations

import json

import pytest

from culture.teams.models import CulturalTeam
from culture.teams.tests.factories import development, organisation, team

pytestmark = pytest.mark.django_db


def send(client, method, url, body):
    return client.generic(method, url, json.dumps(body), content_type="application/json")


@pytest.fixture
def data(tree):
    team("T-IN", tree["c11"], name="域内团", kind="photography")
    team("T-OUT", tree["c21"], name="越界团")
    organisation("O-1", tree["s1"], phone="13912345678")
    development("D-1", tree["c11"], population=1000)


def test_lists_are_scoped(login, users, data, tree):
    client = login(users["subdistrict"])
    body = client.get("/api/teams/teams").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["code"], item["kind_label"], item["is_core_kind"]) == ("T-IN", "摄影社", True)
    assert client.get("/api/teams/teams/T-OUT").status_code == 403
    assert client.get("/api/teams/teams/NONE").status_code == 404
    assert login(users["district"]).get("/api/teams/teams").json()["count"] == 2
    orgs = client.get("/api/teams/organisations").json()
    assert orgs["items"][0]["phone_masked"] == "139****5678"
    assert "13912345678" not in json.dumps(orgs)


def test_create_and_update_a_team(login, users, tree):
    client = login(users["community"])
    payload = {
        "code": "T-API",
        "name": "接口合唱团",
        "kind": "choir",
        "org_unit": tree["c11"].code,
        "members_count": 15,
        "members": [{"name": "张三", "role": "团长"}],
    }
    response = send(client, "POST", "/api/teams/teams", payload)
    assert response.status_code == 201, response.content
    assert response.json()["members"] == [{"name": "张三", "role": "团长"}]
    again = send(client, "POST", "/api/teams/teams", payload)
    assert again.status_code == 422 and "code" in again.json()["errors"]
    update = {k: v for k, v in payload.items() if k not in ("code", "members")}
    update["members_count"] = 18
    response = send(client, "PUT", "/api/teams/teams/T-API", update)
    assert response.status_code == 200 and response.json()["members_count"] == 18
    assert CulturalTeam.objects.get(code="T-API").members == [{"name": "张三", "role": "团长"}]


def test_writes_outside_scope_and_by_evaluators_are_refused(login, users, tree):
    payload = {"code": "T-X", "name": "越界", "kind": "choir", "org_unit": tree["c21"].code}
    assert send(login(users["subdistrict"]), "POST", "/api/teams/teams", payload).status_code == 403
    payload["org_unit"] = tree["c11"].code
    assert send(login(users["evaluator"]), "POST", "/api/teams/teams", payload).status_code == 403
    assert not CulturalTeam.objects.exists()


def test_field_errors_name_the_field(login, users, tree):
    payload = {"code": "T-B", "name": "坏", "kind": "opera_house", "org_unit": tree["c11"].code}
    response = send(login(users["district"]), "POST", "/api/teams/teams", payload)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["kind"]


def test_developments_api(login, users, data, tree):
    client = login(users["subdistrict"])
    listing = client.get("/api/teams/developments").json()
    assert listing["count"] == 1
    item = listing["items"][0]
    assert item["indoor_m2_per_person"] == 0.25 and item["meets_fitness_standard"] is True
    payload = {
        "code": "D-2",
        "name": "短缺小区",
        "community": tree["c12"].code,
        "population": 2000,
        "indoor_fitness_m2": "100",
        "outdoor_fitness_m2": "500",
        "culture_space_m2": "40",
    }
    response = send(client, "POST", "/api/teams/developments", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["indoor_m2_per_person"], body["outdoor_m2_per_person"]) == (0.05, 0.25)
    assert body["meets_fitness_standard"] is False
    payload["community"] = tree["c21"].code
    payload["code"] = "D-3"
    assert send(client, "POST", "/api/teams/developments", payload).status_code == 403
    assert client.get("/api/teams/developments", {"meets": "0"}).json()["count"] == 1
