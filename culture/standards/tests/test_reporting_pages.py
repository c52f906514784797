"""The 填报 sheet and the review queue: forms, all-or-nothing saving, CSRF, scope, review flow."""

# ruff: noqa: F811 (the shared fixtures are imported, then named as test arguments)

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from culture.standards.models import ReportedFigure
from culture.standards.services.reporting import reported_figure_submit
from culture.standards.tests.reporting_fixtures import officers, test_catalogue  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_catalogue")]

SHEET = "/standards/reports/"
QUEUE = "/standards/reports/review/"


def sheet_url(unit, year=2025):
    return f"{SHEET}?unit={unit.code}&year={year}"


def text(response) -> str:
    return response.content.decode()


def test_the_sheet_lists_the_fields_of_the_units_level_with_current_values(tree, officers, login):
    reported_figure_submit(
        actor=officers["community"],
        indicator_id="S52",
        field_key="value",
        org_unit=tree["c11"],
        year=2025,
        value="0.91",
    )
    response = login(officers["community"]).get(sheet_url(tree["c11"]))
    assert response.status_code == 200
    body = text(response)
    rows = re.findall(r'data-indicator="(\w+)" data-field="(\w+)"', body)
    assert rows == [("S52", "value"), ("S44", "value")]  # community-level report fields only
    assert 'name="v_S52_value"' in body and 'value="0.91"' in body
    assert "待审核" in body and "提交审核" in body


def test_a_district_sheet_shows_district_fields(tree, officers, login):
    body = text(login(officers["district"]).get(sheet_url(tree["district"])))
    rows = re.findall(r'data-indicator="(\w+)" data-field="(\w+)"', body)
    assert ("S17", "stock") in rows and ("S17", "new_stock") in rows and ("T01", "value") in rows
    assert not any(i == "S52" for i, _f in rows)


def test_saving_the_sheet_submits_every_typed_value(tree, officers, login):
    client = login(officers["community"])
    response = client.post(
        sheet_url(tree["c11"]),
        {"v_S52_value": "85%", "n_S52_value": "问卷 300 份", "v_S44_value": "1"},
    )
    assert response.status_code == 302 and response["Location"] == sheet_url(tree["c11"])
    figures = {f.indicator_id: f for f in ReportedFigure.objects.all()}
    assert figures["S52"].value == Decimal("0.8500") and figures["S52"].note == "问卷 300 份"
    assert figures["S44"].value == Decimal("1") and figures["S44"].status == "submitted"
    assert "已提交 2 项填报" in text(client.get(sheet_url(tree["c11"])))


def test_one_bad_value_saves_nothing_and_says_why_next_to_it(tree, officers, login):
    client = login(officers["community"])
    response = client.post(sheet_url(tree["c11"]), {"v_S52_value": "0.9", "v_S44_value": "3"})
    assert response.status_code == 422
    assert re.search(
        r'data-field="v_S44_value"><li>“已建立（1/0）”只能填 1（是）或 0（否），填写的是 3',
        text(response),
    )
    assert not ReportedFigure.objects.exists()


def test_a_rule_between_two_values_on_the_same_sheet(tree, officers, login):
    client = login(officers["district"])
    url = sheet_url(tree["district"])
    response = client.post(url, {"v_S17_stock": "1000", "v_S17_new_stock": "2000"})
    assert response.status_code == 422
    assert "当年新增藏书（2000 册）不能多于藏书总量（1000 册）" in text(response)
    assert not ReportedFigure.objects.exists()
    assert client.post(url, {"v_S17_stock": "3000", "v_S17_new_stock": "2000"}).status_code == 302
    assert ReportedFigure.objects.count() == 2


def test_the_evaluator_reads_but_cannot_submit(tree, officers, client):
    client.force_login(officers["evaluator"])
    body = text(client.get(sheet_url(tree["c11"])))
    assert "disabled" in body and "提交审核" not in body
    assert client.post(sheet_url(tree["c11"]), {"v_S52_value": "0.9"}).status_code == 403
    assert not ReportedFigure.objects.exists()


