"""The coverage page in a real browser on the synthetic district (desktop and a 375 px phone):
the map shows covered and uncovered homes and the facilities, and a click with a kind chosen
drops a hypothetical facility that the server counts at once. Set SCREENSHOT_DIR to keep the
screenshots."""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

import pytest
from django.urls import reverse

from culture.accounts.tests.factories import PASSWORD, staff_user
from culture.circles.report import coverage_report, home_rows
from culture.core.roles import Role
from culture.core.tests.browser_fixtures import sign_in
from culture.demo import services as demo_services
from culture.demo.seed_venues import seed_venues

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAP = "[data-testid=coverage-map]"


@pytest.fixture
def district(monkeypatch):
    """The synthetic district (seed 42, org tree with boundaries) and its demo venues."""
    monkeypatch.setattr(demo_services, "_seed_people_function", lambda: None)
    demo_services.demo_dataset_build(seed=42)
    seed_venues(rng=random.Random("42:venues"), stdout=io.StringIO())
    return staff_user(Role.DISTRICT_OFFICER)


def screenshot(page, name: str, *, full: bool = False) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=full)


def wait_loaded(page, sites: int) -> None:
    page.wait_for_function(
        "([sel, n]) => document.querySelector(sel).dataset.loaded === String(n)", arg=[MAP, sites]
    )
    page.wait_for_timeout(300)


def series_counts(page) -> dict:
    return page.evaluate(
        """(sel) => Object.fromEntries(echarts.getInstanceByDom(document.querySelector(sel))
            .getOption().series.map(s => [s.name, s.data.length]))""",
        MAP,
    )


def pixel_of(page, lon: float, lat: float) -> dict:
    return page.evaluate(
        """([sel, lon, lat]) => {
            const el = document.querySelector(sel);
            const [x, y] = echarts.getInstanceByDom(el).convertToPixel({geoIndex: 0}, [lon, lat]);
            const r = el.getBoundingClientRect();
            return {x: r.left + x, y: r.top + y,
                    inside: x >= 0 && y >= 0 && x <= r.width && y <= r.height};
        }""",
        [MAP, lon, lat],
    )


def test_desktop_map_and_what_if(page, district):
    sign_in(page, district.username, PASSWORD)
    page.goto(reverse("circles:coverage"))
    wait_loaded(page, 0)
    screenshot(page, "circles-coverage-desktop.png")
    screenshot(page, "circles-coverage-desktop-full.png", full=True)
    report = coverage_report(viewer=district)
    homes = home_rows(report)
    counts = series_counts(page)
    # Every home is on the map, once: covered ones and each kind of gap in its own series.
    assert sum(n for name, n in counts.items() if name == "已覆盖" or name.startswith("✕")) == len(
        homes
    )
    assert counts.get("已覆盖", 0) == sum(1 for h in homes if h["covered"])
    shown = page.get_by_test_id("share-points").inner_text()
    assert shown == f"{report.total.share_points * 100:.1f}%"

    # A home one facility short (of one requirement): drop that facility on it.
    target = next(h for h in homes if sum(h["lacks"].values()) == 1)
    key = next(k for k, n in target["lacks"].items() if n)
    page.get_by_test_id(f"whatif-{key}").check()
    point = pixel_of(page, target["lon"], target["lat"])
    assert point["inside"]
    page.mouse.click(point["x"], point["y"])
    wait_loaded(page, 1)
    after = page.locator("#points-covered").inner_text()
    assert int(after) > report.total.points_covered
    assert "已放置 1 个假设点位" in page.get_by_test_id("whatif-status").inner_text()
    screenshot(page, "circles-coverage-whatif.png")
    page.get_by_test_id("whatif-clear").click()
    wait_loaded(page, 0)
    assert int(page.locator("#points-covered").inner_text()) == report.total.points_covered


def test_phone_page_fits(phone_page, district):
    page = phone_page
    sign_in(page, district.username, PASSWORD)
    page.goto(reverse("circles:coverage"))
    wait_loaded(page, 0)
    screenshot(page, "circles-coverage-phone.png", full=True)
    box = page.locator(MAP).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert box["height"] >= 300
    # Nothing is wider than the screen but the table, which scrolls in its own box.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
