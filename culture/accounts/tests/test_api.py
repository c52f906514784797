"""The accounts API: users (district officers), staff (scoped CRUD), residents (masked reads)."""

from __future__ import annotations

import pytest

from culture.accounts import services
from culture.accounts.models import StaffMember, User
from culture.accounts.tests.factories import PASSWORD
from culture.accounts.tests.helpers import IDS, make_staff
from culture.accounts.tokens import api_token_issue
from culture.core.models import AuditEntry


@pytest.fixture
def api(client):
    """A client signed in with a bearer token for ``user``."""

    def _for(user):
        token = api_token_issue(actor=None, user=user, name="test")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return client

    return _for


@pytest.fixture
def resident(tree):
    return services.resident_register(
        actor=None,
        name="王建国",
        phone="13800000001",
        password=PASSWORD,
        id_number=IDS[0],
        community=tree["c11"],
    )


def test_me(api, users):
    body = api(users["subdistrict"]).get("/api/accounts/me").json()
    assert body["roles"] == ["subdistrict_officer"] and body["read_only"] is False


# ----- users ---------------------------------------------------------------------------------
def test_users_list_for_district_officer_and_evaluator_only(api, users):
    body = api(users["district"]).get("/api/accounts/users?role=community_worker").json()
    assert body["count"] == 1 and body["items"][0]["username"] == users["community"].username
    assert body["items"][0]["roles"][0]["role"] == "community_worker"
    assert api(users["evaluator"]).get("/api/accounts/users").status_code == 200
    response = api(users["subdistrict"]).get("/api/accounts/users")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_create_and_update_user(api, users, tree):
    c = api(users["district"])
    response = c.post(
        "/api/accounts/users",
        {
            "username": "api-user",
            "display_name": "接口",
            "phone": "13712340000",
            "roles": [
                {"role": "subdistrict_officer", "org_unit": tree["s2"].code},
                {"role": "evaluator", "org_unit": None},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phone_masked"] == "137****0000" and "13712340000" not in response.content.decode()
    assert sorted(r["role"] for r in body["roles"]) == ["evaluator", "subdistrict_officer"]
    response = c.put(
        f"/api/accounts/users/{body['id']}",
        {
            "display_name": "接口2",
            "roles": [{"role": "community_worker", "org_unit": tree["c22"].code}],
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["roles"] == [
        {
            "role": "community_worker",
            "org_unit": tree["c22"].code,
            "org_unit_name": tree["c22"].name_zh,
        }
    ]
    assert response.json()["phone_masked"] == "137****0000"  # phone omitted: kept


def test_user_validation_errors_are_422_with_fields(api, users, tree):
    c = api(users["district"])
    response = c.post(
        "/api/accounts/users",
        {
            "username": "13800000009",
            "password": "123",
            "phone": "abc",
            "roles": [{"role": "subdistrict_officer", "org_unit": tree["c11"].code}],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"username", "password", "phone", "roles"}
    response = c.post(
        "/api/accounts/users",
        {"username": users["community"].username},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["errors"]["username"] == ["用户名已存在"]
    response = c.post(
        "/api/accounts/users",
        {"username": "x", "roles": [{"role": "evaluator", "org_unit": "999"}]},
        content_type="application/json",
    )
    assert response.status_code == 422 and "999" in response.json()["errors"]["roles"][0]
    assert (
        c.post("/api/accounts/users", {"nothing": 1}, content_type="application/json").status_code
        == 422
    )


def test_non_district_officers_cannot_create_users(api, users):
    for who in ("evaluator", "subdistrict", "community"):
        response = api(users[who]).post(
            "/api/accounts/users", {"username": "nope"}, content_type="application/json"
        )
        assert response.status_code == 403
    assert not User.objects.filter(username="nope").exists()


def test_user_404(api, users):
    assert api(users["district"]).get("/api/accounts/users/999999").status_code == 404


# ----- staff ---------------------------------------------------------------------------------
def test_staff_scoped_list_and_get(api, users, tree):
    (mine,) = make_staff(1, tree["c11"])
    (other,) = make_staff(1, tree["c21"])
    c = api(users["community"])
    body = c.get("/api/accounts/staff").json()
    assert [s["staff_number"] for s in body["items"]] == [mine.staff_number]
    assert body["items"][0]["training"] == [
        {"year": 2025, "days": "3.0"},
        {"year": 2026, "days": "5.0"},
    ]
    assert c.get(f"/api/accounts/staff/{mine.pk}").status_code == 200
    assert c.get(f"/api/accounts/staff/{other.pk}").status_code == 403
    assert c.get("/api/accounts/staff/123456").status_code == 404
    assert c.get("/api/accounts/staff?limit=0").status_code == 422


def test_staff_create_update_deactivate(api, users, tree):
    c = api(users["subdistrict"])
    response = c.post(
        "/api/accounts/staff",
        {
            "staff_number": "A1",
            "name": "甲",
            "org_unit": tree["c12"].code,
            "is_fulltime_culture": True,
            "phone": "13600001111",
            "training": [{"year": 2026, "days": "7.5"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    staff_id = response.json()["id"]
    assert response.json()["phone_masked"] == "136****1111"
    response = c.put(
        f"/api/accounts/staff/{staff_id}",
        {
            "name": "甲乙",
            "org_unit": tree["s1"].code,
            "training": [{"year": 2026, "days": None}, {"year": 2025, "days": 2}],
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["training"] == [{"year": 2025, "days": "2.0"}]
    assert response.json()["phone_masked"] == "136****1111"
    response = c.delete(f"/api/accounts/staff/{staff_id}")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert AuditEntry.objects.filter(action="accounts.staff_deactivated").count() == 1


def test_staff_create_out_of_scope_and_bad_input(api, users, tree):
    c = api(users["subdistrict"])
    response = c.post(
        "/api/accounts/staff",
        {"staff_number": "B1", "name": "乙", "org_unit": tree["c21"].code},
        content_type="application/json",
    )
    assert response.status_code == 403
    response = c.post(
        "/api/accounts/staff",
        {"staff_number": "B1", "name": "乙", "org_unit": "nope"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "org_unit" in response.json()["errors"]
    response = c.post(
        "/api/accounts/staff",
        {
            "staff_number": "B1",
            "name": "乙",
            "org_unit": tree["c11"].code,
            "training": [{"year": 1999, "days": 1}],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert (
        api(users["evaluator"])
        .post(
            "/api/accounts/staff",
            {"staff_number": "B2", "name": "乙", "org_unit": tree["c11"].code},
            content_type="application/json",
        )
        .status_code
        == 403
    )
    assert not StaffMember.objects.exists()


# ----- residents -----------------------------------------------------------------------------
def test_residents_masked_for_district_and_evaluator(api, users, resident):
    body = api(users["district"]).get("/api/accounts/residents").json()
    assert body["items"] == [
        {
            "id": resident.pk,
            "name": "王建国",
            "id_number_masked": "330105********1233",
            "phone_masked": "138****0001",
            "ssc_card_no_masked": "",
            "community": resident.community.code,
            "community_name": resident.community.name_zh,
            "is_active": True,
        }
    ]
    response = api(users["evaluator"]).get(f"/api/accounts/residents/{resident.pk}")
    assert response.json()["name"] == "王**"
    assert IDS[0] not in response.content.decode()


@pytest.mark.parametrize("who", ["subdistrict", "community"])
def test_residents_refused_for_local_staff(api, users, resident, who):
    assert api(users[who]).get("/api/accounts/residents").status_code == 403
    assert api(users[who]).get(f"/api/accounts/residents/{resident.pk}").status_code == 403


def test_resident_cannot_use_staff_api(api, resident):
    c = api(resident.user)
    assert c.get("/api/accounts/staff").status_code == 403
    assert c.get("/api/accounts/users").status_code == 403


def test_nul_characters_are_field_errors_not_crashes(api, users, tree):
    c = api(users["district"])
    response = c.post(
        "/api/accounts/users",
        {"username": "a\x00b", "display_name": "x\x00"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"username", "display_name"}
    response = c.post(
        "/api/accounts/staff",
        {"staff_number": "N\x00", "name": "甲", "org_unit": tree["c11"].code + "\x00"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert c.get("/api/accounts/staff?q=%00&unit=%00").status_code == 200


def test_huge_ids_and_offsets_are_answered_not_crashed(api, users):
    c = api(users["district"])
    assert c.get(f"/api/accounts/users/{10**30}").status_code == 404
    assert c.get(f"/api/accounts/staff/{10**30}").status_code == 404
    assert c.get(f"/api/accounts/residents/{2**63}").status_code == 404
    assert c.get(f"/api/accounts/staff?offset={10**30}").status_code == 422
