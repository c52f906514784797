"""Issue 3, "How we will check": a registry made OUTSIDE the project's code. The .xlsx files in
fixtures/libreoffice/ were written by LibreOffice Calc from hand-written CSVs (see the README
there), with GCJ-02 and BD-09 coordinates of real places in Gongshu as Chinese web maps give
them. They go through the import pages like any upload; the pages, the API and the exports must
then show what was put in. LibreOffice is not needed to run this test: the files are committed.

The expected WGS-84 positions are computed here, independently of ``culture.core.geo``: the
published GCJ-02 formula is re-implemented below and first checked against published test
vectors (eviltransform's), and the Hangzhou shift is checked to be the known ~0.005 deg.
"""

from __future__ import annotations

import io
import math
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from culture.accounts.tests.factories import staff_user
from culture.core.roles import Role
from culture.org.models import OrgLevel
from culture.org.services import org_unit_create
from culture.spreadsheets.models import ImportJob, ImportStatus
from culture.spreadsheets.tests.helpers import upload

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "libreoffice"
SHANGHAI = ZoneInfo("Asia/Shanghai")

# ----- an independent GCJ-02 / BD-09 reference -------------------------------------------------
_A, _EE = 6378245.0, 0.00669342162296594323


def _shift(lon: float, lat: float) -> tuple[float, float]:
    x, y = lon - 105.0, lat - 35.0
    common = (20 * math.sin(6 * x * math.pi) + 20 * math.sin(2 * x * math.pi)) * 2 / 3
    dlat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x)) + common
    dlat += (20 * math.sin(y * math.pi) + 40 * math.sin(y / 3 * math.pi)) * 2 / 3
    dlat += (160 * math.sin(y / 12 * math.pi) + 320 * math.sin(y * math.pi / 30)) * 2 / 3
    dlon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x)) + common
    dlon += (20 * math.sin(x * math.pi) + 40 * math.sin(x / 3 * math.pi)) * 2 / 3
    dlon += (150 * math.sin(x / 12 * math.pi) + 300 * math.sin(x / 30 * math.pi)) * 2 / 3
    rad = lat / 180 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    dlat = dlat * 180 / ((_A * (1 - _EE)) / (magic * math.sqrt(magic)) * math.pi)
    dlon = dlon * 180 / (_A / math.sqrt(magic) * math.cos(rad) * math.pi)
    return dlon, dlat


def ref_wgs_to_gcj(lon: float, lat: float) -> tuple[float, float]:
    dlon, dlat = _shift(lon, lat)
    return lon + dlon, lat + dlat


def ref_gcj_to_wgs(lon: float, lat: float) -> tuple[float, float]:
    wlon, wlat = lon, lat
    for _ in range(50):
        glon, glat = ref_wgs_to_gcj(wlon, wlat)
        wlon, wlat = wlon + (lon - glon), wlat + (lat - glat)
    return wlon, wlat


def ref_bd_to_gcj(lon: float, lat: float) -> tuple[float, float]:
    x_pi = math.pi * 3000 / 180
    x, y = lon - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * x_pi)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * x_pi)
    return z * math.cos(theta), z * math.sin(theta)


def ref_bd_to_wgs(lon: float, lat: float) -> tuple[float, float]:
    return ref_gcj_to_wgs(*ref_bd_to_gcj(lon, lat))


def metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Haversine distance (not the project's projection)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


def test_the_reference_reproduces_published_vectors():
    # eviltransform's test vectors: (wgs lat, wgs lon, gcj lat, gcj lon)
    for wlat, wlon, glat, glon in [
        (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # Shanghai
        (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # Shenzhen
        (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # Beijing
    ]:
        lon, lat = ref_wgs_to_gcj(wlon, wlat)
        assert metres(lon, lat, glon, glat) < 0.01
        lon, lat = ref_gcj_to_wgs(glon, glat)
        assert metres(lon, lat, wlon, wlat) < 0.01
    # coordtransform's README example (116.404, 39.915)
    lon, lat = ref_wgs_to_gcj(116.404, 39.915)
    assert metres(lon, lat, 116.41024449916938, 39.91640428150164) < 0.01
    lon, lat = ref_bd_to_gcj(116.404, 39.915)
    assert metres(lon, lat, 116.39762729119315, 39.90865673957631) < 0.01
    # Beijing railway station as the two maps give it: GCJ-02 (116.42703, 39.90245), BD-09
    # (116.43351, 39.90851), to five decimals
    lon, lat = ref_bd_to_gcj(116.43351, 39.90851)
    assert metres(lon, lat, 116.42703, 39.90245) < 5.0


# ----- what was put in (the CSVs LibreOffice read) ----------------------------------------------
# code: (GCJ-02/BD-09/WGS-84 lon, lat as typed, system, name, kind label, operator, location)
VENUES = {
    "GS-YHBWY": (120.1436, 30.3214, "gcj02", "京杭大运河博物院", "博物馆", "330105", "330105013001"),
    "GS-GCQ-SF": (120.1408, 30.3189, "gcj02", "拱宸桥城市书房", "城市书房", "330105013", "330105013001"),
    "GS-FYC-WY": (120.1512, 30.3018, "bd09", "富义仓文化驿站", "文化驿站", "330105010", "330105010001"),
    "GS-XHZJ-YY": (120.1350, 30.3110, "gcj02", "小河直街演艺点", "文艺星火赋美演艺点", "330105011", "330105011001"),
    "GS-HZJY": (120.1607, 30.2791, "wgs84", "杭州剧院", "剧院", "330105", "330105001001"),
    "GS-WLGC-YB": (120.1639, 30.2771, "gcj02", "武林广场阅报栏", "阅报栏", "330105001", "330105001001"),
}  # fmt: skip
SYSTEM_LABELS = {"gcj02": "GCJ-02", "bd09": "BD-09", "wgs84": "WGS-84"}


def expected_wgs(code: str) -> tuple[float, float]:
    lon, lat, system, *_rest = VENUES[code]
    if system == "gcj02":
        return ref_gcj_to_wgs(lon, lat)
    if system == "bd09":
        return ref_bd_to_wgs(lon, lat)
    return lon, lat


def test_the_hangzhou_shift_is_the_known_one():
    """GCJ-02 in Hangzhou sits about 0.0046-0.0050 deg east and 0.0023-0.0026 deg south of
    WGS-84 (some 470 m east and 270 m south): the expectations below are not nonsense."""
    for code, (lon, lat, system, *_rest) in VENUES.items():
        if system != "gcj02":
            continue
        wlon, wlat = expected_wgs(code)
        assert 0.0044 < lon - wlon < 0.0052, code
        assert 0.0021 < wlat - lat < 0.0028, code


# ----- the district they belong to ---------------------------------------------------------------
def _rect(west: float, south: float, east: float, north: float) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


# Four subdistricts in bands of latitude (one community each) holding the real places.
BANDS = (
    ("330105001", "武林街道", 30.25, 30.29),
    ("330105010", "湖墅街道", 30.29, 30.305),
    ("330105011", "小河街道", 30.305, 30.317),
    ("330105013", "拱宸桥街道", 30.317, 30.40),
)
WEST, EAST = 120.08, 120.24


@pytest.fixture
def gongshu(db):
    district = org_unit_create(
        actor=None, code="330105", level=OrgLevel.DISTRICT, name_zh="拱墅区", parent=None,
        population=1_190_000, boundary=_rect(WEST, 30.25, EAST, 30.40),
    )  # fmt: skip
    for code, name, south, north in BANDS:
        sub = org_unit_create(
            actor=None, code=code, level=OrgLevel.SUBDISTRICT, name_zh=name, parent=district,
            population=60000, boundary=_rect(WEST, south, EAST, north),
        )  # fmt: skip
        org_unit_create(
            actor=None, code=f"{code}001", level=OrgLevel.COMMUNITY,
            name_zh=name.replace("街道", "社区"), parent=sub, population=8000,
            boundary=_rect(WEST, south, EAST, north),
        )  # fmt: skip
    return district


@pytest.fixture
def officer(gongshu, client):
    user = staff_user(Role.DISTRICT_OFFICER)
    client.force_login(user)
    return client


def import_file(client, importer: str) -> ImportJob:
    content = (FIXTURES / f"{importer}.xlsx").read_bytes()
    upload(client, importer, content, f"{importer}.xlsx")
    job = ImportJob.objects.filter(importer=importer).order_by("-created_at").first()
    assert job is not None
    assert job.errors == [] and job.status == ImportStatus.DONE, (job.message, job.errors)
    return job


def import_all(client) -> dict[str, dict]:
    return {
        name: import_file(client, name).counts
        for name in ("venues", "rooms", "teams", "activities")
    }


def export_list(client, name: str) -> list[dict]:
    """The export of ``name`` re-opened with openpyxl: one {header: value} per row."""
    response = client.get(f"/spreadsheets/export/{name}/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), data_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    headers = [str(h).rstrip("*") for h in rows[0]]
    return [dict(zip(headers, row, strict=False)) for row in rows[1:] if row[0]]


def export_rows(client, name: str) -> dict[str, dict]:
    """{first cell (the code): row} of the export of ``name``."""
    return {next(iter(row.values())): row for row in export_list(client, name)}


def local(text: str) -> datetime:
    """An API date-time (ISO 8601, any offset) in Asia/Shanghai."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(SHANGHAI)


# ----- the rehearsal -----------------------------------------------------------------------------
def test_libreoffice_files_are_what_libreoffice_makes():
    """Guard: the fixtures hold the typed cells that are the point of the rehearsal."""
    sheet = load_workbook(FIXTURES / "teams.xlsx", read_only=True).worksheets[0]
    row = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert isinstance(row[3], int)  # unit code as a number
    assert isinstance(row[8], datetime)  # founded on as a date cell
    sheet = load_workbook(FIXTURES / "venues.xlsx", read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(min_row=3, max_row=4, values_only=True))
    assert rows[0][13] is True and rows[1][13] == 1  # TRUE and 1 for "yes"


def test_every_row_imports_and_a_second_import_changes_nothing(officer):
    assert import_all(officer) == {
        "venues": {"created": 6, "updated": 0, "unchanged": 0},
        "rooms": {"created": 4, "updated": 0, "unchanged": 0},
        "teams": {"created": 3, "updated": 0, "unchanged": 0},
        "activities": {"created": 4, "updated": 0, "unchanged": 0},
    }
    again = {"created": 0, "updated": 0, "unchanged": 0}
    assert import_all(officer) == {
        "venues": {**again, "unchanged": 6},
        "rooms": {**again, "unchanged": 4},
        "teams": {**again, "unchanged": 3},
        "activities": {**again, "unchanged": 4},
    }


def test_venue_pages_and_api_show_the_converted_coordinates(officer):
    import_all(officer)
    for code, (_lon, _lat, system, name, kind, operator, community) in VENUES.items():
        wlon, wlat = expected_wgs(code)
        html = officer.get(f"/venues/{code}/").content.decode()
        assert name in html and kind in html
        shown = re.search(r"经纬度（WGS-84）</dt><dd>([\d.]+), ([\d.]+)", html)
        assert shown is not None, code
        assert metres(float(shown[1]), float(shown[2]), wlon, wlat) < 3.0, code
        assert SYSTEM_LABELS[system] in html  # the source system is said
        data = officer.get(f"/api/venues/{code}").json()
        assert metres(data["lon"], data["lat"], wlon, wlat) < 3.0, code
        assert (data["name_zh"], data["operator_unit"]) == (name, operator)
        assert data["location_community"] == community, code
    museum = officer.get("/api/venues/GS-YHBWY").json()
    assert Decimal(str(museum["floor_area_m2"])) == 108000
    assert museum["opening_hours"] == "Tu-Su 09:00-17:00; PH 09:00-17:00"
    assert museum["weekly_hours"] == 48.0
    assert (museum["has_wifi"], museum["is_accessible"]) == (True, True)
    assert sorted((r["name"], r["capacity"]) for r in museum["rooms"]) == [
        ("学术报告厅", 300),
        ("研学教室", 40),
    ]
    bookroom = officer.get("/api/venues/GS-GCQ-SF").json()
    assert bookroom["opening_hours"] == "24/7" and bookroom["weekly_hours"] == 168.0
    assert bookroom["bookroom_certification"] == "city"
    assert (bookroom["has_wifi"], bookroom["is_accessible"]) == (True, True)  # TRUE cells
    post = officer.get("/api/venues/GS-FYC-WY").json()
    assert (post["has_wifi"], post["is_accessible"]) == (True, False)  # 1 and 0 cells
    theatre = officer.get("/api/venues/GS-HZJY").json()
    assert theatre["fee_policy"] == "low" and theatre["theatre_seats"] == 1600
    assert Decimal(str(theatre["ticket_price"])) == 80
    assert Decimal(str(theatre["market_price"])) == 180


def test_team_and_activity_pages_and_api(officer):
    import_all(officer)
    team = officer.get("/api/teams/teams/T-GCQ-01").json()
    assert team["org_unit"] == "330105013001" and team["kind"] == "choir"
    assert (team["members_count"], team["leader_name"]) == (36, "王丽华")
    assert team["rehearsal_venue"] == "GS-GCQ-SF"
    assert (team["founded_on"], team["last_active_on"]) == ("2012-05-20", "2025-09-28")
    assert team["members"] == [
        {"name": "王丽华", "role": "团长"},
        {"name": "张建国", "role": "指挥"},
    ]
    xiqu = officer.get("/api/teams/teams/T-HS-01").json()
    assert (xiqu["org_unit"], xiqu["founded_on"], xiqu["is_active"]) == (
        "330105010",
        "2016-03-08",
        True,
    )
    assert xiqu["rehearsal_place"] == "富义仓戏台"
    assert officer.get("/api/teams/teams/T-WL-01").json()["is_active"] is False
    html = officer.get("/teams/team/T-GCQ-01/").content.decode()
    assert "拱宸桥运河合唱团" in html and "拱宸桥城市书房" in html

    items = officer.get("/api/activities/?limit=200").json()["items"]
    by_id = {a["external_id"]: a for a in items}
    assert set(by_id) == {"LO-2025-001", "LO-2025-002", "LO-2025-003", "LO-2025-004"}
    show = by_id["LO-2025-001"]
    assert (show["kind"], show["organiser"], show["venue"]) == (
        "performance",
        "330105013",
        "GS-YHBWY",
    )
    assert local(show["start_at"]) == datetime(2025, 10, 18, 19, 0, tzinfo=SHANGHAI)
    assert local(show["end_at"]) == datetime(2025, 10, 18, 21, 0, tzinfo=SHANGHAI)
    assert (show["attendance"], show["brand"]) == (850, "canal_four_seasons")
    assert sorted(show["target_groups"]) == ["elderly", "minors"]
    assert local(by_id["LO-2025-002"]["start_at"]) == datetime(2025, 9, 6, 14, 30, tzinfo=SHANGHAI)
    assert by_id["LO-2025-002"]["is_signature"] is True
    film = by_id["LO-2025-003"]
    assert (film["film_release_date"], film["film_domestic"]) == ("2023-01-22", True)
    online = by_id["LO-2025-004"]
    assert (online["online"], online["venue"], online["sessions"]) == (True, None, 3)
    html = officer.get(f"/activities/{show['id']}/").content.decode()
    assert "运河文化四季歌·秋韵专场" in html and "京杭大运河博物院" in html


def test_exports_give_back_what_was_put_in(officer):
    import_all(officer)
    venues = export_rows(officer, "venues")
    assert set(venues) == set(VENUES)
    for code, (_lon, _lat, _system, name, kind, operator, community) in VENUES.items():
        row = venues[code]
        wlon, wlat = expected_wgs(code)
        assert metres(float(row["经度"]), float(row["纬度"]), wlon, wlat) < 3.0, code
        assert row["坐标系"].startswith("WGS-84")  # exports are in WGS-84
        assert (row["名称"], row["类型"], str(row["运营单位代码"])) == (name, kind, operator)
        assert str(row["所在社区代码"]) == community
    assert venues["GS-HZJY"]["剧场座位数"] == 1600
    assert venues["GS-HZJY"]["收费方式"] == "低收费"
    assert venues["GS-GCQ-SF"]["城市书房认证等级"] == "市级认证"
    assert venues["GS-GCQ-SF"]["开放时间"] == "24/7"
    assert (venues["GS-FYC-WY"]["免费Wi-Fi"], venues["GS-FYC-WY"]["无障碍设施"]) == ("是", "否")

    rooms = {(r["场馆编码"], r["活动室名称"]): r for r in export_list(officer, "rooms")}
    assert {k: (r["容纳人数"], r["可用"]) for k, r in rooms.items()} == {
        ("GS-YHBWY", "学术报告厅"): (300, "是"),
        ("GS-YHBWY", "研学教室"): (40, "是"),
        ("GS-GCQ-SF", "阅读分享区"): (30, "是"),
        ("GS-HZJY", "排练厅"): (60, "否"),
    }
    assert Decimal(str(rooms[("GS-YHBWY", "学术报告厅")]["面积（平方米）"])) == Decimal("450.5")

    teams = export_rows(officer, "teams")
    assert set(teams) == {"T-GCQ-01", "T-HS-01", "T-WL-01"}
    choir = teams["T-GCQ-01"]
    assert (choir["团队类别"], str(choir["所属单位代码"]), choir["成员人数"]) == (
        "合唱团",
        "330105013001",
        36,
    )
    assert choir["成立日期"].date() == date(2012, 5, 20)
    assert teams["T-HS-01"]["成立日期"].date() == date(2016, 3, 8)
    assert teams["T-WL-01"]["活跃"] == "否"

    activities = export_rows(officer, "activities")
    assert set(activities) == {"LO-2025-001", "LO-2025-002", "LO-2025-003", "LO-2025-004"}
    show = activities["LO-2025-001"]
    assert (show["活动类型"], str(show["主办单位代码"]), show["场馆编码"]) == (
        "文艺演出",
        "330105013",
        "GS-YHBWY",
    )
    # local wall-clock time in the cell
    assert show["开始时间"].replace(tzinfo=SHANGHAI) == datetime(
        2025, 10, 18, 19, 0, tzinfo=SHANGHAI
    )
    assert show["参与人次"] == 850
    assert activities["LO-2025-004"]["服务场次"] == 3


# ----- regressions: what the rehearsal tripped on ------------------------------------------------
def test_a_choice_may_be_typed_without_its_bracketed_note():
    """People type "GCJ-02" (what the help text says), not the whole label
    "GCJ-02（高德/腾讯地图）"; a short name shared by two choices stays refused."""
    from culture.core.errors import ValidationFailed
    from culture.spreadsheets.framework import Column
    from culture.venues.models import CoordSystem, VenueKind

    column = Column("coord_system", "坐标系", "Coordinate system", choices=CoordSystem)
    assert [column.convert(t) for t in ("GCJ-02", "bd-09", "WGS-84", "WGS-84（GPS）", "gcj02")] == [
        "gcj02",
        "bd09",
        "wgs84",
        "wgs84",
        "gcj02",
    ]
    kind = Column("kind", "类型", "Kind", choices=VenueKind)
    assert kind.convert("球场") == "sports_court"  # 球场（五人制足球场/笼式球场）
    assert kind.convert("美育基地") == "arts_education_base"  # 美育（艺术教育）基地
    twins = Column("x", "x", "x", choices=[("a", "甲（一）"), ("b", "甲（二）")])
    assert twins.convert("甲（二）") == "b"
    with pytest.raises(ValidationFailed):
        twins.convert("甲")


def test_numbers_are_kept_to_the_places_the_database_keeps(gongshu):
    """Calc writes 108000 and 80 where the database holds 108000.0 and 80.00: the same value
    imported again is "unchanged" (no spurious update in the audit log), and extra decimals
    are rounded as the database would."""
    from culture.core.models import AuditEntry
    from culture.venues.services import room_upsert, venue_upsert

    fields = dict(name_zh="杭州剧院", kind="theatre", operator_unit=gongshu, lon=120.1607,
                  lat=30.2791, fee_policy="low", ticket_price=80, market_price=180,
                  floor_area_m2=Decimal("22000"))  # fmt: skip
    venue, outcome = venue_upsert(actor=None, code="GS-HZJY", **fields)
    assert outcome == "created"
    assert (venue.floor_area_m2, venue.ticket_price) == (Decimal("22000.0"), Decimal("80.00"))
    assert venue_upsert(actor=None, code="GS-HZJY", **{**fields, "ticket_price": 80.0})[1] == (
        "unchanged"
    )
    assert not AuditEntry.objects.filter(action="venues.venue_updated").exists()
    venue, outcome = venue_upsert(
        actor=None, code="GS-HZJY", **{**fields, "floor_area_m2": 22000.04}
    )
    assert outcome == "unchanged" and venue.floor_area_m2 == Decimal("22000.0")
    room, outcome = room_upsert(actor=None, venue=venue, name="排练厅", capacity=60, area_m2=120)
    assert outcome == "created" and room.area_m2 == Decimal("120.0")
    assert room_upsert(actor=None, venue=venue, name="排练厅", capacity=60, area_m2=120)[1] == (
        "unchanged"
    )
    room, outcome = room_upsert(actor=None, venue=venue, name="排练厅", capacity=60, area_m2=120.25)
    assert outcome == "updated" and room.area_m2 == Decimal("120.3")
