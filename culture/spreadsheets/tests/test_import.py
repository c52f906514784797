"""Importing: all rows or none, a row-by-row report, a marked copy, idempotent re-imports."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from culture.core.errors import ValidationFailed
from culture.core.models import AuditEntry
from culture.org.importers import OrgUnitImporter
from culture.org.models import OrgUnit
from culture.spreadsheets.models import ImportJob
from culture.spreadsheets.tests.helpers import (
    ORG_HEADERS,
    community_rows,
    csv_text,
    stored_import_files,
    upload,
    xlsx_bytes,
)


@pytest.fixture
def officer(users, login):
    return login(users["district"])


def units_under(parent) -> int:
    return OrgUnit.objects.filter(parent=parent).count()


def thousand_rows(tree) -> list[list]:
    """1,000 new communities: 997 under s1 (suffixes 003-999) and 3 under s2."""
    return community_rows(tree["s1"].code, 997, start=3) + community_rows(
        tree["s2"].code, 3, start=3
    )


def test_999_good_rows_and_one_bad_row_save_nothing_and_report_row_column_reason(officer, tree):
    rows = thousand_rows(tree)
    assert len(rows) == 1000
    rows[499][5] = "很多"  # data row 500 -> Excel row 501
    response = upload(officer, "org_units", xlsx_bytes(ORG_HEADERS, rows), "社区.xlsx")
    assert response.status_code == 302
    assert units_under(tree["s1"]) == 2 and units_under(tree["s2"]) == 2  # the fixture's own
    job = ImportJob.objects.get()
    assert job.status == "invalid"
    assert job.rows_total == 1000
    assert job.errors == [
        {
            "row": 501,
            "column": "常住人口",
            "key": "population",
            "value": "很多",
            "reason": "应为整数",
            "col_index": 5,
        }
    ]
    page = officer.get(response["Location"]).content.decode()
    assert "501" in page and "常住人口" in page and "应为整数" in page and "很多" in page
    assert "没有导入任何数据" in page
    assert not AuditEntry.objects.filter(action="spreadsheets.imported").exists()
    assert AuditEntry.objects.filter(action="spreadsheets.import_rejected").count() == 1


def test_marked_file_has_the_bad_cell_filled_and_commented(officer, tree):
    rows = community_rows(tree["s1"].code, 3, start=3)
    rows[1][1] = "小区"  # level not a choice, Excel row 3, column B
    response = upload(officer, "org_units", xlsx_bytes(ORG_HEADERS, rows), "标注.xlsx")
    job = ImportJob.objects.get()
    marked = officer.get(f"/spreadsheets/jobs/{job.pk}/marked.xlsx")
    assert marked.status_code == 200
    assert marked["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(b"".join(marked.streaming_content)))
    ws = wb.active
    assert ws["B3"].value == "小区"
    assert ws["B3"].fill.fgColor.rgb == "00FFC7CE"
    assert "应为以下之一：区、街道、社区" in ws["B3"].comment.text
    assert ws["B2"].comment is None and ws["B2"].fill.fgColor.rgb != "00FFC7CE"
    assert ws["H1"].value == "错误说明"
    assert ws["H3"].value == "层级：应为以下之一：区、街道、社区"
    assert ws["H2"].value in (None, "")
    assert response.status_code == 302


def test_csv_upload_gives_an_xlsx_marked_copy(officer, tree):
    rows = community_rows(tree["s1"].code, 2, start=3)
    rows[0][0] = "12345"
    content = csv_text(ORG_HEADERS, rows).encode("utf-8")
    upload(officer, "org_units", content, "bad.csv")
    job = ImportJob.objects.get()
    marked = officer.get(f"/spreadsheets/jobs/{job.pk}/marked.xlsx")
    ws = load_workbook(io.BytesIO(b"".join(marked.streaming_content))).active
    assert ws["A2"].value == "12345"
    assert "社区的区划代码应为12位数字" in ws["A2"].comment.text


def test_all_good_rows_are_saved_and_reimport_changes_nothing(officer, tree):
    content = xlsx_bytes(ORG_HEADERS, thousand_rows(tree))
    upload(officer, "org_units", content, "1000.xlsx")
    first = ImportJob.objects.get()
    assert first.status == "done"
    assert first.counts == {"created": 1000, "updated": 0, "unchanged": 0}
    assert units_under(tree["s1"]) == 999 and units_under(tree["s2"]) == 5
    unit = OrgUnit.objects.get(code=f"{tree['s1'].code}503")
    assert (unit.name_zh, unit.population, str(unit.area_km2)) == ("测试503社区", 1503, "0.500")
    assert stored_import_files() == []  # the upload is removed once the job has finished

    upload(officer, "org_units", content, "1000.xlsx")
    again = ImportJob.objects.order_by("-created_at").first()
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 1000}
    assert units_under(tree["s1"]) == 999 and units_under(tree["s2"]) == 5
    entries = AuditEntry.objects.filter(action="spreadsheets.imported").order_by("at", "id")
    assert [e.after for e in entries] == [
        {
            "importer": "org_units",
            "file": "1000.xlsx",
            "created": 1000,
            "updated": 0,
            "unchanged": 0,
        },
        {
            "importer": "org_units",
            "file": "1000.xlsx",
            "created": 0,
            "updated": 0,
            "unchanged": 1000,
        },
    ]


def test_changed_rows_count_as_updated(officer, tree):
    rows = community_rows(tree["s1"].code, 3, start=3)
    upload(officer, "org_units", xlsx_bytes(ORG_HEADERS, rows), "a.xlsx")
    rows[2][5] = 9999
    upload(officer, "org_units", xlsx_bytes(ORG_HEADERS, rows), "b.xlsx")
    assert ImportJob.objects.order_by("-created_at").first().counts == {
        "created": 0,
        "updated": 1,
        "unchanged": 2,
    }
    assert OrgUnit.objects.get(code=f"{tree['s1'].code}005").population == 9999


ENCODED_ROWS = [
    ["330105001031", "社区", "330105001", "大关苑第一社区", "", "6000", "0.8"],
    ["330105001032", "社区", "330105001", "祥符桥·锦绣社区", "", "7000", ""],
    [
        "330105001033",
        "社区",
        "330105001",
        "康桥䶮喆社区",
        "",
        "8000",
        "1.25",
    ],  # GB18030-only characters
]


@pytest.mark.parametrize(
    ("encoding", "rows"),
    [
        ("utf-8", ENCODED_ROWS),
        ("utf-8-sig", ENCODED_ROWS),
        ("gb18030", ENCODED_ROWS),
        ("gbk", ENCODED_ROWS[:2]),  # GBK cannot encode the last name
    ],
)
def test_csv_encodings_import_identically(officer, tree, encoding, rows):
    content = csv_text(ORG_HEADERS, rows).encode(encoding)
    upload(officer, "org_units", content, f"{encoding}.csv")
    job = ImportJob.objects.get()
    assert job.status == "done", job.errors
    saved = list(
        OrgUnit.objects.filter(code__startswith="33010500103")
        .order_by("code")
        .values_list("name_zh", "population")
    )
    expected = [("大关苑第一社区", 6000), ("祥符桥·锦绣社区", 7000), ("康桥䶮喆社区", 8000)]
    assert saved == expected[: len(rows)]


def test_tab_separated_csv_with_english_keys_in_any_order(officer, tree):
    text = "name_zh\tparent_code\tlevel\tcode\n大关社区\t330105001\tcommunity\t330105001041\n"
    upload(officer, "org_units", text.encode("utf-8"), "keys.csv")
    assert ImportJob.objects.get().status == "done"
    assert OrgUnit.objects.get(code="330105001041").name_zh == "大关社区"


def test_unknown_and_missing_columns_are_reported(officer, tree):
    text = "区划代码,名称,备注\n330105001051,某社区,x\n"
    upload(officer, "org_units", text.encode("utf-8"), "cols.csv")
    job = ImportJob.objects.get()
    reasons = [(e["row"], e["column"], e["reason"]) for e in job.errors]
    assert (1, "备注", "未知的列“备注”：请使用模板中的列名，或删除这一列") in reasons
    assert (1, "层级", "缺少必填列“层级”") in reasons
    assert not OrgUnit.objects.filter(code="330105001051").exists()


def test_duplicate_keys_inside_a_file_are_reported(officer, tree):
    rows = community_rows(tree["s1"].code, 3, start=3)
    rows.append(list(rows[0]))
    upload(officer, "org_units", xlsx_bytes(ORG_HEADERS, rows), "dup.xlsx")
    job = ImportJob.objects.get()
    assert [(e["row"], e["column"], e["reason"]) for e in job.errors] == [
        (5, "区划代码", "与第 2 行重复")
    ]
    assert units_under(tree["s1"]) == 2


def test_out_of_scope_row_is_refused_for_a_subdistrict_officer(users, login, tree):
    client = login(users["subdistrict"])  # officer of s1
    rows = community_rows(tree["s1"].code, 2, start=3) + community_rows(tree["s2"].code, 1, start=3)
    upload(client, "org_units", xlsx_bytes(ORG_HEADERS, rows), "scope.xlsx")
    job = ImportJob.objects.get()
    assert job.status == "invalid"
    assert len(job.errors) == 1
    error = job.errors[0]
    assert (error["row"], error["column"], error["value"]) == (
        4,
        "区划代码",
        f"{tree['s2'].code}003",
    )
    assert "不在您的管辖范围" in error["reason"]
    assert units_under(tree["s1"]) == 2 and units_under(tree["s2"]) == 2


def test_subdistrict_officer_imports_inside_their_scope(users, login, tree):
    client = login(users["subdistrict"])
    upload(
        client,
        "org_units",
        xlsx_bytes(ORG_HEADERS, community_rows(tree["s1"].code, 2, start=3)),
        "ok.xlsx",
    )
    assert ImportJob.objects.get().counts == {"created": 2, "updated": 0, "unchanged": 0}


def test_evaluator_cannot_import(users, login, tree):
    client = login(users["evaluator"])
    assert client.get("/spreadsheets/import/org_units/").status_code == 403
    response = upload(
        client,
        "org_units",
        xlsx_bytes(ORG_HEADERS, community_rows(tree["s1"].code, 1, start=3)),
        "e.xlsx",
    )
    assert response.status_code == 403
    assert ImportJob.objects.count() == 0 and units_under(tree["s1"]) == 2
    assert stored_import_files() == []
    home = client.get("/spreadsheets/").content.decode()
    assert "您的角色只能查看数据，不能导入。" in home
    assert "/spreadsheets/import/org_units/" not in home


def test_service_failure_mid_import_leaves_nothing_saved(officer, tree, monkeypatch):
    original = OrgUnitImporter.save_row
    calls = {"n": 0}

    def flaky(self, row, *, actor, request):
        calls["n"] += 1
        if calls["n"] == 500:
            raise ValidationFailed("模拟的服务错误")
        return original(self, row, actor=actor, request=request)

    monkeypatch.setattr(OrgUnitImporter, "save_row", flaky)
    audited = AuditEntry.objects.filter(action="org.unit_created").count()
    upload(
        officer,
        "org_units",
        xlsx_bytes(ORG_HEADERS, community_rows(tree["s1"].code, 800, start=3)),
        "f.xlsx",
    )
    job = ImportJob.objects.get()
    assert calls["n"] == 500
    assert job.status == "failed"
    assert "第 501 行保存失败（模拟的服务错误），全部数据均未导入" in job.message
    assert units_under(tree["s1"]) == 2
    assert (
        AuditEntry.objects.filter(action="org.unit_created").count() == audited
    )  # rolled back too


def test_unexpected_crash_mid_import_leaves_nothing_saved(officer, tree, monkeypatch):
    original = OrgUnitImporter.save_row
    calls = {"n": 0}

    def crash(self, row, *, actor, request):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk on fire")
        return original(self, row, actor=actor, request=request)

    monkeypatch.setattr(OrgUnitImporter, "save_row", crash)
    upload(
        officer,
        "org_units",
        xlsx_bytes(ORG_HEADERS, community_rows(tree["s1"].code, 5, start=3)),
        "c.xlsx",
    )
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert "没有保存任何数据" in job.message
    assert units_under(tree["s1"]) == 2


def test_template_as_downloaded_and_filled_imports(officer, tree):
    response = officer.get("/spreadsheets/template/org_units/")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    ws.append(["330105001061", "社区", "330105001", "模板社区", "Template", 4321, 0.75])
    out = io.BytesIO()
    wb.save(out)
    upload(officer, "org_units", out.getvalue(), "模板.xlsx")
    job = ImportJob.objects.get()
    assert job.status == "done", job.errors
    unit = OrgUnit.objects.get(code="330105001061")
    assert (unit.name_en, unit.population, str(unit.area_km2)) == ("Template", 4321, "0.750")


def test_personal_numbers_in_the_report_are_masked(officer, tree):
    rows = community_rows(tree["s1"].code, 1, start=3)
    rows[0][5] = "13812345678x"
    upload(officer, "org_units", xlsx_bytes(ORG_HEADERS, rows), "p.xlsx")
    job = ImportJob.objects.get()
    assert job.errors[0]["value"] == "138****5678x"
    page = officer.get(f"/spreadsheets/jobs/{job.pk}/").content.decode()
    assert "13812345678" not in page


def test_excel_unicode_text_export_utf16_tab_separated_imports(officer, tree):
    text = "区划代码\t层级\t上级区划代码\t名称\n330105001071\t社区\t330105001\t万达社区\n"
    upload(officer, "org_units", text.encode("utf-16"), "unicode.txt")
    assert ImportJob.objects.get().status == "done"
    assert OrgUnit.objects.get(code="330105001071").name_zh == "万达社区"


def test_maintenance_deletes_old_marked_files_and_reruns_stalled_jobs(officer, tree, users):
    rows = community_rows(tree["s1"].code, 2, start=3)
    rows[0][5] = "x"
    upload(officer, "org_units", xlsx_bytes(ORG_HEADERS, rows), "old.xlsx")
    rejected = ImportJob.objects.get()
    marked = rejected.marked_file.name
    assert default_storage.exists(marked)
    stored = default_storage.save(
        "imports/stalled.xlsx",
        ContentFile(xlsx_bytes(ORG_HEADERS, community_rows(tree["s1"].code, 2, start=7))),
    )
    stalled = ImportJob.objects.create(
        user=users["district"],
        importer="org_units",
        original_name="s.xlsx",
        kind="xlsx",
        file=stored,
        status="saving",
    )
    ImportJob.objects.filter(pk=rejected.pk).update(created_at=timezone.now() - timedelta(days=31))
    ImportJob.objects.filter(pk=stalled.pk).update(created_at=timezone.now() - timedelta(hours=2))

    call_command("import_jobs_maintain")

    rejected.refresh_from_db()
    stalled.refresh_from_db()
    assert not default_storage.exists(marked) and rejected.marked_file.name == ""
    assert rejected.errors  # the report stays
    assert stalled.status == "done" and stalled.counts["created"] == 2
    assert not default_storage.exists(stored)
