"""The org map in a real browser: drawn from our GeoJSON, true to shape, clickable, and sized
for desktop, phone and elderly mode."""

from __future__ import annotations

import pytest
from django.urls import reverse

from culture.accounts.tests.factories import PASSWORD
from culture.core.tests.browser_fixtures import sign_in
from culture.org.models import OrgUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAP = "[data-testid=org-map]"


def map_ready(page) -> None:
    page.locator(f"{MAP} canvas").first.wait_for()
    page.wait_for_function(
        "(sel) => { const c = echarts.getInstanceByDom(document.querySelector(sel));"
        " return c && c.getOption().series[0].data.length > 0; }",
        arg=MAP,
    )


def pixel_of(page, lon: float, lat: float) -> dict:
    """Where a lon/lat point is drawn, in page coordinates."""
    return page.evaluate(
        """([sel, lon, lat]) => {
            const el = document.querySelector(sel);
            const [x, y] = echarts.getInstanceByDom(el).convertToPixel({seriesIndex: 0}, [lon, lat]);
            const r = el.getBoundingClientRect();
            return {x: r.left + x, y: r.top + y};
        }""",
        [MAP, lon, lat],
    )


def test_district_map_shows_18_subdistricts_and_a_click_opens_one(page, demo):
    sign_in(page, demo["district_user"].username, PASSWORD)
    assert page.url.endswith(reverse("org:tree"))
    map_ready(page)
    names = page.evaluate(
        "(sel) => echarts.getInstanceByDom(document.querySelector(sel)).getOption().series[0].data.length",
        MAP,
    )
    assert names == 18

    kangqiao = OrgUnit.objects.get(name_zh="康桥街道")
    point = pixel_of(page, kangqiao.centroid_lon, kangqiao.centroid_lat)
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    assert page.url.endswith(reverse("org:unit", args=[kangqiao.code]))


def test_the_map_keeps_the_true_shape_and_fills_its_card(page, demo):
    sign_in(page, demo["district_user"].username, PASSWORD)
    map_ready(page)
    # The district spans about 12 km west-east and 15 km south-north.
    north = pixel_of(page, 120.16, 30.395)
    south = pixel_of(page, 120.16, 30.262)
    west = pixel_of(page, 120.096, 30.33)
    east = pixel_of(page, 120.219, 30.33)
    height, width = south["y"] - north["y"], east["x"] - west["x"]
    assert width / height == pytest.approx(11.8 / 14.8, rel=0.08)
    box = page.locator(MAP).bounding_box()
    assert height > 0.8 * box["height"] - 80  # the map, not empty margins, fills the card


@pytest.mark.parametrize("elderly", [False, True])
def test_phone_map_fits_the_screen_with_a_readable_legend(phone_page, demo, elderly):
    page = phone_page
    sign_in(page, demo["subdistrict_user"].username, PASSWORD)
    page.goto(reverse("org:unit", args=[demo["hushu"].code]))
    if elderly:
        with page.expect_navigation():
            page.get_by_test_id("elderly-toggle").click()
        assert "elderly" in page.locator("body").get_attribute("class")
    map_ready(page)
    box = page.locator(MAP).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert box["height"] >= 240
    legend = page.locator(".map-legend")
    assert legend.is_visible()
    font = float(legend.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px"))
    assert font >= (18 if elderly else 12)
    scrolls = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not scrolls
