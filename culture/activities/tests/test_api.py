from __future__ import annotations

import json

import pytest

from culture.activities.models import Activity
from culture.activities.tests.factories import activity, local, venue
from culture.core.models import AuditEntry

pytestmark = pytest.mark.django_db
URL = "/api/activities/"


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def _patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def test_list_is_scoped_and_filtered(tree, users, login):
    activity(tree["c11"], title="甲", kind="lecture", for_minors=True)
    activity(tree["c21"], title="乙", kind="lecture")
    activity(tree["c12"], title="丙", kind="exhibition")
    body = login(users["community"]).get(URL).json()
    assert body["count"] == 1 and body["items"][0]["title"] == "甲"
    assert body["items"][0]["target_groups"] == ["minors"]
    body = login(users["district"]).get(URL, {"kind": "lecture"}).json()
    assert sorted(i["title"] for i in body["items"]) == ["乙", "甲"]
    body = login(users["subdistrict"]).get(URL, {"group": "minors"}).json()
    assert [i["title"] for i in body["items"]] == ["甲"]
    assert login(users["district"]).get(URL, {"kind": "nonsense"}).status_code == 422


def test_detail_in_and_out(tree, users, login):
    a_in, a_out = activity(tree["c11"]), activity(tree["c21"])
    client = login(users["community"])
    assert client.get(f"{URL}{a_in.pk}").json()["organiser"] == tree["c11"].code
    assert client.get(f"{URL}{a_out.pk}").status_code == 403
    assert client.get(f"{URL}{2**63}").status_code in (404, 422)
    assert client.get(f"{URL}0").status_code == 404


def test_create_patch_cancel(tree, users, login):
    venue(tree["s1"], code="V-ST-1")
    client = login(users["subdistrict"])
    response = _post(
        client,
        URL,
        {
            "title": "运河四季歌·春",
            "kind": "mass_activity",
            "organiser": tree["s1"].code,
            "venue": "V-ST-1",
            "start_at": "2025-03-20T19:00:00+08:00",
            "end_at": "2025-03-20T21:00:00+08:00",
            "attendance": 800,
            "brand": "canal_four_seasons",
            "target_groups": ["elderly", "servicemen"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["venue"], body["brand"], body["target_groups"]) == (
        "V-ST-1",
        "canal_four_seasons",
        ["elderly", "servicemen"],
    )
    pk = body["id"]
    response = _patch(client, f"{URL}{pk}", {"attendance": 950, "venue": ""})
    assert response.status_code == 200
    assert (response.json()["attendance"], response.json()["venue"]) == (950, None)
    response = _patch(client, f"{URL}{pk}", {"end_at": "2025-03-20T18:00:00+08:00"})
    assert response.status_code == 422
    assert "end_at" in response.json()["errors"]
    response = _post(client, f"{URL}{pk}/cancel", {"cancelled": True})
    assert response.json()["cancelled"] is True
    assert AuditEntry.objects.filter(action__startswith="activities.").count() == 3


def test_writes_out_of_scope_and_by_evaluator_are_refused(tree, users, login):
    a = activity(tree["c21"], attendance=10)
    data = {
        "title": "越界",
        "kind": "lecture",
        "organiser": tree["c21"].code,
        "start_at": "2025-03-20T19:00:00+08:00",
        "end_at": "2025-03-20T21:00:00+08:00",
    }
    assert _post(login(users["community"]), URL, data).status_code == 403
    assert _patch(login(users["subdistrict"]), f"{URL}{a.pk}", {"attendance": 1}).status_code == 403
    assert _post(login(users["evaluator"]), URL, data).status_code == 403
    assert _post(login(users["evaluator"]), f"{URL}{a.pk}/cancel", {}).status_code == 403
    a.refresh_from_db()
    assert (a.attendance, a.cancelled, Activity.objects.count()) == (10, False, 1)


def test_bad_codes_are_field_errors(tree, users, login):
    response = _post(
        login(users["district"]),
        URL,
        {
            "title": "x",
            "kind": "lecture",
            "organiser": "999999",
            "venue": "NOPE",
            "start_at": "2025-03-20T19:00:00+08:00",
            "end_at": "2025-03-20T21:00:00+08:00",
            "target_groups": ["aliens"],
        },
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"organiser", "venue", "target_groups"}


def test_counts_endpoint(tree, users, login):
    activity(tree["c11"], kind="lecture", attendance=30)
    activity(tree["c12"], kind="lecture", attendance=20)
    body = (
        login(users["subdistrict"])
        .get(f"{URL}counts", {"year": 2025, "level": "subdistrict"})
        .json()
    )
    assert body == {
        tree["s1"].code: {"lecture": {"count": 2, "person_times": 50, "sessions": 0, "books": 0}}
    }
    assert (
        login(users["district"]).get(f"{URL}counts", {"year": 2025, "level": "x"}).status_code
        == 422
    )


def test_odd_but_well_formed_input_is_a_field_error_not_a_crash(tree, users, login):
    a = activity(tree["c11"])
    client = login(users["district"])
    for payload in (
        {"is_signature": None},
        {"title": None},
        {"kind": None},
        {"start_at": None},
        {"start_at": "0001-01-01T00:00:00+08:00"},
        {"start_at": "2025-05-01T08:00:00"},  # no zone: local time
    ):
        response = _patch(client, f"{URL}{a.pk}", payload)
        assert response.status_code in (200, 422), (payload, response.status_code)
    a.refresh_from_db()
    assert a.start_at == local(2025, 5, 1, 8)
    assert a.is_signature is False
