"""The district venue map in a real browser (desktop and a 375 px phone): points large enough to
see and to click or tap, district venues standing out, one legend entry per kind that hides and
shows that kind. Set SCREENSHOT_DIR to keep the screenshots."""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

import pytest
from django.urls import reverse

from culture.accounts.tests.factories import PASSWORD, staff_user
from culture.core.roles import Role
from culture.core.tests.browser_fixtures import sign_in
from culture.demo import services as demo_services
from culture.demo.seed_venues import seed_venues
from culture.venues.models import Venue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAP = "[data-testid=venue-map]"


@pytest.fixture
def district_venues(monkeypatch):
    """The synthetic district (seed 42, org tree only) and its demo venues and spaces."""
    monkeypatch.setattr(demo_services, "_seed_people_function", lambda: None)
    demo_services.demo_dataset_build(seed=42)
    seed_venues(rng=random.Random("42:venues"), stdout=io.StringIO())
    return staff_user(Role.DISTRICT_OFFICER)


def wait_for_chart(page) -> None:
    page.locator(f"{MAP} canvas").first.wait_for()
    page.wait_for_function(
        "(sel) => { const c = echarts.getInstanceByDom(document.querySelector(sel));"
        " return c && c.getOption().series.length > 0; }",
        arg=MAP,
    )
    page.get_by_test_id("venue-legend").locator("[data-name]").first.wait_for()
    page.wait_for_timeout(300)  # the series' entry animation


def open_map(page, user) -> None:
    sign_in(page, user.username, PASSWORD)
    page.goto(reverse("venues:map"))
    wait_for_chart(page)


def legend_selected(page) -> dict:
    return page.evaluate(
        "(sel) => { const c = echarts.getInstanceByDom(document.querySelector(sel));"
        " const o = c.getOption(); const s = o.legend[0].selected || {};"
        " return Object.fromEntries(o.series.map(x => [x.name, s[x.name] !== false])); }",
        MAP,
    )


def series_of(page) -> list[dict]:
    return page.evaluate(
        """(sel) => echarts.getInstanceByDom(document.querySelector(sel)).getOption().series
            .map(s => ({name: s.name, size: s.symbolSize, symbol: s.symbol, n: s.data.length,
                        codes: s.data.map(d => d.code)}))""",
        MAP,
    )


def pixel_of(page, lon: float, lat: float) -> dict:
    return page.evaluate(
        """([sel, lon, lat]) => {
            const el = document.querySelector(sel);
            const [x, y] = echarts.getInstanceByDom(el).convertToPixel({geoIndex: 0}, [lon, lat]);
            const r = el.getBoundingClientRect();
            return {x: r.left + x, y: r.top + y, inside: x >= 0 && y >= 0 && x <= r.width && y <= r.height};
        }""",
        [MAP, lon, lat],
    )


def screenshot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_desktop_map_points_are_visible_clickable_and_filterable(page, district_venues):
    open_map(page, district_venues)
    screenshot(page, "venue-map-desktop.png")
    series = series_of(page)
    by_name = {s["name"]: s for s in series}
    assert sum(s["n"] for s in series) == Venue.objects.count()
    assert len(series) == Venue.objects.values("kind").distinct().count()  # one entry per kind
    assert min(s["size"] for s in series) >= 11
    assert by_name["图书馆"]["size"] >= 24 and by_name["图书馆"]["symbol"] == "pin"
    assert by_name["城市书房"]["size"] < by_name["图书馆"]["size"]
    total = Venue.objects.count()
    assert page.locator("#venue-map-count").inner_text() == f"共 {total} 处场馆与空间"

    # a click on the district library opens its page
    library = Venue.objects.get(code="GS-LIB")
    point = pixel_of(page, library.lon, library.lat)
    assert point["inside"]
    with page.expect_navigation():  # the pin's head, above its tip on the place
        page.mouse.click(point["x"], point["y"] - by_name["图书馆"]["size"] * 0.6)
    assert page.url.endswith(reverse("venues:detail", args=["GS-LIB"]))

    # the legend (one button per kind) hides a kind and shows it again
    page.go_back()
    wait_for_chart(page)
    bookrooms = by_name["城市书房"]["n"]
    legend = page.get_by_test_id("venue-legend")
    assert legend.locator("[data-name]").count() == len(series)
    button = legend.get_by_role("button", name=f"城市书房 {bookrooms}")
    button.click()
    assert button.get_attribute("aria-pressed") == "false"
    assert legend_selected(page)["城市书房"] is False
    assert page.locator("#venue-map-count").inner_text() == (
        f"显示 {total - bookrooms} 处，共 {total} 处场馆与空间"
    )
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert legend_selected(page)["城市书房"] is True
    legend.get_by_role("button", name="反选").click()
    assert set(legend_selected(page).values()) == {False}
    assert page.locator("#venue-map-count").inner_text() == f"显示 0 处，共 {total} 处场馆与空间"
    legend.get_by_role("button", name="全选").click()
    assert set(legend_selected(page).values()) == {True}


def test_phone_map_fits_the_screen_and_a_tap_opens_a_venue(phone_page, district_venues):
    page = phone_page
    open_map(page, district_venues)
    screenshot(page, "venue-map-phone.png")
    box = page.locator(MAP).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert box["height"] >= 400
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    series = series_of(page)
    assert min(s["size"] for s in series) >= 14  # a finger can hit them
    items = page.get_by_test_id("venue-legend").locator("[data-name]")
    assert items.count() == len(series)
    for i in range(items.count()):
        item = items.nth(i).bounding_box()
        assert item["height"] >= 36 and item["x"] + item["width"] <= 375
    museum = Venue.objects.get(code="GS-MUS")
    page.locator(MAP).scroll_into_view_if_needed()
    point = pixel_of(page, museum.lon, museum.lat)
    assert point["inside"]
    pin = {s["name"]: s for s in series}["博物馆"]["size"]
    with page.expect_navigation():
        page.touchscreen.tap(point["x"], point["y"] - pin * 0.6)
    assert page.url.endswith(reverse("venues:detail", args=["GS-MUS"]))
