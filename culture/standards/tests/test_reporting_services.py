"""Reported figures: submission rules, validation rules, scope, review by the unit above, audit."""

# ruff: noqa: F811 (the shared fixtures are imported, then named as test arguments)

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from culture.core.errors import FieldErrors, OutOfScope, ValidationFailed
from culture.core.models import AuditEntry
from culture.standards.models import ReportedFigure
from culture.standards.services.reporting import reported_figure_review, reported_figure_submit
from culture.standards.tests.reporting_fixtures import (  # noqa: F401 (fixtures)
    evaluations,
    officers,
    test_catalogue,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_catalogue")]


def submit(actor, unit, indicator="S52", field="value", value="0.9", year=2025, note=""):
    figure, outcome = reported_figure_submit(
        actor=actor,
        indicator_id=indicator,
        field_key=field,
        org_unit=unit,
        year=year,
        value=value,
        note=note,
    )
    return figure, outcome


def messages_of(excinfo) -> dict[str, list[str]]:
    return {k: [str(m) for m in v] for k, v in excinfo.value.errors.items()}


# ----- submitting --------------------------------------------------------------------------------
def test_submit_creates_a_submitted_figure_and_audits_it(tree, officers):
    figure, outcome = submit(officers["community"], tree["c11"], value="0.9", note="问卷 300 份")
    assert outcome == "created"
    assert (figure.status, figure.value, figure.org_path, figure.note) == (
        "submitted",
        Decimal("0.9000"),
        tree["c11"].path,
        "问卷 300 份",
    )
    entry = AuditEntry.objects.get(action="standards.figure_submitted")
    assert entry.before is None
    assert entry.after["value"] == "0.9000" and entry.after["status"] == "submitted"
    assert entry.org_path == tree["c11"].path and entry.actor == officers["community"]


def test_the_same_figure_again_changes_nothing(tree, officers):
    submit(officers["community"], tree["c11"], value="0.9")
    figure, outcome = submit(officers["community"], tree["c11"], value="0.90")
    assert outcome == "unchanged"
    assert AuditEntry.objects.filter(action="standards.figure_submitted").count() == 1


def test_a_rejected_figure_is_replaced_and_goes_back_to_submitted(tree, officers):
    figure, _ = submit(officers["community"], tree["c11"], value="0.9")
    reported_figure_review(
        actor=officers["subdistrict"], figure=figure, approve=False, reason="缺少问卷原件"
    )
    again, outcome = submit(officers["community"], tree["c11"], value="0.92")
    assert outcome == "updated" and again.pk == figure.pk
    assert (again.status, again.value, again.reviewed_by, again.review_reason) == (
        "submitted",
        Decimal("0.9200"),
        None,
        "",
    )
    entry = AuditEntry.objects.filter(action="standards.figure_submitted").latest("id")
    assert entry.before["status"] == "rejected" and entry.after["value"] == "0.9200"


def test_an_approved_figure_resubmitted_goes_back_to_review_and_recomputes(
    tree, officers, evaluations
):
    figure, _ = submit(officers["community"], tree["c11"], value="0.9")
    reported_figure_review(actor=officers["subdistrict"], figure=figure, approve=True)
    assert evaluations == [([2025], "reported_figures")]
    again, outcome = submit(officers["community"], tree["c11"], value="0.8")
    assert (outcome, again.status) == ("updated", "submitted")
    assert evaluations[-1] == ([2025], "reported_figures")


@pytest.mark.parametrize(
    "kwargs,field,message",
    [
        ({"indicator": "S99"}, "indicator_id", "没有编号为 S99 的指标"),
        ({"indicator": "S01"}, "indicator_id", "指标 S01 不接受统计填报"),
        (
            {"field": "visitors"},
            "field_key",
            "指标 S52 没有填报项“visitors”；可填：满意率（value）",
        ),
        ({"year": 2022}, "year", "2022 年早于政策施行（2023 年起），不能填报"),
        ({"value": "-1"}, "value", "数值不能为负数"),
        ({"value": "很多"}, "value", "数值应为数字"),
        ({"value": "1.2"}, "value", "“满意率”是占比，应在 0 到 1 之间"),
    ],
)
def test_refusals_name_the_field_and_the_reason(tree, officers, kwargs, field, message):
    with pytest.raises(FieldErrors) as excinfo:
        submit(officers["community"], tree["c11"], **kwargs)
    assert any(message in m for m in messages_of(excinfo)[field])
    assert not ReportedFigure.objects.exists()


def test_a_future_year_is_refused(tree, officers):
    year = timezone.localdate().year + 1
    with pytest.raises(FieldErrors) as excinfo:
        submit(officers["community"], tree["c11"], year=year)
    assert messages_of(excinfo)["year"] == [f"{year} 年尚未开始，不能填报"]


def test_this_year_may_be_reported(tree, officers):
    figure, _ = submit(officers["community"], tree["c11"], year=timezone.localdate().year)
    assert figure.status == "submitted"


def test_a_unit_at_a_level_the_indicator_does_not_judge_is_refused(tree, officers):
    with pytest.raises(FieldErrors) as excinfo:
        submit(officers["district"], tree["s1"], indicator="S17", field="stock", value="100")
    assert messages_of(excinfo)["org_unit"] == ["指标 S17 按区考核，不接受街道填报"]


def test_shares_are_fractions_and_a_percent_sign_converts(tree, officers):
    figure, _ = submit(officers["community"], tree["c11"], value="85%")
    assert figure.value == Decimal("0.8500")
    figure, _ = submit(officers["community"], tree["c11"], value="１００％")  # full-width
    assert figure.value == Decimal("1.0000")
    with pytest.raises(FieldErrors) as excinfo:
        submit(officers["community"], tree["c11"], value="85")
    assert "应在 0 到 1 之间（85% 填 0.85 或 85%），填写的是 85" in messages_of(excinfo)["value"][0]


def test_a_percent_sign_on_a_count_and_decimals_on_person_times_are_refused(tree, officers):
    district = tree["district"]
    with pytest.raises(FieldErrors) as excinfo:
        submit(officers["district"], district, indicator="T01", value="50%")
    assert messages_of(excinfo)["value"] == ["只有占比可以填写百分数"]
    with pytest.raises(FieldErrors) as excinfo:
        submit(officers["district"], district, indicator="T02", value="1000.5")
    assert messages_of(excinfo)["value"] == ["“线上服务人次”应为整数"]
    figure, _ = submit(officers["district"], district, indicator="T02", value="1,000,000")
    assert figure.value == Decimal("1000000")


def test_a_flag_is_zero_or_one(tree, officers):
    with pytest.raises(FieldErrors) as excinfo:
        submit(officers["community"], tree["c11"], indicator="S44", value="2")
    assert messages_of(excinfo)["value"] == ["“已建立（1/0）”只能填 1（是）或 0（否），填写的是 2"]
    assert submit(officers["community"], tree["c11"], indicator="S44", value="1")[1] == "created"


# ----- validation rules -------------------------------------------------------------------------
def test_new_stock_may_not_exceed_the_stock_either_way_round(tree, officers):
    district, officer = tree["district"], officers["district"]
    submit(officer, district, indicator="S17", field="stock", value="1500")
    with pytest.raises(FieldErrors) as excinfo:
        submit(officer, district, indicator="S17", field="new_stock", value="2000")
    assert messages_of(excinfo)["value"] == ["当年新增藏书（2000 册）不能多于藏书总量（1500 册）"]
    assert (
        submit(officer, district, indicator="S17", field="new_stock", value="1500")[1] == "created"
    )
    with pytest.raises(FieldErrors) as excinfo:
        submit(officer, district, indicator="S17", field="stock", value="1200")
    assert messages_of(excinfo)["value"] == ["当年新增藏书（1500 册）不能多于藏书总量（1200 册）"]


def test_a_rule_compares_the_same_unit_and_year_and_ignores_rejected_figures(tree, officers):
    district, officer = tree["district"], officers["district"]
    stock, _ = submit(officer, district, indicator="S17", field="stock", value="100", year=2024)
    # another year: nothing to compare with
    assert (
        submit(officer, district, indicator="S17", field="new_stock", value="500")[1] == "created"
    )
    reported_figure_review(actor=officers["district2"], figure=stock, approve=False, reason="错")
    # the rejected stock of 2024 does not count either
    assert submit(officer, district, indicator="S17", field="new_stock", value="500", year=2024)


def test_online_sessions_may_not_exceed_online_person_times(tree, officers):
    district, officer = tree["district"], officers["district"]
    submit(officer, district, indicator="T02", value="700")
    with pytest.raises(FieldErrors) as excinfo:
        submit(officer, district, indicator="T01", value="800")
    assert messages_of(excinfo)["value"] == [
        "线上服务场次（T01：800 场）不能多于线上服务人次（T02：700 人次）"
    ]


def test_a_batch_value_wins_over_the_stored_one(tree, officers):
    """During an import or a sheet, the other figure's new value is what the rule uses."""
    district, officer = tree["district"], officers["district"]
    submit(officer, district, indicator="S17", field="stock", value="100")
    figure, _ = reported_figure_submit(
        actor=officer,
        indicator_id="S17",
        field_key="new_stock",
        org_unit=district,
        year=2025,
        value="900",
        batch={("S17", "stock", district.pk, 2025): Decimal("1000")},
    )
    assert figure.value == Decimal("900")


# ----- scope -----------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["evaluator", "venue", "community21"])
def test_who_may_not_write_the_unit_is_refused_before_anything_else(tree, officers, role):
    with pytest.raises(OutOfScope):
        submit(officers[role], tree["c11"], indicator="NOPE")
    assert not ReportedFigure.objects.exists()


def test_the_subdistrict_may_report_for_its_community(tree, officers):
    assert submit(officers["subdistrict"], tree["c11"])[0].submitted_by == officers["subdistrict"]


# ----- review ------------------------------------------------------------------------------------
def test_the_subdistrict_approves_its_communitys_figure_and_it_is_audited(tree, officers):
    figure, _ = submit(officers["community"], tree["c11"])
    reviewed = reported_figure_review(actor=officers["subdistrict"], figure=figure, approve=True)
    assert (reviewed.status, reviewed.reviewed_by) == ("approved", officers["subdistrict"])
    entry = AuditEntry.objects.get(action="standards.figure_approved")
    assert (entry.before["status"], entry.after["status"]) == ("submitted", "approved")


@pytest.mark.parametrize(
    "reviewer,message",
    [
        ("community", "不能审核自己提交的填报"),
        ("subdistrict2", "不在您的审核范围内"),
        ("evaluator", "只能查看"),
        ("venue", "只能查看"),
    ],
)
def test_only_the_unit_above_reviews(tree, officers, reviewer, message):
    figure, _ = submit(officers["community"], tree["c11"])
    with pytest.raises(OutOfScope, match=message):
        reported_figure_review(actor=officers[reviewer], figure=figure, approve=True)
    figure.refresh_from_db()
    assert figure.status == "submitted"


def test_a_community_worker_elsewhere_cannot_review(tree, officers):
    figure, _ = submit(officers["community21"], tree["c21"])
    with pytest.raises(OutOfScope, match="只有上级单位"):
        reported_figure_review(actor=officers["community"], figure=figure, approve=True)


def test_a_subdistricts_figure_is_reviewed_by_the_district_not_the_subdistrict(tree, officers):
    figure, _ = submit(officers["subdistrict"], tree["s1"])
    with pytest.raises(OutOfScope):
        reported_figure_review(actor=officers["subdistrict"], figure=figure, approve=True)
    assert reported_figure_review(actor=officers["district"], figure=figure, approve=True)


def test_a_district_figure_is_reviewed_by_another_district_officer(tree, officers):
    figure, _ = submit(officers["district"], tree["district"], indicator="T01", value="900")
    with pytest.raises(OutOfScope, match="不能审核自己提交的填报"):
        reported_figure_review(actor=officers["district"], figure=figure, approve=True)
    reviewed = reported_figure_review(actor=officers["district2"], figure=figure, approve=True)
    assert reviewed.status == "approved"


def test_rejecting_needs_a_reason_and_a_figure_is_reviewed_once(tree, officers, evaluations):
    figure, _ = submit(officers["community"], tree["c11"])
    with pytest.raises(ValidationFailed, match="退回时请填写原因"):
        reported_figure_review(actor=officers["subdistrict"], figure=figure, approve=False)
    assert evaluations == []
    rejected = reported_figure_review(
        actor=officers["subdistrict"], figure=figure, approve=False, reason="与台账不符"
    )
    assert (rejected.status, rejected.review_reason) == ("rejected", "与台账不符")
    assert AuditEntry.objects.get(action="standards.figure_rejected").after["review_reason"] == (
        "与台账不符"
    )
    assert evaluations == [([2025], "reported_figures")]
    with pytest.raises(ValidationFailed, match="该填报已审核"):
        reported_figure_review(actor=officers["district"], figure=figure, approve=True)
