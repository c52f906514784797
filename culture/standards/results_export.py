"""Every result of a stored run as JSON (the stable format of docs/standards.md), xlsx and a Word
compliance report. Used by ``manage.py evaluate`` and the cockpit's downloads."""

from __future__ import annotations

import io
import json
from collections import Counter
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from docx import Document
from docx.shared import Pt
from openpyxl import Workbook

from culture.org.models import OrgUnit
from culture.spreadsheets.framework import escape_formula
from culture.standards.catalogue import CATALOGUE
from culture.standards.models import EvaluationRun, IndicatorResult, Status

FORMAT = "gongshu-standards-results/1"
STATUS_ZH = dict(Status.choices)
UNIT_ZH = {
    "count": "个/场/次",
    "share": "%",
    "hours": "小时",
    "days": "天",
    "person_times": "人次",
    "per_resident": "每人",
    "per_thousand": "每千人",
    "yuan_per_resident": "元/人",
    "flag": "是/否",
    "books": "册",
    "m2_per_person": "平方米/人",
}


def run_results(run: EvaluationRun, *, unit: OrgUnit | None = None) -> QuerySet[IndicatorResult]:
    qs = run.results.select_related("org_unit", "venue").order_by(
        "indicator_id", "level", "org_path", "venue__code"
    )
    if unit is not None:
        qs = qs.filter(org_path__startswith=unit.path)
    return qs


def result_dict(r: IndicatorResult) -> dict[str, Any]:
    ind = CATALOGUE.get(r.indicator_id)
    return {
        "indicator": r.indicator_id,
        "clause": ind.clause if ind else "",
        "title_zh": ind.title_zh if ind else "",
        "title_en": ind.title_en if ind else "",
        "level": r.level,
        "org_unit": r.org_unit.code if r.org_unit else None,
        "org_unit_name": r.org_unit.name_zh if r.org_unit else None,
        "venue": r.venue.code if r.venue else None,
        "venue_name": r.venue.name_zh if r.venue else None,
        "tier": r.tier,
        "year": r.year,
        "value": r.value,
        "target": r.target,
        "comparator": r.comparator,
        "unit": r.unit,
        "status": r.status,
        "gap": r.gap,
        "source": r.source or None,
        "reported_value": r.reported_value,
        "conflict": r.conflict,
        "owner": ind.owner_zh if ind else "",
        "parts": r.parts,
    }


def results_document(run: EvaluationRun, *, unit: OrgUnit | None = None) -> dict[str, Any]:
    results = [result_dict(r) for r in run_results(run, unit=unit)]
    return {
        "format": FORMAT,
        "year": run.year,
        "run": run.pk,
        "computed_at": run.finished_at.isoformat() if run.finished_at else None,
        "as_of": run.as_of.isoformat(),
        "unit": unit.code if unit else None,
        "definitions": run.definitions,
        "counts": dict(Counter(r["status"] for r in results)),
        "results": results,
    }


def results_json(run: EvaluationRun, *, unit: OrgUnit | None = None) -> str:
    return json.dumps(results_document(run, unit=unit), ensure_ascii=False, indent=2)


XLSX_COLUMNS = (
    ("indicator", "指标"),
    ("title_zh", "名称"),
    ("clause", "条款"),
    ("level", "层级"),
    ("org_unit", "单位代码"),
    ("org_unit_name", "单位"),
    ("venue", "场馆编码"),
    ("venue_name", "场馆"),
    ("value", "数值"),
    ("comparator", "比较"),
    ("target", "目标"),
    ("unit", "计量单位"),
    ("status", "状态"),
    ("gap", "差距"),
    ("source", "来源"),
    ("reported_value", "填报值"),
    ("conflict", "数据冲突"),
    ("owner", "责任单位"),
)


def results_xlsx(run: EvaluationRun, *, unit: OrgUnit | None = None) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("评估结果")
    ws.append([h for _k, h in XLSX_COLUMNS])
    for r in run_results(run, unit=unit):
        d = result_dict(r)
        d["status"] = str(STATUS_ZH.get(d["status"], d["status"]))
        ws.append([escape_formula(d[k]) for k, _h in XLSX_COLUMNS])
    about = wb.create_sheet("说明")
    about.append(["年度", run.year])
    about.append(["统计截止日", run.as_of.isoformat()])
    about.append(
        ["计算时间", timezone.localtime(run.finished_at).isoformat() if run.finished_at else ""]
    )
    about.append(["格式", FORMAT])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit == "flag":
        return "是" if value >= 1 else "否"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def results_docx(
    run: EvaluationRun, *, unit: OrgUnit | None = None, synthetic: bool = False
) -> bytes:
    """A compliance report officials edit in Word: summary, targets missed, every result of
    the unit's own level."""
    top = unit or OrgUnit.objects.filter(level="district").first()
    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(10.5)
    name = top.name_zh if top else ""
    doc.add_heading(f"{name}公共文化服务标准达标情况报告（{run.year}年度）", level=0)
    if synthetic:
        doc.add_paragraph("本报告基于合成演示数据生成，不代表真实情况。")
    doc.add_paragraph(
        f"统计截止日：{run.as_of.isoformat()}；计算时间："
        f"{timezone.localtime(run.finished_at).strftime('%Y-%m-%d %H:%M') if run.finished_at else ''}。"
    )
    own = [
        r
        for r in run_results(run, unit=top)
        if r.org_unit_id == (top.pk if top else None) and r.venue_id is None
    ]
    counts = Counter(r.status for r in own)
    doc.add_heading("一、总体情况", level=1)
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "状态", "指标数"
    for status, label in Status.choices:
        row = table.add_row().cells
        row[0].text, row[1].text = str(label), str(counts.get(status, 0))
    doc.add_heading("二、未达标指标（差距从大到小）", level=1)
    missed = sorted(
        (r for r in own if r.status == Status.NOT_MET), key=lambda r: -(r.relative_gap or 0)
    )
    if not missed:
        doc.add_paragraph("无。")
    for r in missed:
        ind = CATALOGUE.get(r.indicator_id)
        doc.add_paragraph(
            f"{r.indicator_id} {ind.title_zh if ind else ''}：现值 {_fmt(r.value, r.unit)}，"
            f"目标 {_fmt(r.target, r.unit)}，差距 {_fmt(r.gap, r.unit)}；"
            f"责任单位：{ind.owner_zh if ind else ''}。",
            style="List Bullet",
        )
    doc.add_heading("三、全部指标", level=1)
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("指标", "名称", "现值", "目标", "状态", "来源"), strict=True
    ):
        cell.text = text
    for r in own:
        ind = CATALOGUE.get(r.indicator_id)
        cells = table.add_row().cells
        values = (
            r.indicator_id,
            ind.title_zh if ind else "",
            _fmt(r.value, r.unit),
            _fmt(r.target, r.unit),
            str(STATUS_ZH.get(r.status, r.status)),
            {"computed": "系统计算", "reported": "统计填报", "attested": "佐证认定"}.get(
                r.source, "—"
            ),
        )
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
