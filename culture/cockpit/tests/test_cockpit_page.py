"""The cockpit page: targets met, tiles (暂无数据, never 0), the missed list with owners, the
freshness line, drill-down within scope, no run yet (and the compute-now button), big screen,
English, and a query count that does not grow with the number of units or venues."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from culture.activities.tests.factories import activity, local
from culture.cockpit.tests import helpers
from culture.core.models import AuditEntry
from culture.org.tests.factories import community
from culture.standards.models import EvaluationRun
from culture.standards.services.evaluation import evaluation_run

pytestmark = pytest.mark.django_db
URL = reverse("cockpit:home")


def _get(client, **query):
    response = client.get(URL, {"year": helpers.YEAR, **query})
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def _map_data(body: str) -> dict:
    found = re.search(r'<script id="ck-map-data" type="application/json">(.*?)</script>', body)
    return json.loads(found.group(1))


def test_district_officer_sees_the_district_on_one_page(monkeypatch, tree, users, login):
    helpers.world(monkeypatch, tree)
    body = _get(login(users["district"]))
    assert 'data-testid="targets-met">2<' in body
    assert 'data-testid="targets-judged">6<' in body
    # Tiles: T02's value; S44 and S52 have no data, T06 is not in this catalogue: 暂无数据.
    t02 = body.split('data-testid="tile-T02"')[1].split("</a>")[0]
    assert "1,200,000" in t02 and "人次" in t02
    for tile in ("S44", "S52", "T06"):
        part = body.split(f'data-testid="tile-{tile}"')[1].split("</a>")[0]
        assert "暂无数据" in part and ">0<" not in part
    assert 'data-testid="tile-T03"' not in body  # only once the catalogue has T03
    # Missed, worst relative gap first, each with its owner.
    missed = re.findall(r'data-testid="missed-(\w+)"', body)
    assert missed == ["S06", "S20", "S29", "T10"]
    s06 = body.split('data-testid="missed-S06"')[1].split("</li>")[0]
    assert "责任单位：区图书馆" in s06 and "街道 1/2 达标" in s06
    t10 = body.split('data-testid="missed-T10"')[1].split("</li>")[0]
    assert "80" in t10 and "≥ 100" in t10 and "差 20" in t10 and "区文化馆" in t10
    # The map: each subdistrict's share of targets met.
    shares = _map_data(body)
    assert shares[tree["s1"].code]["share"] == 75.0
    assert shares[tree["s2"].code]["share"] == 50.0
    assert (shares[tree["s2"].code]["met"], shares[tree["s2"].code]["judged"]) == (2, 4)
    assert f"parent={tree['district'].code}" in body  # the org app's GeoJSON of its children
    # Freshness: the run's finished time, minutes ago and as-of date.
    run = EvaluationRun.objects.get()
    finished = timezone.localtime(run.finished_at).strftime("%Y-%m-%d %H:%M")
    assert f"数据更新于 {finished}（0 分钟前）" in body
    assert "统计截至 2025-12-31" in body


def test_drill_down_to_a_subdistrict_and_a_community(monkeypatch, tree, users, login):
    helpers.world(monkeypatch, tree)
    client = login(users["district"])
    body = _get(client, unit=tree["s2"].code)
    assert 'data-testid="targets-met">2<' in body and 'data-testid="targets-judged">4<' in body
    assert re.findall(r'data-testid="missed-(\w+)"', body) == ["S06", "S20"]
    assert set(_map_data(body)) == {tree["c21"].code, tree["c22"].code}
    body = _get(client, unit=tree["c11"].code)
    assert 'data-testid="targets-met">3<' in body
    assert "没有未达标的目标。" in body
    assert 'data-testid="cockpit-venues"' in body and "测试书房甲" in body


def test_subdistrict_officer_and_community_worker_stay_in_scope(monkeypatch, tree, users, login):
    helpers.world(monkeypatch, tree)
    client = login(users["subdistrict"])
    body = _get(client)
    assert 'data-testid="cockpit-unit">湖墅街道<' in body
    assert tree["s2"].name_zh not in body and "测试书房乙" not in body
    assert client.get(URL, {"year": 2025, "unit": tree["s2"].code}).status_code == 403
    assert client.get(URL, {"year": 2025, "unit": tree["district"].code}).status_code == 403
    worker = login(users["community"])
    body = _get(worker)
    assert f'data-testid="cockpit-unit">{tree["c11"].name_zh}<' in body
    assert tree["c12"].name_zh not in body
    assert worker.get(URL, {"unit": tree["c12"].code}).status_code == 403


def test_no_run_says_so_and_a_district_officer_computes_now(monkeypatch, tree, users, login):
    helpers.world(monkeypatch, tree, run=False)
    evaluator = login(users["evaluator"])
    body = _get(evaluator)
    assert "2025 年尚无评估结果" in body and 'data-testid="cockpit-compute"' not in body
    assert evaluator.post(reverse("cockpit:evaluate"), {"year": 2025}).status_code == 403
    assert not EvaluationRun.objects.exists()
    client = login(users["district"])
    body = _get(client)
    assert 'data-testid="cockpit-compute"' in body
    response = client.post(
        reverse("cockpit:evaluate"), {"year": 2025, "unit": tree["s1"].code}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"{URL}?year=2025&unit={tree['s1'].code}"
    run = EvaluationRun.objects.get()
    assert run.trigger == "manual"
    entry = AuditEntry.objects.get(action="standards.evaluate")
    assert entry.actor == users["district"] and entry.after["year"] == 2025
    assert 'data-testid="targets-met">3<' in response.content.decode()


def test_bad_years_are_refused_clearly(monkeypatch, tree, users, login):
    helpers.install(monkeypatch, tree)
    client = login(users["district"])
    response = client.get(URL, {"year": "2019"})
    assert response.status_code == 422 and "年度应在 2023 至" in response.content.decode()
    assert client.get(URL, {"year": "abc"}).status_code == 422
    response = client.post(reverse("cockpit:evaluate"), {"year": "2019"}, follow=True)
    assert "年度应在 2023 至" in response.content.decode()
    assert not EvaluationRun.objects.exists()


def test_big_screen_has_the_same_figures(monkeypatch, tree, users, login):
    helpers.world(monkeypatch, tree)
    client = login(users["district"])
    for url in (reverse("cockpit:screen"), URL):
        response = client.get(url, {"year": 2025, "screen": "big"})
        body = response.content.decode()
        assert 'class="ck-screen"' in body
        assert 'data-testid="targets-met">2<' in body
        assert re.findall(r'data-testid="missed-(\w+)"', body) == ["S06", "S20", "S29", "T10"]


def test_english(monkeypatch, tree, users, login):
    helpers.world(monkeypatch, tree)
    client = login(users["district"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = _get(client)
    assert "Cockpit" in body and "Targets missed" in body and "No data yet" in body
    assert "Owner of S06" in body and "Figures updated" in body


def _count(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        _get(client)
        _get(client, unit="330105001")
    return len(ctx.captured_queries)


def test_page_query_count_does_not_grow_with_units_or_venues(monkeypatch, tree, users, login):
    from culture.venues.tests.factories import venue

    helpers.world(monkeypatch, tree)
    client = login(users["district"])
    before = _count(client)
    for parent in (tree["s1"], tree["s2"]):
        for _i in range(2):
            c = community(parent=parent)
            venue(operator=parent, at=c)
            activity(c, start_at=local(2025, 4, 1), end_at=local(2025, 4, 1, 11))
    evaluation_run(year=2025, trigger="more")
    assert _count(client) == before
