"""The indicator pages: the catalogue with each current status, one indicator's clause,
definition, thresholds per tier with the year they apply from, owner, named definitions, every
unit's value at each level, history by year and the links to the records behind each number."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from culture.cockpit.tests import helpers
from culture.standards.models import ReportedFigure, ReportStatus
from culture.standards.services.evaluation import evaluation_run

pytestmark = pytest.mark.django_db


def _page(client, indicator_id: str, **query) -> str:
    url = reverse("cockpit:indicator", args=[indicator_id])
    response = client.get(url, {"year": helpers.YEAR, **query})
    assert response.status_code == 200, response.content[:400]
    return response.content.decode()


def _row(body: str, code: str) -> str:
    return body.split(f'data-code="{code}"')[1].split("</tr>")[0]


def test_catalogue_lists_every_indicator_with_the_district_status(monkeypatch, tree, users, login):
    helpers.world(monkeypatch, tree)
    response = login(users["evaluator"]).get(reverse("cockpit:indicators"), {"year": 2025})
    body = response.content.decode()
    ids = re.findall(r'<tr data-indicator="(\w+)"', body)
    assert ids == ["T02", "T10", "T14", "S06", "S20", "S29", "S44", "S48", "S52"]
    t10 = body.split('data-indicator="T10"')[1].split("</tr>")[0]
    assert 'data-status="not_met"' in t10 and ">80<" in t10 and "区文化馆" in t10
    s44 = body.split('data-indicator="S44"')[1].split("</tr>")[0]
    assert 'data-status="no_data"' in s44


def test_indicator_page_explains_the_rule_and_lists_every_unit(monkeypatch, tree, users, login):
    helpers.world(monkeypatch, tree)
    body = _page(login(users["district"]), "S06")
    assert "S06 的条款原文" in body and "附件 测试" in body
    thresholds = body.split('data-testid="indicator-thresholds"')[1].split("</dd>")[0]
    assert "<b>区</b>：2023 年起 ≥ 40" in thresholds
    assert "<b>街道</b>：2023 年起 ≥ 1" in thresholds
    assert 'data-testid="indicator-owner">区图书馆<' in body
    # The district's own value, and the subdistricts below it.
    assert 'data-testid="indicator-below">下级单位：街道 1/2 达标' in body
    assert 'data-status="not_met"' in _row(body, tree["s2"].code)
    s1 = _row(body, tree["s1"].code)
    assert 'data-status="met"' in s1 and ">1<" in s1
    assert "indicator-level-community" not in body  # S06 is not judged per community


def test_named_definitions_and_history(monkeypatch, tree, users, login):
    helpers.world(monkeypatch, tree)
    evaluation_run(year=2024, trigger="test")
    body = _page(login(users["district"]), "T10")
    assert "深化全民艺术普及，每年开展艺术普及培训班100场" in body
    assert "当年开始、未取消的培训班场数。" in body
    named = body.split('data-testid="indicator-named-definitions"')[1].split("</ul>")[0]
    assert "错时开放：工作日核心时段开始" in named and "09:00" in named
    history = body.split('data-testid="indicator-history"')[1].split("</table>")[0]
    assert re.findall(r"<td>(\d{4})</td>", history) == ["2024", "2025"]
    assert history.count("未达标") == 2


def test_records_links_lead_to_the_filtered_lists(monkeypatch, tree, users, login):
    helpers.world(monkeypatch, tree)
    client = login(users["district"])
    body = _page(client, "T10")
    links = re.findall(r'<a href="([^"]+)" data-testid="records-link">', body)
    query = parse_qs(urlsplit(links[0].replace("&amp;", "&")).query)
    assert urlsplit(links[0]).path == reverse("activities:list")
    assert query == {
        "kind": ["training_class"],
        "unit": [tree["district"].code],
        "date_from": ["2025-01-01"],
        "date_to": ["2025-12-31"],
    }
    assert client.get(links[0].replace("&amp;", "&")).status_code == 200
    # A venue rule: each venue links to its page, each unit to the venues list of those kinds.
    body = _page(client, "S20")
    assert f'href="{reverse("venues:detail", args=["VB"])}"' in _row(body, "VB")
    s2 = _row(body, tree["s2"].code)
    assert f"{reverse('venues:list')}?kind=city_bookroom&amp;unit={tree['s2'].code}" in s2


def test_reported_value_beside_a_computed_one_is_shown_as_a_conflict(
    monkeypatch, tree, users, login
):
    helpers.install(monkeypatch, tree)
    helpers.venues(tree)
    ReportedFigure.objects.create(
        indicator_id="T10", org_unit=tree["district"], org_path=tree["district"].path,
        year=2025, value=95, status=ReportStatus.APPROVED,
    )  # fmt: skip
    evaluation_run(year=2025)
    body = _page(login(users["district"]), "T10")
    row = _row(body, tree["district"].code)
    assert "系统计算" in row and 'class="num hide-phone conflict">95<' in row


def test_scope_of_the_indicator_page(monkeypatch, tree, users, login):
    helpers.world(monkeypatch, tree)
    client = login(users["subdistrict"])
    body = _page(client, "S29")
    assert tree["c11"].name_zh in body and tree["c12"].name_zh in body
    assert tree["c21"].name_zh not in body and tree["s2"].name_zh not in body
    assert "indicator-level-district" not in body
    url = reverse("cockpit:indicator", args=["S29"])
    assert client.get(url, {"unit": tree["c21"].code}).status_code == 403
    assert client.get(reverse("cockpit:indicator", args=["X99"])).status_code == 404


def test_records_links_name_the_records_of_the_indicator(tree):
    """Regression: every calculator of the people modules linked to the teams list, so S17 (the
    library's copies) and S39 (staff) offered "团队记录", records that make neither number."""
    from culture.cockpit.indicators import records_links
    from culture.standards.catalogue import CATALOGUE

    def pages(indicator_id: str) -> list[str]:
        links = records_links(CATALOGUE[indicator_id], unit_code=tree["district"].code, year=2025)
        return [urlsplit(link["url"]).path for link in links]

    assert pages("S17") == []
    assert pages("S39") == [reverse("accounts:staff_list")]
    assert pages("T06") == [reverse("teams:team_list")]
