"""The circle pages in a real browser: the public page on a 375 px phone without signing in
(large text, nothing wider than the screen, the QR poster's image loads), and a district
officer's acceptance: refused with what is missing, then accepted once the circle is complete.
Set SCREENSHOT_DIR to keep the screenshots."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse

from culture.accounts.tests.factories import PASSWORD
from culture.circles.models import Circle, CircleStatus
from culture.circles.registry import circle_create
from culture.circles.tests.circle_data import GOOD, complete_circle, place, with_centroids
from culture.core.tests.browser_fixtures import sign_in
from culture.venues.models import VenueKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def px(page, selector: str) -> float:
    return float(
        page.evaluate(
            "(sel) => getComputedStyle(document.querySelector(sel)).fontSize", selector
        ).removesuffix("px")
    )


def test_public_page_on_a_phone(phone_page, tree):
    with_centroids()
    circle = complete_circle(tree["c11"])
    place(
        tree["c11"],
        kind=VenueKind.READING_ROOM,
        east=-700,
        name_zh="社区阅览室（长名称测试：运河边的老厂房改造）",
        **GOOD,
    )
    phone_page.goto(reverse("circles:circle_public", args=[circle.code]))
    card = phone_page.get_by_test_id("public-circle")
    assert card.locator("h1").inner_text() == "样板文化圈"
    names = phone_page.get_by_test_id("public-venues").locator(".pc-name").all_inner_texts()
    assert names[:3] == ["样板文化家园", "样板城市书房", "样板文化驿站"]
    assert "社区阅览室（长名称测试：运河边的老厂房改造）" in names
    assert phone_page.evaluate("document.scrollingElement.scrollWidth") <= 376
    assert px(phone_page, ".public-circle") >= 20  # large enough for elderly readers
    assert px(phone_page, ".pc-name") >= 22
    assert px(phone_page, ".public-circle h1") >= 28
    shot(phone_page, "circle-public-phone")
    phone_page.goto(reverse("circles:circle_poster", args=[circle.code]))
    qr = phone_page.get_by_test_id("poster-qr")
    phone_page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=qr.element_handle()
    )
    shot(phone_page, "circle-poster-phone")


def test_the_poster_prints_on_one_a4_page(page, tree):
    with_centroids()
    circle = complete_circle(tree["c11"])
    page.goto(reverse("circles:circle_poster", args=[circle.code]))
    qr = page.get_by_test_id("poster-qr")
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    # A4 is 595 x 842 points
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box and round(float(box[1])) == 595 and round(float(box[2])) == 842


def test_a_district_officer_accepts_a_complete_circle(page, tree, users):
    with_centroids()
    empty = circle_create(actor=None, community=tree["c12"], name="尚缺设施的文化圈")
    ready = complete_circle(tree["c11"])
    sign_in(page, users["district"].username, PASSWORD)

    page.goto(reverse("circles:circle_detail", args=[empty.code]))
    with page.expect_navigation():
        page.get_by_test_id("circle-accept").click()
    message = page.locator(".messages").inner_text()
    assert "尚不能验收，还缺：" in message and "尚未指定必备公共文化场馆" in message
    assert page.get_by_test_id("circle-status").inner_text() == "创建中"

    page.goto(reverse("circles:circle_list"))
    with page.expect_navigation():
        page.get_by_role("link", name=ready.code).click()
    passed = page.get_by_test_id("checklist").locator("tr[data-passed='1']").count()
    assert passed == 8
    with page.expect_navigation():
        page.get_by_test_id("circle-accept").click()
    assert page.get_by_test_id("circle-status").inner_text() == "已验收"
    assert Circle.objects.get(pk=ready.pk).status == CircleStatus.ACCEPTED
    shot(page, "circle-accepted-desktop")
    page.goto(reverse("circles:circle_list"))
    assert page.get_by_test_id("accepted-total").inner_text() == "8000"
