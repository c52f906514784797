"""The audit log page and its export: who may see them, filters, values shown."""

import io

import openpyxl
import pytest

from culture.core.audit import audit_record


@pytest.mark.django_db
def test_district_officer_browses_and_filters_the_audit_log(tree, users, login):
    audit_record(
        actor=users["district"],
        action="org.unit_updated",
        target=tree["c11"],
        before={"population": 8000},
        after={"population": 8100},
    )
    audit_record(actor=users["district"], action="accounts.user_created", target_label="某用户")
    client = login(users["district"])
    body = client.get("/audit/", {"action": "org."}).content.decode()
    assert "org.unit_updated" in body
    assert "8100" in body and "8000" in body
    assert "accounts.user_created" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,status", [("community", 403), ("subdistrict", 403), ("evaluator", 200)]
)
def test_only_district_officers_and_evaluators_see_the_audit_log(users, login, role, status):
    assert login(users[role]).get("/audit/").status_code == status


@pytest.mark.django_db
def test_audit_export_is_masked_and_refused_to_community_workers(users, login):
    audit_record(
        actor=users["district"], action="accounts.note", target_label="身份证 330105199001011237"
    )
    response = login(users["district"]).get("/spreadsheets/export/audit/", {"format": "xlsx"})
    assert response.status_code == 200
    wb = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    cells = [str(c) for row in wb.active.iter_rows(values_only=True) for c in row if c]
    assert any("330105********1237" in c for c in cells)
    assert not any("330105199001011237" in c for c in cells)
    assert (
        login(users["community"]).get("/spreadsheets/export/audit/", {"format": "xlsx"}).status_code
        == 403
    )
