"""Pages per role, in and out of scope; forms through the services; the logged reveal."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from culture.accounts import services
from culture.accounts.models import RoleAssignment, StaffMember, User
from culture.accounts.tests.factories import PASSWORD, grant_reveal, staff_user
from culture.accounts.tests.helpers import IDS, make_residents, make_staff
from culture.core.models import AuditEntry
from culture.core.roles import Role


@pytest.fixture
def resident(users, tree):
    return services.resident_register(
        actor=None,
        name="王建国",
        phone="13800000001",
        password=PASSWORD,
        id_number=IDS[0],
        community=tree["c11"],
        ssc_card_no="A1234567",
    )


@pytest.fixture
def staff_c11(tree):
    return make_staff(1, tree["c11"])[0]


@pytest.fixture
def staff_c21(tree):
    return make_staff(1, tree["c21"])[0]


# ----- access per role -----------------------------------------------------------------------
LISTS = {
    # url: roles that get 200; everyone else (signed in) gets 403
    "/accounts/users/": {"district", "evaluator"},
    "/accounts/users/new/": {"district"},
    "/accounts/residents/": {"district", "evaluator"},
    "/accounts/residents/new/": {"district"},
    "/accounts/staff/": {"district", "evaluator", "subdistrict", "community"},
    "/accounts/staff/new/": {"district", "subdistrict", "community"},
}


@pytest.mark.parametrize("url", sorted(LISTS))
@pytest.mark.parametrize("who", ["district", "evaluator", "subdistrict", "community", "resident"])
def test_list_pages_per_role(users, login, resident, url, who):
    user = resident.user if who == "resident" else users[who]
    response = login(user).get(url)
    assert response.status_code == (200 if who in LISTS[url] else 403)


def test_anonymous_is_sent_to_login(client):
    response = client.get("/accounts/staff/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("who", "in_scope", "out_scope"),
    [
        ("district", 200, 200),
        ("evaluator", 200, 200),
        ("subdistrict", 200, 403),
        ("community", 200, 403),
    ],
)
def test_staff_detail_in_and_out_of_scope(
    users, login, staff_c11, staff_c21, who, in_scope, out_scope
):
    c = login(users[who])
    assert c.get(f"/accounts/staff/{staff_c11.pk}/").status_code == in_scope
    assert c.get(f"/accounts/staff/{staff_c21.pk}/").status_code == out_scope


@pytest.mark.parametrize(
    ("who", "in_scope", "out_scope"),
    [
        ("district", 200, 200),
        ("evaluator", 403, 403),
        ("subdistrict", 200, 403),
        ("community", 200, 403),
    ],
)
def test_staff_edit_in_and_out_of_scope(
    users, login, staff_c11, staff_c21, who, in_scope, out_scope
):
    c = login(users[who])
    assert c.get(f"/accounts/staff/{staff_c11.pk}/edit/").status_code == in_scope
    assert c.get(f"/accounts/staff/{staff_c21.pk}/edit/").status_code == out_scope
    response = c.post(
        f"/accounts/staff/{staff_c21.pk}/edit/",
        {"name": "改名", "org_unit": staff_c21.org_unit.code},
    )
    assert response.status_code == (302 if out_scope == 200 else 403)


def test_staff_list_shows_only_the_scope(users, login, staff_c11, staff_c21):
    page = login(users["community"]).get("/accounts/staff/").content.decode()
    assert staff_c11.staff_number in page and staff_c21.staff_number not in page
    page = login(users["district"]).get("/accounts/staff/").content.decode()
    assert staff_c11.staff_number in page and staff_c21.staff_number in page


def test_staff_list_filters(users, login, tree):
    services.staff_member_upsert(
        actor=None, staff_number="P1", name="甲专业", org_unit=tree["c11"], is_professional=True
    )
    services.staff_member_upsert(
        actor=None,
        staff_number="P2",
        name="乙非专业",
        org_unit=tree["c12"],
        is_fulltime_culture=True,
    )
    c = login(users["district"])
    page = c.get("/accounts/staff/?professional=1").content.decode()
    assert "甲专业" in page and "乙非专业" not in page
    page = c.get("/accounts/staff/?fulltime=1").content.decode()
    assert "乙非专业" in page and "甲专业" not in page
    page = c.get(f"/accounts/staff/?unit={tree['c12'].code}").content.decode()
    assert "乙非专业" in page and "甲专业" not in page
    page = c.get("/accounts/staff/?q=P1").content.decode()
    assert "甲专业" in page and "乙非专业" not in page


def test_community_worker_creates_staff_with_training(users, login, tree):
    c = login(users["community"])
    response = c.post(
        "/accounts/staff/new/",
        {
            "staff_number": "NEW1",
            "name": "新员工",
            "org_unit": tree["c11"].code,
            "position": "专干",
            "is_professional": "on",
            "phone": "13912340000",
            "training_current": "5.5",
            "training_previous": "3",
            "training_year": "2020",
            "training_days": "1",
        },
    )
    assert response.status_code == 302
    staff = StaffMember.objects.get(staff_number="NEW1")
    assert staff.is_professional and not staff.is_fulltime_culture
    assert len({t.year for t in staff.training.all()}) == 3
    assert staff.phone_masked == "139****0000"
    page = c.get(response["Location"]).content.decode()
    assert "139****0000" in page and "13912340000" not in page


def test_staff_form_shows_service_errors_and_refuses_foreign_unit(users, login, tree):
    c = login(users["community"])
    response = c.post(
        "/accounts/staff/new/",
        {"staff_number": "E1", "name": "某", "org_unit": tree["c11"].code, "phone": "123"},
    )
    assert response.status_code == 200
    assert "手机号应为以1开头的11位数字" in response.content.decode()
    # A unit outside the scope is not even a valid choice.
    response = c.post(
        "/accounts/staff/new/", {"staff_number": "E1", "name": "某", "org_unit": tree["c21"].code}
    )
    assert (
        response.status_code == 200 and not StaffMember.objects.filter(staff_number="E1").exists()
    )


def test_staff_edit_keeps_phone_when_blank(users, login, tree):
    staff, _ = services.staff_member_upsert(
        actor=None, staff_number="K1", name="某", org_unit=tree["c11"], phone="13911110000"
    )
    c = login(users["subdistrict"])
    response = c.post(
        f"/accounts/staff/{staff.pk}/edit/", {"name": "某某", "org_unit": tree["c12"].code}
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (
        staff.name == "某某"
        and staff.org_unit == tree["c12"]
        and staff.phone_masked == "139****0000"
    )


def test_district_officer_creates_user_with_two_roles(users, login, tree):
    c = login(users["district"])
    response = c.post(
        "/accounts/users/new/",
        {
            "username": "newbie",
            "display_name": "新人",
            "phone": "",
            "password": "Very-long-pass-42",
            "is_active": "on",
            "roles-TOTAL_FORMS": "2",
            "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "20",
            "roles-0-role": Role.SUBDISTRICT_OFFICER,
            "roles-0-org_unit": tree["s1"].code,
            "roles-1-role": Role.COMMUNITY_WORKER,
            "roles-1-org_unit": tree["c21"].code,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert sorted(
        RoleAssignment.objects.filter(user=user, active=True).values_list("role", flat=True)
    ) == ["community_worker", "subdistrict_officer"]
    page = c.get(response["Location"]).content.decode()
    assert 'value="subdistrict_officer" selected' in page
    # deactivate
    response = c.post(f"/accounts/users/{user.pk}/active/")
    user.refresh_from_db()
    assert response.status_code == 302 and not user.is_active


def test_user_form_role_level_error_is_shown(users, login, tree):
    response = login(users["district"]).post(
        "/accounts/users/new/",
        {
            "username": "bad",
            "is_active": "on",
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "20",
            "roles-0-role": Role.SUBDISTRICT_OFFICER,
            "roles-0-org_unit": tree["c11"].code,
        },
    )
    assert response.status_code == 200
    assert "只能绑定到街道级单位" in response.content.decode()
    assert not User.objects.filter(username="bad").exists()


def test_user_list_filters(users, login, tree):
    c = login(users["district"])
    page = c.get("/accounts/users/?role=community_worker").content.decode()
    assert users["community"].username in page and users["subdistrict"].username not in page
    page = c.get(f"/accounts/users/?unit={tree['s1'].code}").content.decode()
    assert users["community"].username in page and users["subdistrict"].username in page
    assert users["evaluator"].username not in page


def test_evaluator_cannot_post_user_changes(users, login):
    c = login(users["evaluator"])
    assert c.post(f"/accounts/users/{users['community'].pk}/active/").status_code == 403
    users["community"].refresh_from_db()
    assert users["community"].is_active


# ----- residents and reveal ------------------------------------------------------------------
def test_resident_pages_are_masked(users, login, resident):
    for who in ("district", "evaluator"):
        c = login(users[who])
        for url in ("/accounts/residents/", f"/accounts/residents/{resident.pk}/"):
            page = c.get(url).content.decode()
            assert "330105********1233" in page and "138****0001" in page
            assert IDS[0] not in page and "13800000001" not in page and "A1234567" not in page


def test_evaluator_sees_resident_names_masked(users, login, resident):
    page = login(users["evaluator"]).get("/accounts/residents/").content.decode()
    assert "王**" in page and "王建国" not in page
    page = login(users["evaluator"]).get(f"/accounts/residents/{resident.pk}/").content.decode()
    assert "王建国" not in page
    assert 'data-testid="reveal-' not in page
    page = login(users["district"]).get("/accounts/residents/").content.decode()
    assert "王建国" in page


def test_reveal_shows_the_number_once_after_post_and_is_audited(users, login, resident):
    officer = grant_reveal(users["district"])
    c = login(officer)
    detail = c.get(f"/accounts/residents/{resident.pk}/").content.decode()
    assert 'data-testid="reveal-id_number"' in detail
    assert c.get(f"/accounts/residents/{resident.pk}/reveal/").status_code == 405  # no GET reveal
    response = c.post(f"/accounts/residents/{resident.pk}/reveal/", {"field": "id_number"})
    assert response.status_code == 200
    assert IDS[0] in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="accounts.personal_number_revealed")
    assert entry.actor_id == officer.pk and entry.after == {
        "field": "id_number",
        "masked": "330105********1233",
    }
    # the next view of the page no longer shows it
    assert IDS[0] not in c.get(f"/accounts/residents/{resident.pk}/").content.decode()


@pytest.mark.parametrize("who", ["district", "evaluator"])
def test_reveal_refused_without_permission(users, login, resident, who):
    response = login(users[who]).post(
        f"/accounts/residents/{resident.pk}/reveal/", {"field": "phone"}
    )
    assert response.status_code == 403
    assert "13800000001" not in response.content.decode()
    assert AuditEntry.objects.filter(action="accounts.personal_number_reveal_refused").count() == 1
    assert not AuditEntry.objects.filter(action="accounts.personal_number_revealed").exists()


def test_reveal_refused_for_subdistrict_officer_even_with_permission(users, login, resident):
    sub = grant_reveal(users["subdistrict"])
    assert (
        login(sub)
        .post(f"/accounts/residents/{resident.pk}/reveal/", {"field": "phone"})
        .status_code
        == 403
    )


def test_officer_registers_resident(users, login, tree):
    c = login(users["district"])
    response = c.post(
        "/accounts/residents/new/",
        {
            "name": "李奶奶",
            "phone": "13712345678",
            "id_number": IDS[1],
            "community": tree["c12"].code,
            "password": "Very-long-pass-42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(resident__name="李奶奶")
    assert user.is_active and user.resident.community == tree["c12"]
    response = c.post(
        "/accounts/residents/new/",
        {
            "name": "重复",
            "phone": "13700000000",
            "id_number": IDS[1],
            "password": "Very-long-pass-42",
        },
    )
    assert "该身份证号已登记过居民账号" in response.content.decode()


# ----- me ------------------------------------------------------------------------------------
def test_resident_me_page_masked_and_elderly_switch(login, resident):
    c = login(resident.user)
    page = c.get("/accounts/me/").content.decode()
    assert "138****0001" in page and "330105********1233" in page and IDS[0] not in page
    response = c.post("/accounts/me/", {"elderly_mode": "1"})
    assert response.status_code == 302 and response.cookies["elderly"].value == "1"
    resident.user.refresh_from_db()
    assert resident.user.elderly_mode
    assert 'class="elderly"' in c.get("/accounts/me/").content.decode()


def test_staff_me_page_shows_roles_and_scope(users, login, tree):
    page = login(users["subdistrict"]).get("/accounts/me/").content.decode()
    assert "街道文化站干部" in page and tree["s1"].name_zh in page


# ----- list pages: constant query count ------------------------------------------------------
def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_staff_list_query_count_is_constant(users, login, tree):
    c = login(users["district"])
    make_staff(5, tree["c11"])
    small = _count(c, "/accounts/staff/")
    make_staff(5, tree["c12"], start=5)
    assert _count(c, "/accounts/staff/") == small


def test_user_list_query_count_is_constant(users, login, tree):
    c = login(users["district"])
    for _i in range(5):
        staff_user(Role.COMMUNITY_WORKER, tree["c11"])
    small = _count(c, "/accounts/users/")
    for _i in range(5):
        staff_user(Role.SUBDISTRICT_OFFICER, tree["s2"])
    assert _count(c, "/accounts/users/") == small


def test_resident_list_query_count_is_constant(users, login, tree):
    c = login(users["evaluator"])
    make_residents(5, community=tree["c11"])
    small = _count(c, "/accounts/residents/")
    make_residents(5, community=tree["c21"], start=5)
    assert _count(c, "/accounts/residents/") == small


def test_list_pages_link_to_exports(users, login):
    c = login(users["district"])
    for url, name in (
        ("/accounts/users/", "users"),
        ("/accounts/staff/", "staff"),
        ("/accounts/residents/", "residents"),
    ):
        page = c.get(url + "?q=x").content.decode()
        assert f"/spreadsheets/export/{name}/?format=xlsx&q=x" in page
        assert f"/spreadsheets/export/{name}/?format=csv&q=x" in page


def test_english_interface(users, login, client, tree):
    c = login(users["district"])
    c.cookies["django_language"] = "en"
    page = c.get("/accounts/staff/").content.decode()
    assert "Add a staff member" in page and "Professional" in page and "新增工作人员" not in page
    page = c.get("/accounts/users/new/").content.decode()
    assert "New user" in page and "Org unit" in page


def test_district_officer_deactivates_a_resident(users, login, resident):
    assert (
        login(users["evaluator"]).post(f"/accounts/residents/{resident.pk}/active/").status_code
        == 403
    )
    c = login(users["district"])
    assert (
        f'action="/accounts/residents/{resident.pk}/active/"'
        in c.get(f"/accounts/residents/{resident.pk}/").content.decode()
    )
    assert c.post(f"/accounts/residents/{resident.pk}/active/").status_code == 302
    resident.user.refresh_from_db()
    assert not resident.user.is_active
    c.post(f"/accounts/residents/{resident.pk}/active/", {"active": "1"})
    resident.user.refresh_from_db()
    assert resident.user.is_active


def test_user_changes_own_password(login, resident):
    c = login(resident.user)
    response = c.post(
        "/accounts/me/", {"form": "password", "old_password": "wrong", "new_password": "x"}
    )
    assert "当前密码不正确" in response.content.decode()
    response = c.post(
        "/accounts/me/",
        {"form": "password", "old_password": PASSWORD, "new_password": "12345678901"},
    )
    assert response.status_code == 200 and 'class="errorlist"' in response.content.decode()
    resident.user.refresh_from_db()
    assert resident.user.check_password(PASSWORD)
    response = c.post(
        "/accounts/me/",
        {"form": "password", "old_password": PASSWORD, "new_password": "Grand-canal-walk-7"},
    )
    assert response.status_code == 302
    resident.user.refresh_from_db()
    assert resident.user.check_password("Grand-canal-walk-7")
    assert c.get("/accounts/me/").status_code == 200  # still signed in
    assert (
        AuditEntry.objects.filter(action="accounts.password_set", actor=resident.user).count() == 1
    )
