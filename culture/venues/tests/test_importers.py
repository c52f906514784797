"""Venue and room import/export through the spreadsheets framework, with real xlsx/csv files."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from culture.core import geo
from culture.spreadsheets.models import ImportJob
from culture.spreadsheets.tests.helpers import csv_text, upload, xlsx_bytes
from culture.venues.models import Room, Venue
from culture.venues.tests.factories import give_boundaries, venue

HEADERS = ["场馆编码", "名称", "类型", "运营单位代码", "经度", "纬度", "坐标系", "开放时间",
           "免费Wi-Fi", "减免对象", "剧场座位数"]  # fmt: skip


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def centres(tree):
    return give_boundaries()


def run(client, name, headers, rows, filename="venues.xlsx") -> ImportJob:
    upload(client, name, xlsx_bytes(headers, rows), filename)
    return ImportJob.objects.order_by("-created_at").first()


def reasons(job):
    return [(e["row"], e["column"], e["reason"]) for e in job.errors]


def test_gcj02_column_is_converted_and_reimport_updates(tree, users, login, centres):
    client = login(users["subdistrict"])
    wgs = centres[tree["c12"].code]
    gcj = geo.wgs84_to_gcj02(*wgs)
    rows = [
        ["HS-SF-01", "湖墅城市书房", "城市书房", tree["s1"].code, gcj[0], gcj[1], "GCJ-02（高德/腾讯地图）",
         "Mo-Fr 09:00-21:00; Sa,Su 09:00-17:00", "是", "老年人、未成年人", ""],
        ["HS-WY-01", "湖墅文化驿站", "文化驿站", tree["s1"].code, wgs[0], wgs[1], "",
         "Tu-Su 09:00-17:00", "否", "", ""],
    ]  # fmt: skip
    job = run(client, "venues", HEADERS, rows)
    assert job.errors == []
    assert job.counts == {"created": 2, "updated": 0, "unchanged": 0}
    v = Venue.objects.get(code="HS-SF-01")
    assert geo.distance_m(v.lon, v.lat, *wgs) < 1.0
    assert v.coord_source_system == "gcj02"
    assert v.location_community == tree["c12"]
    assert v.weekly_hours == 76 and v.has_wifi is True
    assert v.waiver_groups == ["elderly", "minors"]
    # The same file again: nothing changes.
    job = run(client, "venues", HEADERS, rows)
    assert job.counts == {"created": 0, "updated": 0, "unchanged": 2}
    rows[1][1] = "湖墅文化驿站（新）"
    job = run(client, "venues", HEADERS, rows)
    assert job.counts == {"created": 0, "updated": 1, "unchanged": 1}
    assert Venue.objects.count() == 2


def test_bad_rows_name_row_and_column_and_nothing_is_saved(tree, users, login, centres):
    client = login(users["subdistrict"])
    lon, lat = centres[tree["c11"].code]
    rows = [
        ["OK-1", "好的一行", "城市书房", tree["s1"].code, lon, lat, "", "Mo-Su 09:00-17:00", "", "", ""],
        ["BAD-1", "坏开放时间", "城市书房", tree["s1"].code, lon, lat, "", "Mo-Fr 9点-5点", "", "", ""],
        ["BAD-2", "区外", "城市书房", tree["s1"].code, 120.60, 30.31, "", "", "", "", ""],
        ["BAD-3", "书房有座位", "城市书房", tree["s1"].code, lon, lat, "", "", "", "", 300],
        ["BAD-4", "别的街道", "城市书房", tree["s2"].code, lon, lat, "", "", "", "", ""],
        ["BAD-5", "坏减免", "城市书房", tree["s1"].code, lon, lat, "", "", "", "宠物", ""],
    ]  # fmt: skip
    job = run(client, "venues", HEADERS, rows)
    got = reasons(job)
    by_row = {r: (c, m) for r, c, m in got}
    assert by_row[3][0] == "开放时间" and "Mo-Fr 9点-5点" in by_row[3][1]
    assert "expected" in by_row[3][1]  # the parser's message is quoted
    assert by_row[4][0] == "经度" and "不在本区范围内" in by_row[4][1]
    assert by_row[5] == ("剧场座位数", "城市书房没有‘剧场座位数’")
    assert by_row[6][0] == "运营单位代码" and "不在您的管辖范围内" in by_row[6][1]
    assert by_row[7][0] == "减免对象" and "宠物" in by_row[7][1]
    assert 2 not in by_row
    assert not Venue.objects.exists()


def test_bd09_from_csv_in_gbk(tree, users, login, centres):
    client = login(users["district"])
    wgs = centres[tree["c21"].code]
    bd = geo.gcj02_to_bd09(*geo.wgs84_to_gcj02(*wgs))
    text = csv_text(
        ["场馆编码", "名称", "类型", "运营单位代码", "经度", "纬度", "坐标系"],
        [["TH-1", "运河大剧院", "剧院", tree["district"].code, bd[0], bd[1], "BD-09（百度地图）"]],
    )
    upload(client, "venues", text.encode("gbk"), "venues.csv")
    job = ImportJob.objects.order_by("-created_at").first()
    assert job.errors == []
    v = Venue.objects.get(code="TH-1")
    assert geo.distance_m(v.lon, v.lat, *wgs) < 1.0
    assert v.location_community == tree["c21"]


def test_rooms_import_and_scope(tree, users, login, centres):
    mine = venue(operator=tree["s1"], code="R-MINE")
    venue(operator=tree["s2"], code="R-OTHER")
    client = login(users["subdistrict"])
    headers = ["场馆编码", "活动室名称", "容纳人数", "设备"]
    job = run(
        client, "rooms", headers, [["R-MINE", "排练厅", 40, "钢琴"], ["R-OTHER", "大厅", 100, ""]]
    )
    assert [(r, c) for r, c, _m in reasons(job)] == [(3, "场馆编码")]
    assert not Room.objects.exists()
    job = run(client, "rooms", headers, [["R-MINE", "排练厅", 40, "钢琴"]])
    assert job.counts == {"created": 1, "updated": 0, "unchanged": 0}
    assert mine.rooms.get().equipment == "钢琴"


def test_export_reimports_and_is_scoped(tree, users, login, centres):
    venue(operator=tree["s1"], code="E-1", name_zh='=HYPERLINK("x")', waiver_groups=["elderly"])
    venue(operator=tree["s2"], code="E-2")
    client = login(users["subdistrict"])
    resp = client.get("/spreadsheets/export/venues/?format=xlsx")
    assert resp.status_code == 200
    wb = load_workbook(
        io.BytesIO(b"".join(resp.streaming_content) if resp.streaming else resp.content)
    )
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    codes = [r[header.index("场馆编码")] for r in rows[1:]]
    assert codes == ["E-1"]
    row = rows[1]
    assert row[header.index("名称")] == '\'=HYPERLINK("x")'
    assert row[header.index("减免对象")] == "老年人"
    assert row[header.index("所在社区代码")] == tree["c11"].code
    # Re-import the exported file: nothing changes.
    out = io.BytesIO()
    wb.save(out)
    upload(client, "venues", out.getvalue(), "export.xlsx")
    job = ImportJob.objects.order_by("-created_at").first()
    assert job.errors == []
    assert job.counts == {"created": 0, "updated": 0, "unchanged": 1}
    assert Venue.objects.get(code="E-1").name_zh == '=HYPERLINK("x")'
