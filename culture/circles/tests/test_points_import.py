"""Residential points and candidate sites through the spreadsheet framework: coordinates in
any of the three systems, scope, bad rows named by row and column, nothing half-saved."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from culture.circles.models import CandidateSite, ResidentialPoint
from culture.circles.services import candidate_site_upsert, residential_point_upsert
from culture.core import geo
from culture.core.errors import FieldErrors, OutOfScope
from culture.core.models import AuditEntry
from culture.spreadsheets.models import ImportJob
from culture.spreadsheets.tests.helpers import upload, xlsx_bytes
from culture.venues.tests.factories import give_boundaries

pytestmark = pytest.mark.django_db

POINT_HEADERS = ["居住点编号", "名称", "社区代码", "经度", "纬度", "坐标系", "居住人口"]
SITE_HEADERS = ["候选点编号", "名称", "社区代码", "经度", "纬度", "坐标系", "说明"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def centres(tree):
    return give_boundaries()


def run(client, name, headers, rows) -> ImportJob:
    upload(client, name, xlsx_bytes(headers, rows), f"{name}.xlsx")
    return ImportJob.objects.order_by("-created_at").first()


def reasons(job):
    return {e["row"]: (e["column"], e["reason"]) for e in job.errors}


def test_points_in_three_systems_are_stored_in_wgs84(tree, users, login, centres):
    client = login(users["subdistrict"])
    c11, c12 = centres[tree["c11"].code], centres[tree["c12"].code]
    gcj = geo.wgs84_to_gcj02(*c12)
    bd = geo.gcj02_to_bd09(*geo.wgs84_to_gcj02(*c11))
    rows = [
        ["P-1", "大关小区", "", c11[0], c11[1], "", 1200],
        ["P-2", "德胜新村", "", gcj[0], gcj[1], "GCJ-02（高德/腾讯地图）", 800],
        ["P-3", "和睦新村", tree["c11"].code, bd[0], bd[1], "BD-09", 0],
    ]
    job = run(client, "residential_points", POINT_HEADERS, rows)
    assert job.errors == []
    assert job.counts == {"created": 3, "updated": 0, "unchanged": 0}
    p2 = ResidentialPoint.objects.get(code="P-2")
    assert geo.distance_m(p2.lon, p2.lat, *c12) < 1.0
    assert (p2.community, p2.coord_source_system, p2.source) == (tree["c12"], "gcj02", "imported")
    p3 = ResidentialPoint.objects.get(code="P-3")
    assert geo.distance_m(p3.lon, p3.lat, *c11) < 1.0
    assert p3.population == 0
    # The same file again changes nothing; audited once per created point.
    job = run(client, "residential_points", POINT_HEADERS, rows)
    assert job.counts == {"created": 0, "updated": 0, "unchanged": 3}
    assert AuditEntry.objects.filter(action="circles.residential_point_created").count() == 3


def test_bad_point_rows_name_row_and_column_and_nothing_is_saved(tree, users, login, centres):
    client = login(users["subdistrict"])
    lon, lat = centres[tree["c11"].code]
    out_lon, out_lat = centres[tree["c21"].code]
    rows = [
        ["OK-1", "好的一行", "", lon, lat, "", 100],
        ["BAD-1", "负人口", "", lon, lat, "", -5],
        ["BAD-2", "区外", "", 120.60, 30.31, "", 10],
        ["BAD-3", "别的街道", "", out_lon, out_lat, "", 10],
        ["BAD-4", "没有社区", "330105999999", lon, lat, "", 10],
        ["OK-1", "重复编号", "", lon, lat, "", 10],
        ["BAD-6", "小数人口", "", lon, lat, "", 10.5],
        ["BAD-7", "没有经度", "", "", lat, "", 10],
    ]
    job = run(client, "residential_points", POINT_HEADERS, rows)
    got = reasons(job)
    assert got[3] == ("居住人口", "居住人口不能为负数")
    assert got[4][0] == "经度" and "不在本区范围内" in got[4][1]
    assert got[5] == ("经度", "该数据不在您的管辖范围内，不能修改")
    assert got[6] == ("社区代码", "没有区划代码为 330105999999 的社区")
    assert got[7] == ("居住点编号", "与第 2 行重复")
    assert got[8] == ("居住人口", "应为整数，不能有小数")
    assert got[9] == ("经度", "必填项不能为空")
    assert 2 not in got
    assert not ResidentialPoint.objects.exists()


def test_candidate_sites_import_duplicates_refused(tree, users, login, centres):
    client = login(users["district"])
    lon, lat = centres[tree["c21"].code]
    rows = [
        ["S-1", "空置商铺", "", lon, lat, "", "120平方米"],
        ["S-2", "同一位置", "", lon, lat, "", ""],
    ]
    job = run(client, "candidate_sites", SITE_HEADERS, rows)
    assert reasons(job) == {3: ("经度", "与本文件中的候选点 S-1 位置重复")}
    assert not CandidateSite.objects.exists()
    job = run(client, "candidate_sites", SITE_HEADERS, rows[:1])
    assert job.counts == {"created": 1, "updated": 0, "unchanged": 0}
    site = CandidateSite.objects.get()
    assert (site.community, site.note) == (tree["c21"], "120平方米")
    # Another code at the same place as a stored site: refused by the service too.
    with pytest.raises(FieldErrors) as exc:
        candidate_site_upsert(actor=users["district"], code="S-9", lon=lon, lat=lat)
    assert exc.value.errors == {"lon": ["与候选点 S-1 位置重复"]}


def test_services_scope_and_evaluators(tree, users, centres):
    lon, lat = centres[tree["c12"].code]
    # The community worker of c11 cannot write into c12; the evaluator never writes.
    with pytest.raises(OutOfScope):
        residential_point_upsert(actor=users["community"], code="X", lon=lon, lat=lat, population=5)
    with pytest.raises(OutOfScope):
        residential_point_upsert(actor=users["evaluator"], code="X", lon=lon, lat=lat, population=5)
    point, outcome = residential_point_upsert(
        actor=users["subdistrict"], code="X", lon=lon, lat=lat, population=5, name="小区"
    )
    assert (outcome, point.community) == ("created", tree["c12"])
    point, outcome = residential_point_upsert(
        actor=users["subdistrict"], code="X", lon=lon, lat=lat, population=7, name="小区"
    )
    assert (outcome, point.population) == ("updated", 7)
    entry = AuditEntry.objects.get(action="circles.residential_point_updated")
    assert (entry.before, entry.after) == ({"population": 5}, {"population": 7})


def test_export_reimports_and_is_scoped(tree, users, login, centres):
    for code, unit in (("E-1", "c11"), ("E-2", "c21")):
        lon, lat = centres[tree[unit].code]
        residential_point_upsert(actor=None, code=code, lon=lon, lat=lat, population=50)
    client = login(users["subdistrict"])
    resp = client.get("/spreadsheets/export/residential_points/?format=xlsx")
    assert resp.status_code == 200
    body = b"".join(resp.streaming_content) if resp.streaming else resp.content
    rows = list(load_workbook(io.BytesIO(body)).worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["E-1"]
    job = run(client, "residential_points", list(rows[0]), [list(r) for r in rows[1:]])
    assert job.errors == []
    assert job.counts == {"created": 0, "updated": 0, "unchanged": 1}


def test_delete_is_scoped_and_audited(tree, users, centres):
    from culture.circles.services import candidate_site_delete, residential_point_delete
    from culture.core.errors import NotFound

    lon, lat = centres[tree["c12"].code]
    residential_point_upsert(actor=None, code="D-1", lon=lon, lat=lat, population=5)
    candidate_site_upsert(actor=None, code="S-D", lon=lon, lat=lat)
    with pytest.raises(OutOfScope):  # c12 is not the community worker's (c11)
        residential_point_delete(actor=users["community"], code="D-1")
    residential_point_delete(actor=users["subdistrict"], code="D-1")
    candidate_site_delete(actor=users["district"], code="S-D")
    assert not ResidentialPoint.objects.exists() and not CandidateSite.objects.exists()
    entry = AuditEntry.objects.get(action="circles.residential_point_deleted")
    assert (entry.target_label, entry.before["population"]) == ("D-1", 5)
    with pytest.raises(NotFound):
        residential_point_delete(actor=users["district"], code="D-1")
