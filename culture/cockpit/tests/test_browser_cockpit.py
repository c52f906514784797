"""The cockpit in a real browser: the officer's journey (cockpit -> a missed target -> the
indicator page -> the records behind the number), the big screen at 1920x1080 with no scrolling,
and a phone-width page with no sideways scrolling. Every tab fails on any JavaScript error or
missing resource (browser_fixtures)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page

from culture.accounts.tests.factories import PASSWORD
from culture.cockpit.tests import helpers
from culture.core.tests.browser_fixtures import _open_tab, sign_in
from culture.org.models import OrgUnit

pytestmark = pytest.mark.browser


@pytest.fixture
def big_page(browser: Browser, live_server, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from _open_tab(
        browser, live_server, request, "big", viewport={"width": 1920, "height": 1080}
    )


def _square(x0: float, dx: float) -> dict:
    ring = [[x0, 30.30], [x0 + dx, 30.30], [x0 + dx, 30.32], [x0, 30.32], [x0, 30.30]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def cockpit_world(monkeypatch, tree):
    helpers.world(monkeypatch, tree)  # the venues' factory gives the communities their squares
    # Subdistricts: the rectangle over their two communities (c11, c12 | c21, c22).
    OrgUnit.objects.filter(pk=tree["s1"].pk).update(boundary=_square(120.10, 0.04))
    OrgUnit.objects.filter(pk=tree["s2"].pk).update(boundary=_square(120.14, 0.04))
    return tree


def test_officer_goes_from_the_cockpit_to_the_records_behind_a_missed_target(
    page, cockpit_world, users
):
    sign_in(page, users["district"].username, PASSWORD)
    with page.expect_navigation():
        page.get_by_test_id("nav-cockpit").click()
    page.goto(f"{reverse('cockpit:home')}?year=2025")
    assert page.get_by_test_id("targets-met").inner_text() == "2"
    assert page.get_by_test_id("targets-judged").inner_text() == "6"
    page.locator("#ck-map canvas").first.wait_for()
    page.locator("#ck-trend canvas").first.wait_for()

    with page.expect_navigation():
        page.get_by_test_id("missed-T10").click()
    assert page.get_by_test_id("indicator-id").inner_text() == "T10"
    assert "每年开展艺术普及培训班100场" in page.get_by_test_id("indicator-quote").inner_text()
    assert page.get_by_test_id("indicator-owner").inner_text() == "区文化馆"

    with page.expect_navigation():
        page.get_by_test_id("records-link").first.click()
    url = urlsplit(page.url)
    assert url.path == reverse("activities:list")
    assert parse_qs(url.query) == {
        "kind": ["training_class"],
        "unit": [cockpit_world["district"].code],
        "date_from": ["2025-01-01"],
        "date_to": ["2025-12-31"],
    }


def test_map_click_drills_down_to_a_subdistrict(page, cockpit_world, users):
    sign_in(page, users["district"].username, PASSWORD)
    page.goto(f"{reverse('cockpit:home')}?year=2025")
    canvas = page.locator("#ck-map canvas").first
    canvas.wait_for()
    box = page.locator("#ck-map").bounding_box()
    # s1 is the western half of the map, s2 the eastern half.
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.46)
    assert parse_qs(urlsplit(page.url).query)["unit"] == [cockpit_world["s1"].code]
    assert page.get_by_test_id("cockpit-unit").inner_text() == "湖墅街道"


def test_big_screen_fits_1920_by_1080_without_scrolling(big_page, cockpit_world, users):
    sign_in(big_page, users["district"].username, PASSWORD)
    big_page.goto(f"{reverse('cockpit:screen')}?year=2025")
    big_page.locator("#ck-map canvas").first.wait_for()
    big_page.locator("#ck-trend canvas").first.wait_for()
    sizes = big_page.evaluate(
        "[document.documentElement.scrollHeight, innerHeight,"
        " document.documentElement.scrollWidth, innerWidth]"
    )
    assert sizes[0] <= sizes[1] and sizes[2] <= sizes[3], sizes
    assert big_page.get_by_test_id("targets-met").inner_text() == "2"
    missed = big_page.locator("[data-testid^=missed-]")
    assert missed.count() == 4 and missed.first.is_visible()


def test_phone_width_has_no_sideways_scrolling(phone_page, cockpit_world, users):
    sign_in(phone_page, users["subdistrict"].username, PASSWORD)
    for url in (
        f"{reverse('cockpit:home')}?year=2025",
        f"{reverse('cockpit:indicator', args=['S29'])}?year=2025",
        f"{reverse('cockpit:indicators')}?year=2025",
    ):
        phone_page.goto(url)
        width = phone_page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], (url, width)
    phone_page.goto(f"{reverse('cockpit:home')}?year=2025")
    phone_page.locator("#ck-map canvas").first.wait_for()
    assert phone_page.get_by_test_id("targets-met").is_visible()
