"""How pages look in a real browser: elderly mode, the English switch, phone width, the map."""

import pytest
from django.urls import reverse

from culture.accounts.services import resident_register
from culture.accounts.tests.factories import PASSWORD
from culture.core.tests.browser_fixtures import sign_in
from culture.org.services import org_unit_update

pytestmark = pytest.mark.browser


def body_font_px(page) -> float:
    return float(page.evaluate("getComputedStyle(document.body).fontSize").removesuffix("px"))


def test_elderly_mode_enlarges_text_and_persists_across_pages(page):
    page.goto("/")
    assert body_font_px(page) == 15

    with page.expect_navigation():
        page.get_by_test_id("elderly-toggle").click()

    assert "elderly" in page.locator("body").get_attribute("class")
    assert body_font_px(page) == 20
    page.goto(reverse("accounts:login"))
    assert body_font_px(page) == 20
    assert page.get_by_test_id("elderly-toggle").inner_text() == "标准模式"

    with page.expect_navigation():
        page.get_by_test_id("elderly-toggle").click()
    assert body_font_px(page) == 15


def test_elderly_mode_of_a_signed_in_user_follows_them_to_a_new_browser(
    browser, live_server, page, tree, users
):
    sign_in(page, users["district"].username, PASSWORD)
    with page.expect_navigation():
        page.get_by_test_id("elderly-toggle").click()
    assert body_font_px(page) == 20

    fresh = browser.new_context(base_url=live_server.url)
    try:
        other = fresh.new_page()
        sign_in(other, users["district"].username, PASSWORD)
        assert other.url.endswith("/org/")
        assert body_font_px(other) == 20
    finally:
        fresh.close()


def test_language_switch_shows_english_navigation(page, tree, users):
    sign_in(page, users["district"].username, PASSWORD)
    assert "组织架构" in page.locator("nav.mainnav").inner_text()

    with page.expect_navigation():
        page.locator(".tools button[name=language][value=en]").click()

    assert page.locator("html").get_attribute("lang") == "en"
    nav = page.locator("nav.mainnav a").all_inner_texts()
    assert "Organisation" in nav
    assert "My account" in nav
    assert "组织架构" not in nav
    page.goto(reverse("accounts:me"))
    assert "My account" in page.locator("nav.mainnav").inner_text()


def assert_no_horizontal_scroll(page, url):
    page.goto(url)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 375 + 1, f"{url} is {width}px wide at 375px"


def test_main_pages_fit_a_phone_screen_for_a_district_officer(phone_page, tree, users):
    assert_no_horizontal_scroll(phone_page, "/")
    assert_no_horizontal_scroll(phone_page, reverse("accounts:login"))
    sign_in(phone_page, users["district"].username, PASSWORD)
    for name, args in [
        ("org:tree", []),
        ("org:unit", [tree["s1"].code]),
        ("org:unit", [tree["c11"].code]),
        ("org:unit_edit", [tree["c11"].code]),
        ("accounts:me", []),
        ("accounts:user_list", []),
        ("accounts:staff_list", []),
        ("accounts:resident_list", []),
        ("spreadsheets:import_home", []),
        ("core:audit_list", []),
    ]:
        assert_no_horizontal_scroll(phone_page, reverse(name, args=args))


def test_main_pages_fit_a_phone_screen_in_elderly_mode(phone_page, tree, users):
    sign_in(phone_page, users["subdistrict"].username, PASSWORD)
    with phone_page.expect_navigation():
        phone_page.get_by_test_id("elderly-toggle").click()
    assert body_font_px(phone_page) == 20
    for name, args in [
        ("org:tree", []),
        ("org:unit", [tree["c11"].code]),
        ("accounts:staff_list", []),
        ("spreadsheets:import_home", []),
        ("accounts:me", []),
    ]:
        assert_no_horizontal_scroll(phone_page, reverse(name, args=args))


def test_resident_pages_fit_a_phone_screen(phone_page, tree):
    resident_register(
        actor=None,
        name="王建国",
        phone="13712345678",
        password=PASSWORD,
        id_number="11010519491231002X",
        community=tree["c21"],
    )
    sign_in(phone_page, "13712345678", PASSWORD)
    assert_no_horizontal_scroll(phone_page, reverse("accounts:me"))


def square(lon: float, lat: float, size: float = 0.02) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def painted_pixels(page, selector: str) -> int:
    return page.evaluate(
        """(selector) => {
            const canvas = document.querySelector(selector);
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
            return painted;
        }""",
        selector,
    )


def test_org_tree_map_draws_the_subdistricts(page, tree, users):
    org_unit_update(actor=None, unit=tree["s1"], boundary=square(120.12, 30.30), area_km2=4)
    org_unit_update(actor=None, unit=tree["s2"], boundary=square(120.15, 30.30), area_km2=3)
    sign_in(page, users["district"].username, PASSWORD)

    canvas = page.locator("[data-testid=org-map] canvas").first
    canvas.wait_for()

    box = canvas.bounding_box()
    assert box["width"] > 300
    assert box["height"] > 200
    assert painted_pixels(page, "[data-testid=org-map] canvas") > 1000
    assert page.evaluate("typeof window.echarts") == "object"
