"""`manage.py evaluate`: every result as JSON (the documented format), xlsx and docx; clear
messages for a year before the policy and an unknown unit; recomputation after a write."""

from __future__ import annotations

import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult
from docx import Document
from openpyxl import load_workbook

from culture.activities.services import activity_create
from culture.standards.models import EvaluationRun, IndicatorResult

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
RESULT_KEYS = {
    "indicator",
    "clause",
    "title_zh",
    "title_en",
    "level",
    "org_unit",
    "org_unit_name",
    "venue",
    "venue_name",
    "tier",
    "year",
    "value",
    "target",
    "comparator",
    "unit",
    "status",
    "gap",
    "source",
    "reported_value",
    "conflict",
    "owner",
    "parts",
}


def _classes(unit, n, year=2025):
    for i in range(n):
        activity_create(
            actor=None,
            title=f"培训班{i}",
            kind="training_class",
            organiser=unit,
            start_at=datetime(year, 3, 1, 9, i, tzinfo=TZ),
            end_at=datetime(year, 3, 1, 11, tzinfo=TZ),
            attendance=20,
        )


def _json(**kw) -> dict:
    out = io.StringIO()
    call_command("evaluate", year=2025, format="json", stdout=out, **kw)
    return json.loads(out.getvalue())


def test_json_has_every_result_in_the_documented_shape(tree):
    _classes(tree["c11"], 3)
    doc = _json()
    assert doc["format"] == "gongshu-standards-results/1"
    assert (doc["year"], doc["as_of"]) == (2025, "2025-12-31")
    assert doc["results"], "the catalogue produced no result"
    for r in doc["results"]:
        assert set(r) == RESULT_KEYS
        assert r["status"] in {"met", "not_met", "not_due", "no_data", "not_applicable", "info"}
        assert r["source"] in {"computed", "reported", "attested", None}
    [t10] = [r for r in doc["results"] if r["indicator"] == "T10" and r["level"] == "district"]
    # Three training classes against the policy's 100 a year (2.5.2).
    assert (t10["value"], t10["target"], t10["status"], t10["gap"], t10["source"]) == (
        3.0,
        100.0,
        "not_met",
        97.0,
        "computed",
    )
    assert t10["org_unit"] == tree["district"].code
    assert EvaluationRun.objects.filter(year=2025, trigger="command").count() == 1


def test_unit_option_limits_to_the_unit_and_below(tree):
    _classes(tree["c11"], 1)
    doc = _json(unit=tree["s1"].code)
    assert doc["unit"] == tree["s1"].code
    paths = {r["org_unit"] for r in doc["results"]}
    assert tree["district"].code not in paths
    assert tree["s2"].code not in paths


def test_xlsx_and_docx_carry_the_same_results(tree, tmp_path):
    _classes(tree["c11"], 2)
    xlsx, docx_path = tmp_path / "r.xlsx", tmp_path / "r.docx"
    call_command("evaluate", year=2025, format="xlsx", output=str(xlsx))
    call_command("evaluate", year=2025, format="docx", output=str(docx_path))
    run = EvaluationRun.objects.filter(year=2025).first()
    ws = load_workbook(xlsx, read_only=True)["评估结果"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("指标", "名称", "条款", "层级")
    assert len(rows) - 1 == IndicatorResult.objects.filter(run=run).count()
    t10 = [r for r in rows if r[0] == "T10" and r[3] == "district"][0]
    assert (t10[8], t10[10], t10[12]) == (2, 100, "未达标")
    text = "\n".join(p.text for p in Document(str(docx_path)).paragraphs)
    assert "公共文化服务标准达标情况报告（2025年度）" in text
    assert "T10" in text and "差距 98" in text


def test_clear_messages(tree):
    with pytest.raises(CommandError, match="早于政策施行"):
        call_command("evaluate", year=2021, format="json", stdout=io.StringIO())
    with pytest.raises(CommandError, match="未知的单位代码 999"):
        call_command("evaluate", year=2025, unit="999", format="json", stdout=io.StringIO())
    assert not EvaluationRun.objects.exists()


def test_a_write_is_in_the_stored_results_after_commit(
    tree, settings, django_capture_on_commit_callbacks
):
    settings.CULTURE_EVALUATE_ON_WRITE = True
    with django_capture_on_commit_callbacks(execute=True):
        _classes(tree["c11"], 1)
    run = EvaluationRun.objects.filter(year=2025).first()
    assert run is not None and run.trigger == "activities"
    t10 = run.results.get(indicator_id="T10", org_unit=tree["district"])
    assert t10.value == 1.0


def test_a_burst_of_writes_enqueues_one_waiting_run(
    tree, settings, django_capture_on_commit_callbacks
):
    """With the database task backend, 5 writes in one commit leave one waiting run, and the
    run that executes reflects all of them."""
    settings.CULTURE_EVALUATE_ON_WRITE = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        _classes(tree["c11"], 5)
    waiting = DBTaskResult.objects.filter(status="READY", task_path__endswith="evaluate_year")
    assert waiting.count() == 1


def test_a_year_with_no_data_says_so(tree):
    err = io.StringIO()
    out = io.StringIO()
    call_command("evaluate", year=2024, format="json", stdout=out, stderr=err)
    assert "2024 年没有任何记录" in err.getvalue()
    doc = json.loads(out.getvalue())
    assert {r["status"] for r in doc["results"]} <= {"no_data", "not_applicable", "info", "not_due"}
    assert all(r["value"] is None for r in doc["results"] if r["status"] == "no_data")
