"""Staff and users import through the spreadsheets framework; exports re-import unchanged."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from culture.accounts import services
from culture.accounts.models import RoleAssignment, StaffMember, StaffTraining, User
from culture.accounts.tests.factories import PASSWORD
from culture.accounts.tests.helpers import IDS
from culture.spreadsheets.models import ImportJob
from culture.spreadsheets.tests.helpers import csv_text, upload, xlsx_bytes

STAFF_HEADERS = [
    "工号",
    "姓名",
    "所属单位代码",
    "岗位",
    "专业技术人员",
    "专职文化员",
    "手机号",
    "年度",
    "培训天数",
]
USER_HEADERS = ["用户名", "姓名", "角色", "所属单位代码", "手机号"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def last_job() -> ImportJob:
    return ImportJob.objects.order_by("-created_at").first()


def staff_rows(tree):
    c11, c12, s1 = tree["c11"].code, tree["c12"].code, tree["s1"].code
    return [
        ["S001", "张一", c11, "社区文化专干", "是", "否", "13911110001", 2025, 4],
        ["S001", "张一", c11, "社区文化专干", "是", "否", "", 2026, 5.5],
        ["S002", "李二", c12, "", "否", "是", "", 2026, 6],
        ["S003", "王三", s1, "站长", "是", "是", "139 1111 0003", "", ""],
    ]


def test_staff_good_file_then_reimport_changes_nothing(users, login, tree):
    c = login(users["subdistrict"])
    content = xlsx_bytes(STAFF_HEADERS, staff_rows(tree))
    upload(c, "staff", content, "人员.xlsx")
    job = last_job()
    assert job.status == "done", job.errors
    assert job.counts == {"created": 3, "updated": 0, "unchanged": 1}  # S001's second row merges
    s1 = StaffMember.objects.get(staff_number="S001")
    assert (s1.name, s1.org_unit, s1.is_professional, s1.is_fulltime_culture, s1.phone_masked) == (
        "张一",
        tree["c11"],
        True,
        False,
        "139****0001",
    )
    assert {t.year: t.days for t in s1.training.all()} == {
        2025: Decimal("4.0"),
        2026: Decimal("5.5"),
    }
    assert StaffMember.objects.get(staff_number="S003").phone_masked == "139****0003"
    assert not StaffTraining.objects.filter(staff__staff_number="S003").exists()

    upload(c, "staff", content, "人员.xlsx")
    assert last_job().counts == {"created": 0, "updated": 0, "unchanged": 4}


def test_staff_bad_file_reports_rows_and_saves_nothing(users, login, tree):
    c = login(users["subdistrict"])
    rows = staff_rows(tree)
    rows[1][4] = "也许"  # row 3: bool
    rows[2][2] = tree["c21"].code  # row 4: unit outside 湖墅
    rows[3][6] = "1234"  # row 5: phone
    rows.append(
        ["S009", "赵九", "330105999999", "", "否", "否", "", 2026, 400]
    )  # row 6: unit + days
    upload(c, "staff", xlsx_bytes(STAFF_HEADERS, rows), "bad.xlsx")
    job = last_job()
    assert job.status == "invalid"
    found = {(e["row"], e["column"]) for e in job.errors}
    assert found == {
        (3, "专业技术人员"),
        (4, "所属单位代码"),
        (5, "手机号"),
        (6, "所属单位代码"),
        (6, "培训天数"),
    }
    reasons = {(e["row"], e["column"]): e["reason"] for e in job.errors}
    assert reasons[(4, "所属单位代码")] == f"单位 {tree['c21'].code} 不在您的管辖范围内"
    assert reasons[(5, "手机号")] == "手机号应为以1开头的11位数字"
    assert reasons[(6, "培训天数")] == "培训天数应在0至366之间"
    assert not StaffMember.objects.exists()


def test_staff_rows_of_one_number_must_agree(users, login, tree):
    rows = staff_rows(tree)
    rows[1][1] = "张壹"
    upload(login(users["district"]), "staff", xlsx_bytes(STAFF_HEADERS, rows), "x.xlsx")
    job = last_job()
    assert job.status == "invalid"
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "姓名")]


def test_staff_record_of_a_foreign_unit_cannot_be_overwritten(users, login, tree):
    services.staff_member_upsert(actor=None, staff_number="S001", name="外人", org_unit=tree["c21"])
    upload(
        login(users["subdistrict"]),
        "staff",
        xlsx_bytes(STAFF_HEADERS, staff_rows(tree)[:1]),
        "x.xlsx",
    )
    job = last_job()
    assert job.status == "invalid"
    assert job.errors[0]["column"] == "工号"
    assert StaffMember.objects.get(staff_number="S001").name == "外人"


def test_staff_csv_gbk(users, login, tree):
    text = csv_text(STAFF_HEADERS, staff_rows(tree))
    upload(login(users["district"]), "staff", text.encode("gbk"), "人员.csv")
    assert last_job().status == "done"
    assert StaffMember.objects.count() == 3


def test_staff_export_reimports_unchanged(users, login, tree):
    c = login(users["district"])
    upload(c, "staff", xlsx_bytes(STAFF_HEADERS, staff_rows(tree)), "a.xlsx")
    response = c.get("/spreadsheets/export/staff/?format=xlsx")
    assert response.status_code == 200
    exported = b"".join(response.streaming_content) if response.streaming else response.content
    ws = load_workbook(io.BytesIO(exported)).worksheets[0]
    values = [[cell.value for cell in row] for row in ws.iter_rows()]
    assert values[0][:9] == STAFF_HEADERS
    assert values[1][0] == "S003"  # ordered by unit code: the subdistrict before its community
    assert values[2][:9] == [
        "S001",
        "张一",
        tree["c11"].code,
        "社区文化专干",
        "是",
        "否",
        "139****0001",
        2025,
        4,
    ]
    assert "13911110001" not in str(values)
    upload(c, "staff", exported, "export.xlsx")
    job = last_job()
    assert job.status == "done", job.errors
    assert job.counts == {"created": 0, "updated": 0, "unchanged": 4}


def test_staff_export_is_scoped(users, login, tree):
    services.staff_member_upsert(actor=None, staff_number="IN", name="甲", org_unit=tree["c11"])
    services.staff_member_upsert(actor=None, staff_number="OUT", name="乙", org_unit=tree["c21"])
    text = login(users["community"]).get("/spreadsheets/export/staff/?format=csv")
    body = (b"".join(text.streaming_content) if text.streaming else text.content).decode(
        "utf-8-sig"
    )
    assert "IN" in body and "OUT" not in body


# ----- users ---------------------------------------------------------------------------------
def user_rows(tree):
    return [
        ["zhang", "张主任", "街道文化站干部", tree["s1"].code, "13722220001"],
        ["zhang", "张主任", "社区文化专干", tree["c21"].code, ""],
        ["pinggu", "评估甲", "第三方评估员", "", ""],
    ]


def test_users_import_merges_roles_and_reimports_unchanged(users, login, tree):
    c = login(users["district"])
    content = xlsx_bytes(USER_HEADERS, user_rows(tree))
    upload(c, "users", content, "users.xlsx")
    job = last_job()
    assert job.status == "done", job.errors
    assert job.counts == {"created": 2, "updated": 0, "unchanged": 1}
    zhang = User.objects.get(username="zhang")
    assert sorted(
        RoleAssignment.objects.filter(user=zhang, active=True).values_list("role", "org_unit__code")
    ) == [("community_worker", tree["c21"].code), ("subdistrict_officer", tree["s1"].code)]
    assert zhang.phone_masked == "137****0001" and not zhang.has_usable_password()
    assert RoleAssignment.objects.get(user__username="pinggu").org_unit == tree["district"]
    upload(c, "users", content, "users.xlsx")
    assert last_job().counts == {"created": 0, "updated": 0, "unchanged": 3}

    response = c.get("/spreadsheets/export/users/?format=xlsx&q=zhang")
    exported = b"".join(response.streaming_content) if response.streaming else response.content
    ws = load_workbook(io.BytesIO(exported)).worksheets[0]
    rows = sorted([cell.value or "" for cell in row] for row in list(ws.iter_rows())[1:])
    assert rows == [
        ["zhang", "张主任", "社区文化专干", tree["c21"].code, "137****0001"],
        ["zhang", "张主任", "街道文化站干部", tree["s1"].code, "137****0001"],
    ]
    upload(c, "users", exported, "export.xlsx")
    assert last_job().counts == {"created": 0, "updated": 0, "unchanged": 2}


def test_users_bad_file(users, login, tree):
    rows = user_rows(tree)
    rows[0][2] = "国王"  # row 2: role
    rows[1][3] = tree["s2"].code  # row 3: community worker bound to a subdistrict
    rows.append(["13800000009", "", "第三方评估员", "", ""])  # row 5: phone-shaped username
    upload(login(users["district"]), "users", xlsx_bytes(USER_HEADERS, rows), "bad.xlsx")
    job = last_job()
    assert job.status == "invalid"
    cells = {(e["row"], e["column"]) for e in job.errors}
    assert (2, "角色") in cells and (3, "所属单位代码") in cells and (5, "用户名") in cells
    assert not User.objects.filter(username__in=["zhang", "pinggu"]).exists()


def test_users_import_only_for_district_officers(users, login, tree):
    response = upload(
        login(users["subdistrict"]), "users", xlsx_bytes(USER_HEADERS, user_rows(tree)), "u.xlsx"
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="zhang").exists()


# ----- residents export ----------------------------------------------------------------------
def test_residents_export_is_masked(users, login, tree):
    services.resident_register(
        actor=None,
        name="王建国",
        phone="13800000001",
        password=PASSWORD,
        id_number=IDS[0],
        community=tree["c11"],
        ssc_card_no="A1234567",
    )
    for who, name in (("district", "王建国"), ("evaluator", "王**")):
        response = login(users[who]).get("/spreadsheets/export/residents/?format=xlsx")
        assert response.status_code == 200
        exported = b"".join(response.streaming_content) if response.streaming else response.content
        ws = load_workbook(io.BytesIO(exported)).worksheets[0]
        row = [cell.value for cell in list(ws.iter_rows())[1]]
        assert row[:5] == [name, "330105********1233", "138****0001", "****4567", tree["c11"].code]
        assert IDS[0] not in str([[c.value for c in r] for r in ws.iter_rows()])
    assert (
        login(users["subdistrict"]).get("/spreadsheets/export/residents/?format=csv").status_code
        == 403
    )
