"""Import and export of reported figures through the spreadsheets framework: a good file, a bad
row named by row and column with nothing saved, rules across rows, the template's drop-downs,
an export that re-imports unchanged."""

# ruff: noqa: F811 (the shared fixtures are imported, then named as test arguments)

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from culture.spreadsheets.models import ImportJob
from culture.spreadsheets.tests.helpers import upload, xlsx_bytes
from culture.standards.models import ReportedFigure
from culture.standards.services.reporting import reported_figure_review, reported_figure_submit
from culture.standards.tests.reporting_fixtures import officers, test_catalogue  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_catalogue")]

HEADERS = ["指标编号", "填报项", "单位代码", "年度", "数值", "说明"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(client, rows, headers=HEADERS) -> ImportJob:
    upload(client, "reported_figures", xlsx_bytes(headers, rows), "填报.xlsx")
    return ImportJob.objects.order_by("-created_at").first()


def test_a_good_file_submits_every_row_and_again_changes_nothing(tree, officers, login):
    client = login(officers["subdistrict"])
    rows = [
        ["S52 满意率", "满意率", tree["s1"].code, 2025, 0.88, "街道测评"],
        ["S52", "value", tree["c11"].code, 2025, "90%", ""],
        ["S44", "已建立（1/0）", tree["c12"].code, 2025, 1, "示范户名单"],
    ]
    job = run(client, rows)
    assert job.errors == [] and job.counts == {"created": 3, "updated": 0, "unchanged": 0}
    got = {
        (f.indicator_id, f.org_unit.code): (f.value, f.status, f.note)
        for f in ReportedFigure.objects.select_related("org_unit")
    }
    assert got == {
        ("S52", tree["s1"].code): (Decimal("0.8800"), "submitted", "街道测评"),
        ("S52", tree["c11"].code): (Decimal("0.9000"), "submitted", ""),
        ("S44", tree["c12"].code): (Decimal("1.0000"), "submitted", "示范户名单"),
    }
    again = run(client, rows)
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 3}


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_saved(tree, officers, login):
    rows = [
        ["S52", "满意率", tree["c11"].code, 2025, 0.9, ""],  # row 2: fine
        ["S52", "满意率", tree["c21"].code, 2025, 0.9, ""],  # row 3: out of scope
        ["S52", "满意率", tree["c12"].code, 2025, 1.5, ""],  # row 4: a share above 1
        ["S52", "人数", tree["c12"].code, 2024, 0.5, ""],  # row 5: no such field
        ["S17", "stock", tree["c12"].code, 2025, 10, ""],  # row 6: S17 is district-level
        ["S52", "满意率", "330105999999", 2025, 0.9, ""],  # row 7: no such unit
        ["S99", "value", tree["c12"].code, 2025, 1, ""],  # row 8: no such indicator
        ["S52", "满意率", tree["c12"].code, 2022, 0.9, ""],  # row 9: before the policy
    ]
    job = run(login(officers["subdistrict"]), rows)
    assert job.status == "invalid"
    found = {(e["row"], e["column"]) for e in job.errors}
    assert found == {
        (3, "单位代码"),
        (4, "数值"),
        (5, "填报项"),
        (6, "单位代码"),
        (7, "单位代码"),
        (8, "指标编号"),
        (9, "年度"),
    }
    reasons = {e["row"]: e["reason"] for e in job.errors}
    assert "不在您的管辖范围内" in reasons[3]
    assert "“满意率”是占比，应在 0 到 1 之间" in reasons[4]
    assert "指标 S52 没有填报项“人数”" in reasons[5]
    assert reasons[6] == "指标 S17 按区考核，不接受社区填报"
    assert reasons[9] == "2022 年早于政策施行（2023 年起），不能填报"
    assert not ReportedFigure.objects.exists()


