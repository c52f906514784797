"""Exports: xlsx and CSV (UTF-8 with BOM), formula injection escaped, scoped, audited, re-importable."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from culture.core.models import AuditEntry
from culture.org.services import org_unit_update
from culture.spreadsheets.models import ImportJob
from culture.spreadsheets.tests.helpers import ORG_HEADERS, upload

EVIL = "=cmd|' /C calc'!A0"


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    return [tuple("" if v is None else v for v in row) for row in ws.iter_rows(values_only=True)]


def csv_rows(response) -> tuple[bytes, list[list[str]]]:
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def officer(users, login):
    return login(users["district"])


def test_xlsx_export_has_the_template_columns_and_all_units(officer, tree):
    rows = xlsx_rows(officer.get("/spreadsheets/export/org_units/?format=xlsx"))
    assert list(rows[0]) == ORG_HEADERS
    assert [r[0] for r in rows[1:]] == [
        "330105",
        "330105001",
        "330105001001",
        "330105001002",
        "330105002",
        "330105002001",
        "330105002002",
    ]
    assert rows[2][:4] == ("330105001", "街道", "330105", "湖墅街道")
    assert rows[2][5] == 15000  # its communities: 8,000 + 7,000


def test_csv_export_is_utf8_with_bom(officer, tree):
    body, rows = csv_rows(officer.get("/spreadsheets/export/org_units/?format=csv"))
    assert body.startswith(b"\xef\xbb\xbf")
    assert rows[0] == ORG_HEADERS
    assert rows[3] == ["330105001001", "社区", "330105001", "湖墅街道1社区", "", "8000", ""]


def test_formula_cells_are_escaped_in_both_formats(officer, tree, users):
    org_unit_update(actor=users["district"], unit=tree["c11"], name_zh=EVIL, name_en="@SUM(1+1)")
    org_unit_update(actor=users["district"], unit=tree["c12"], name_zh="+1", name_en="-2")
    rows = xlsx_rows(officer.get("/spreadsheets/export/org_units/?format=xlsx"))
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["330105001001"][3:5] == ("'" + EVIL, "'@SUM(1+1)")
    assert by_code["330105001002"][3:5] == ("'+1", "'-2")
    _body, crows = csv_rows(officer.get("/spreadsheets/export/org_units/?format=csv"))
    by_code = {r[0]: r for r in crows[1:]}
    assert by_code["330105001001"][3:5] == ["'" + EVIL, "'@SUM(1+1)"]
    assert by_code["330105001002"][3:5] == ["'+1", "'-2"]


def test_export_is_limited_to_the_viewers_scope(users, login, tree):
    client = login(users["subdistrict"])
    rows = xlsx_rows(client.get("/spreadsheets/export/org_units/?format=xlsx"))
    assert [r[0] for r in rows[1:]] == ["330105001", "330105001001", "330105001002"]
    client = login(users["community"])
    _body, crows = csv_rows(client.get("/spreadsheets/export/org_units/?format=csv"))
    assert [r[0] for r in crows[1:]] == ["330105001001"]


def test_export_filters(officer, tree):
    rows = xlsx_rows(
        officer.get("/spreadsheets/export/org_units/?format=xlsx&level=community&parent=330105002")
    )
    assert [r[0] for r in rows[1:]] == ["330105002001", "330105002002"]


def test_exports_are_audited(officer, tree, users):
    officer.get("/spreadsheets/export/org_units/?format=csv&level=subdistrict")
    entry = AuditEntry.objects.get(action="spreadsheets.exported")
    assert entry.actor == users["district"]
    assert entry.after == {
        "exporter": "org_units",
        "format": "csv",
        "filters": {"level": "subdistrict"},
    }


def test_unknown_format_and_exporter(officer, tree):
    assert officer.get("/spreadsheets/export/org_units/?format=pdf").status_code == 422
    assert officer.get("/spreadsheets/export/nothing/?format=csv").status_code == 404


def test_resident_cannot_export(client, tree):
    from culture.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/spreadsheets/export/org_units/?format=csv").status_code == 403


def test_an_export_reimports_with_no_changes(officer, tree, users):
    org_unit_update(actor=users["district"], unit=tree["c11"], name_zh=EVIL, area_km2="1.250")
    for fmt in ("xlsx", "csv"):
        response = officer.get(f"/spreadsheets/export/org_units/?format={fmt}")
        content = response.content if fmt == "xlsx" else b"".join(response.streaming_content)
        upload(officer, "org_units", content, f"export.{fmt}")
        job = ImportJob.objects.order_by("-created_at").first()
        assert job.status == "done", job.errors
        assert job.counts == {"created": 0, "updated": 0, "unchanged": 7}
    tree["c11"].refresh_from_db()
    assert tree["c11"].name_zh == EVIL
