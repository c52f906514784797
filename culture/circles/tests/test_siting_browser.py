"""The siting page in a real browser on the synthetic district (desktop and a 375 px phone): the
form asks the question, htmx swaps in the answer, the map shows the suggested sites numbered in
build order and the failing homes, the table lists what each site must be. Set SCREENSHOT_DIR to
keep the screenshots."""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

import pytest
from django.urls import reverse

from culture.accounts.tests.factories import PASSWORD, staff_user
from culture.circles.siting.plan import SitingQuestion, siting_plan
from culture.core.roles import Role
from culture.core.tests.browser_fixtures import sign_in
from culture.demo import services as demo_services
from culture.demo.seed_venues import seed_venues

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAP = "[data-testid=siting-map]"


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
        "([sel, n]) => { const el = document.querySelector(sel);"
        " return el && el.dataset.loaded === String(n); }",
        arg=[MAP, sites],
    )
    page.wait_for_timeout(300)


def series_counts(page) -> dict:
    return page.evaluate(
        """(sel) => Object.fromEntries(echarts.getInstanceByDom(document.querySelector(sel))
            .getOption().series.map(s => [s.name, s.data.length]))""",
        MAP,
    )


def test_desktop_budget_answer_swapped_in(page, district):
    expected = siting_plan(viewer=district, question=SitingQuestion(budget=3))
    sign_in(page, district.username, PASSWORD)
    page.goto(reverse("circles:siting"))
    page.get_by_test_id("mode-budget").check()
    page.get_by_test_id("budget").fill("3")
    page.get_by_test_id("siting-submit").click()
    wait_loaded(page, 3)
    assert "mode=budget" in page.url  # htmx pushed the question into the address
    rows = page.locator("[data-testid=siting-table] tbody tr")
    assert rows.count() == 3
    assert [rows.nth(i).get_attribute("data-code") for i in range(3)] == [
        s["code"] for s in expected["sites"]
    ]
    counts = series_counts(page)
    assert (
        counts.get("公益性文化空间（城市书房或文化驿站）", 0)
        + counts.get("公共文化场馆（大项目，如社区文化家园）", 0)
        == 3
    )
    homes = expected["homes"]
    assert sum(
        n for name, n in counts.items() if name in ("建成后达标", "仍未达标", "无候选点可达")
    ) == len(homes)
    assert page.get_by_test_id("solver-label").get_attribute("data-method") == "exact"
    screenshot(page, "circles-siting-desktop.png")
    screenshot(page, "circles-siting-desktop-full.png", full=True)


def test_phone_fewest_fits(phone_page, district):
    page = phone_page
    sign_in(page, district.username, PASSWORD)
    page.goto(reverse("circles:siting") + "?mode=fewest")
    expected = siting_plan(viewer=district, question=SitingQuestion())
    wait_loaded(page, len(expected["sites"]))
    assert page.get_by_test_id("new-facilities").inner_text() == str(expected["new_facilities"])
    screenshot(page, "circles-siting-phone.png", full=True)
    box = page.locator(MAP).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375 and box["height"] >= 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