def test_a_rule_between_two_rows_of_the_file(tree, officers, login):
    client = login(officers["district"])
    code = tree["district"].code
    bad = [
        ["S17", "当年新增藏书量（册）", code, 2025, 2000, ""],
        ["S17", "stock", code, 2025, 1000, ""],
    ]
    job = run(client, bad)
    assert [(e["row"], e["column"], e["reason"]) for e in job.errors] == [
        (3, "数值", "当年新增藏书（2000 册）不能多于藏书总量（1000 册）")
    ]
    assert not ReportedFigure.objects.exists()
    # The file corrects a stored stock that was too small for its new stock: accepted.
    reported_figure_submit(
        actor=officers["district"],
        indicator_id="S17",
        field_key="stock",
        org_unit=tree["district"],
        year=2025,
        value="500",
    )
    good = [["S17", "new_stock", code, 2025, 2000, ""], ["S17", "stock", code, 2025, 3000, ""]]
    job = run(client, good)
    assert job.errors == [] and job.counts == {"created": 1, "updated": 1, "unchanged": 0}


def test_a_file_against_a_stored_figure_fails_whole_naming_the_row(tree, officers, login):
    code = tree["district"].code
    reported_figure_submit(
        actor=officers["district"],
        indicator_id="S17",
        field_key="stock",
        org_unit=tree["district"],
        year=2025,
        value="500",
    )
    job = run(
        login(officers["district"]),
        [["T01", "value", code, 2025, 10, ""], ["S17", "new_stock", code, 2025, 900, ""]],
    )
    assert job.status == "failed"
    assert "第 3 行保存失败（当年新增藏书（900 册）不能多于藏书总量（500 册））" in job.message
    assert list(ReportedFigure.objects.values_list("indicator_id", flat=True)) == ["S17"]


def test_duplicate_rows_in_one_file(tree, officers, login):
    code = tree["c11"].code
    rows = [["S52", "满意率", code, 2025, 0.9, ""], ["S52", "value", code, 2025, 0.8, ""]]
    job = run(login(officers["community"]), rows)
    assert [(e["row"], e["reason"]) for e in job.errors] == [(3, "与第 2 行重复")]


def test_the_template_has_drop_downs_of_indicators_and_fields(officers, login):
    response = login(officers["community"]).get("/spreadsheets/template/reported_figures/")
    book = load_workbook(io.BytesIO(response.content))
    data = book.worksheets[0]
    assert [c.value for c in data[1]][:6] == HEADERS
    validations = {
        str(dv.sqref).split(":")[0]: dv.formula1 for dv in data.data_validations.dataValidation
    }
    assert set(validations) == {"A2", "B2"}
    choices = book["选项"]
    indicators = [r[0] for r in choices.iter_rows(min_col=1, max_col=1, values_only=True) if r[0]]
    fields = [r[0] for r in choices.iter_rows(min_col=2, max_col=2, values_only=True) if r[0]]
    assert "S17 人均藏书" in indicators and "S52 满意率" in indicators
    assert "S01 五馆齐全（系统计算）" not in indicators  # computed only: no report fields
    assert "总藏书量（册）" in fields and "满意率" in fields


def test_the_export_is_scoped_and_reimports_unchanged(tree, officers, login):
    for unit, actor in (("c11", "community"), ("c21", "community21")):
        reported_figure_submit(
            actor=officers[actor],
            indicator_id="S52",
            field_key="value",
            org_unit=tree[unit],
            year=2025,
            value="0.9",
            note="=HYPERLINK(1)",
        )
    figure = ReportedFigure.objects.get(org_unit=tree["c11"])
    reported_figure_review(actor=officers["subdistrict"], figure=figure, approve=True)
    client = login(officers["subdistrict"])
    response = client.get("/spreadsheets/export/reported_figures/", {"format": "xlsx"})
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:7] == [*HEADERS, "审核状态"]
    assert [r[:7] for r in rows[1:]] == [
        ["S52 满意率", "满意率", tree["c11"].code, 2025, 0.9, "'=HYPERLINK(1)", "已通过"]
    ]
    upload(client, "reported_figures", data, "export.xlsx")
    job = ImportJob.objects.order_by("-created_at").first()
    assert job.errors == [] and job.counts == {"created": 0, "updated": 0, "unchanged": 1}
    figure.refresh_from_db()
    assert figure.status == "approved"
