"""The public circle page (no sign-in, no personal data), its QR code (SVG and PNG, encoding the
stable absolute URL) and its printable A4 poster."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import segno
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from culture.accounts.services import resident_register
from culture.activities.services import activity_cancel
from culture.activities.tests.factories import activity
from culture.circles.registry import circle_accept, circle_create, circle_update
from culture.circles.tests.circle_data import GOOD, complete_circle, place, with_centroids
from culture.org.services import org_unit_update
from culture.venues.models import VenueKind
from culture.venues.services import venue_update

pytestmark = pytest.mark.django_db
URL = "http://127.0.0.1:8000/circles/c/QC330105001001/"
CSS = Path(__file__).resolve().parents[1] / "static" / "circles" / "public.css"


@pytest.fixture
def circle(tree):
    with_centroids()
    return complete_circle(tree["c11"])


def expected(url: str, kind: str) -> bytes:
    out = io.BytesIO()
    options = {"scale": 10, "light": "#fff"} if kind == "svg" else {"scale": 12}
    segno.make(url, error="m", micro=False).save(out, kind=kind, border=4, **options)
    return out.getvalue()


def test_the_public_page_needs_no_sign_in(client, circle, tree):
    place(tree["c11"], kind=VenueKind.READING_ROOM, east=900, name_zh="隔壁阅览室", **GOOD)
    place(tree["c21"], kind=VenueKind.CITY_BOOKROOM, east=0, name_zh="远处的书房", **GOOD)
    response = client.get(reverse("circles:circle_public", args=[circle.code]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "样板文化圈" in text and "运河书香" in text
    assert "样板文化家园" in text and "约 100 米" in text
    assert "样板城市书房" in text and "约 300 米" in text and "约 400 米" in text
    assert "隔壁阅览室" in text and "约 900 米" in text  # within reach, not one of the circle's
    assert "远处的书房" not in text  # 3.8 km away
    assert "public.css" in text


def test_open_now_from_the_opening_hours(client, circle):
    venue_update(actor=None, venue=circle.essential_venue, opening_hours="24/7")
    space = circle.spaces.order_by("code").first()
    venue_update(actor=None, venue=space, opening_hours="Jan 01 09:00-09:01")
    text = client.get(reverse("circles:circle_public", args=[circle.code])).content.decode()
    items = text.split('class="pc-item"')
    essential = next(i for i in items if "样板文化家园" in i)
    other = next(i for i in items if space.name_zh in i)
    assert "正在开放" in essential
    assert "现在不开放" in other


def test_this_weeks_activities_only(client, circle, tree):
    now = timezone.localtime()
    monday = now.date() - timedelta(days=now.weekday())
    at = lambda d, h: datetime(d.year, d.month, d.day, h, tzinfo=now.tzinfo)  # noqa: E731
    venue = circle.essential_venue
    activity(
        tree["c11"], venue=venue, title="本周书法课", start_at=at(monday, 9), end_at=at(monday, 10)
    )
    sunday = monday + timedelta(days=6)
    activity(
        tree["s1"], venue=venue, title="周日演出", start_at=at(sunday, 19), end_at=at(sunday, 21)
    )
    last = monday - timedelta(days=1)
    activity(
        tree["c11"], venue=venue, title="上周的讲座", start_at=at(last, 9), end_at=at(last, 10)
    )
    gone = activity(tree["c11"], venue=venue, title="取消的活动", start_at=at(monday, 14),
                    end_at=at(monday, 15))  # fmt: skip
    activity_cancel(actor=None, activity=gone)
    text = client.get(reverse("circles:circle_public", args=[circle.code])).content.decode()
    assert "本周书法课" in text and "周日演出" in text
    assert "上周的讲座" not in text and "取消的活动" not in text


def test_no_personal_data(client, circle, tree, users):
    circle_accept(actor=users["district"], circle=circle)
    resident_register(actor=None, name="居民张三", phone="13957112345", password="a-long-password-9",
                      id_number="330105199001011233", community=tree["c11"])  # fmt: skip
    text = client.get(reverse("circles:circle_public", args=[circle.code])).content.decode()
    for secret in ("居民张三", "13957112345", "330105199001011233", users["district"].username,
                   str(users["district"])):  # fmt: skip
        assert secret not in text


def test_unknown_code_is_404(client, circle):
    assert client.get(reverse("circles:circle_public", args=["QC999"])).status_code == 404
    assert client.get(reverse("circles:circle_qr_svg", args=["QC999"])).status_code == 404


def test_qr_svg_and_png_encode_the_stable_public_url(client, circle):
    svg = client.get(reverse("circles:circle_qr_svg", args=[circle.code]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<?xml") and b"<svg" in svg.content
    assert svg.content == expected(URL, "svg")
    png = client.get(reverse("circles:circle_qr_png", args=[circle.code]))
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n" and png.content == expected(URL, "png")


def test_the_code_and_url_survive_data_updates(client, circle, tree):
    before = client.get(reverse("circles:circle_qr_svg", args=[circle.code])).content
    circle_update(actor=None, circle=circle, name="改过名的文化圈", theme="新主题", spaces=[])
    org_unit_update(actor=None, unit=tree["c11"], name_zh="改过名的社区", population=12345)
    venue_update(actor=None, venue=circle.essential_venue, name_zh="改名的家园")
    circle.refresh_from_db()
    assert circle.code == "QC330105001001"
    after = client.get(reverse("circles:circle_qr_svg", args=[circle.code])).content
    assert after == before == expected(URL, "svg")


@override_settings(CULTURE_PUBLIC_BASE_URL="https://wenhua.gongshu.gov.cn/")
def test_the_qr_uses_the_configured_public_address(client, circle):
    svg = client.get(reverse("circles:circle_qr_svg", args=[circle.code])).content
    assert svg == expected("https://wenhua.gongshu.gov.cn/circles/c/QC330105001001/", "svg")


def test_the_a4_poster(client, circle):
    response = client.get(reverse("circles:circle_poster", args=[circle.code]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "样板文化圈" in text and "运河书香" in text and URL in text
    assert f'src="{reverse("circles:circle_qr_svg", args=[circle.code])}"' in text
    assert "样板文化家园" in text and "样板城市书房" in text
    css = CSS.read_text()
    assert "@page { size: A4;" in css


def test_public_pages_take_no_writes(client, circle):
    for name in ("circle_public", "circle_qr_svg", "circle_qr_png", "circle_poster"):
        assert client.post(reverse(f"circles:{name}", args=[circle.code])).status_code == 405


def test_the_public_page_in_english(client, circle):
    venue_update(actor=None, venue=circle.essential_venue, opening_hours="24/7")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = client.get(reverse("circles:circle_public", args=[circle.code])).content.decode()
    assert "Within walking distance (1500 m)" in text and "about 100 m" in text
    assert "Open now" in text and "This week's activities" in text


def test_a_dense_street_lists_the_circles_own_and_the_nearest_others(client, circle, tree):
    """The circle's 3 facilities, then the 8 nearest of 11 others within reach; the poster
    lists 8 in all."""
    for i in range(11):
        place(tree["c11"], kind=VenueKind.READING_ROOM, east=500 + 50 * i, name_zh=f"阅览室{i:02d}")
    text = client.get(reverse("circles:circle_public", args=[circle.code])).content.decode()
    assert [f"阅览室{i:02d}" in text for i in range(11)] == [True] * 8 + [False] * 3
    assert "范围内还有 3 处场馆和空间，距离更远。" in text
    poster = client.get(reverse("circles:circle_poster", args=[circle.code])).content.decode()
    assert "样板文化家园" in poster and "样板文化驿站" in poster
    assert [f"阅览室{i:02d}" in poster for i in range(11)] == [True] * 5 + [False] * 6


def test_within_reach_is_exact_at_the_radius(client, tree):
    with_centroids()
    c12 = tree["c12"]
    circle = circle_create(actor=None, community=c12, name="边界测试圈")
    place(c12, kind=VenueKind.CITY_BOOKROOM, east=1500.0, exact=True, name_zh="正好1500米书房")
    place(c12, kind=VenueKind.CULTURE_POST, east=-1499.999, exact=True, name_zh="差一毫米驿站")
    place(c12, kind=VenueKind.READING_ROOM, east=-1500.001 * 3**0.5 / 2, north=750.0005,
          exact=True, name_zh="多一毫米阅览室")  # fmt: skip
    text = client.get(reverse("circles:circle_public", args=[circle.code])).content.decode()
    assert "正好1500米书房" in text and "差一毫米驿站" in text
    assert "多一毫米阅览室" not in text


def test_opening_hours_read_as_words_not_osm_syntax(client, circle):
    venue_update(
        actor=None, venue=circle.essential_venue, opening_hours="Mo-Fr 08:30-17:00; Sa,Su off"
    )
    text = client.get(reverse("circles:circle_public", args=[circle.code])).content.decode()
    assert "周一至周五 08:30-17:00；周六、周日 休息" in text
    assert "Mo-Fr" not in text