def test_a_unit_outside_the_scope_is_refused(tree, officers, login):
    client = login(officers["community"])
    assert client.get(sheet_url(tree["c21"])).status_code == 403
    assert client.post(sheet_url(tree["c21"]), {"v_S52_value": "0.9"}).status_code == 403
    assert not ReportedFigure.objects.exists()


def test_residents_and_anonymous_callers_are_kept_out(tree, client):
    response = client.get(sheet_url(tree["c11"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_post_without_the_csrf_token_is_refused(tree, officers):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officers["community"])
    response = client.post(sheet_url(tree["c11"]), {"v_S52_value": "0.9"})
    assert response.status_code == 403
    assert not ReportedFigure.objects.exists()
    page = client.get(sheet_url(tree["c11"]))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(page)).group(1)
    ok = client.post(sheet_url(tree["c11"]), {"v_S52_value": "0.9", "csrfmiddlewaretoken": token})
    assert ok.status_code == 302 and ReportedFigure.objects.count() == 1


# ----- review ------------------------------------------------------------------------------------
def submitted(officers, tree, unit="c11", value="0.9"):
    figure, _ = reported_figure_submit(
        actor=officers["community" if unit == "c11" else "community21"],
        indicator_id="S52",
        field_key="value",
        org_unit=tree[unit],
        year=2025,
        value=value,
    )
    return figure


def test_the_subdistrict_sees_its_communities_figures_and_approves(tree, officers, login):
    mine, other = submitted(officers, tree), submitted(officers, tree, "c21")
    client = login(officers["subdistrict"])
    body = text(client.get(QUEUE))
    assert tree["c11"].name_zh in body and tree["c21"].name_zh not in body
    assert f"/standards/reports/{mine.pk}/review/" in body
    response = client.post(f"/standards/reports/{mine.pk}/review/", {"decision": "approve"})
    assert response.status_code == 302 and response["Location"] == QUEUE
    mine.refresh_from_db()
    assert (mine.status, mine.reviewed_by) == ("approved", officers["subdistrict"])
    refused = client.post(f"/standards/reports/{other.pk}/review/", {"decision": "approve"})
    assert refused.status_code == 403
    other.refresh_from_db()
    assert other.status == "submitted"


def test_rejecting_on_the_page_needs_a_reason_and_the_reason_shows_on_the_sheet(
    tree, officers, login
):
    figure = submitted(officers, tree)
    client = login(officers["subdistrict"])
    url = f"/standards/reports/{figure.pk}/review/"
    client.post(url, {"decision": "reject", "reason": ""})
    figure.refresh_from_db()
    assert figure.status == "submitted"
    assert "退回时请填写原因" in text(client.get(QUEUE))
    client.post(url, {"decision": "reject", "reason": "请附问卷统计表"})
    figure.refresh_from_db()
    assert (figure.status, figure.review_reason) == ("rejected", "请附问卷统计表")
    sheet = text(login(officers["community"]).get(sheet_url(tree["c11"])))
    assert "已退回" in sheet and "请附问卷统计表" in sheet


@pytest.mark.parametrize("role", ["community", "evaluator", "venue"])
def test_who_reviews_nothing_has_no_queue(officers, login, role):
    assert login(officers[role]).get(QUEUE).status_code == 403


def test_the_district_queue_leaves_out_the_officers_own_figures(tree, officers, login):
    own, _ = reported_figure_submit(
        actor=officers["district"],
        indicator_id="T01",
        field_key="value",
        org_unit=tree["district"],
        year=2025,
        value="1000",
    )
    submitted(officers, tree)
    body = text(login(officers["district"]).get(QUEUE))
    assert f"/standards/reports/{own.pk}/review/" not in body
    assert "待审核 1 项" in body
    other = text(login(officers["district2"]).get(QUEUE))
    assert f"/standards/reports/{own.pk}/review/" in other
    assert "<td>线上服务场次</td>" in other and "<td>1000</td>" in other


def test_the_sheet_and_its_errors_in_english(tree, officers, login):
    client = login(officers["district"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post(
        sheet_url(tree["district"]), {"v_S17_stock": "1000", "v_S17_new_stock": "2000"}
    )
    body = text(response)
    assert "Reported figures" in body and "Submit for review" in body
    assert "New stock this year (2000 books) cannot exceed the total stock (1000 books)" in body
