"""The reader's journey on a phone (375x812, touch) in headless Chromium: search 三体 signed out,
open the title, sign in from it and come back, borrow in one tap for pickup at the nearest branch
with a copy, and see the order in 我的借阅."""

from __future__ import annotations

import pytest
from django.urls import reverse

from culture.accounts.tests.factories import PASSWORD
from culture.booking.tests.factories import resident_user
from culture.library.models import Copy, CopyStatus, DeliveryOrder, DeliveryStatus
from culture.library.services import title_upsert
from culture.venues.models import VenueKind
from culture.venues.tests.factories import give_boundaries
from culture.venues.tests.factories import venue as make_venue

pytestmark = pytest.mark.browser


def test_search_open_borrow_for_pickup_and_see_it_in_mine_on_a_phone(phone_page, tree):
    page = phone_page
    give_boundaries()
    near = make_venue(operator=tree["s1"], at=tree["c11"], kind=VenueKind.BRANCH_LIBRARY,
                      code="PHLIB1", name_zh="湖墅街道分馆")  # fmt: skip
    far = make_venue(operator=tree["s2"], at=tree["c21"], kind=VenueKind.CITY_BOOKROOM,
                     code="PHLIB2", name_zh="武林城市书房")  # fmt: skip
    # more pickup places than the form shows as big choices, with long names: the rest are one
    # list, which must not widen the page (it did: 393 px on a 375 px phone)
    for n in range(5):
        make_venue(operator=tree["s2"], at=tree["c21"], kind=VenueKind.CITY_BOOKROOM,
                   code=f"PHBR{n}", name_zh=f"拱墅区武林街道某某新村城市书房第{n}号")  # fmt: skip
    book = title_upsert(actor=None, source_id="PH-1", title="三体", author="刘慈欣")[0]
    title_upsert(actor=None, source_id="PH-2", title="三体Ⅱ：黑暗森林", author="刘慈欣")
    for barcode, branch in (("PH-A", near), ("PH-B", far)):
        Copy.objects.create(title=book, barcode=barcode, home_branch=branch, current_branch=branch)
    user = resident_user(name="李大伯", community_unit=tree["c11"])

    # search, signed out: 三体 first, with its copies on the shelf
    page.goto(reverse("library:search"))
    page.get_by_test_id("search-q").fill("三体")
    with page.expect_navigation():
        page.get_by_test_id("search-button").tap()
    cards = page.get_by_test_id("title-card")
    assert cards.first.locator(".bk-name").inner_text() == "三体"
    assert "在架 2 本" in cards.first.inner_text()
    with page.expect_navigation():
        cards.first.tap()
    assert "/library/t/" in page.url
    assert "湖墅街道分馆" in page.get_by_test_id("holdings").inner_text()

    # borrowing needs signing in; the sign-in comes back to the title
    with page.expect_navigation():
        page.get_by_test_id("login-to-borrow").tap()
    form = page.locator("#main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill(user.username)
    form.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").tap()
    assert page.url.split("?")[0].endswith(reverse("library:title", args=[book.pk]))

    # one step: the nearest branch with a copy is chosen already
    first = page.get_by_test_id("pickup-choice").first
    assert "湖墅街道分馆" in first.inner_text() and "本馆有书" in first.inner_text()
    assert first.locator("input").is_checked()
    assert page.get_by_test_id("other-pickup").is_visible()
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 375 + 1, f"the title page is {width}px wide on a 375px phone"
    with page.expect_navigation():
        page.get_by_test_id("borrow-button").tap()

    assert page.url.endswith(reverse("library:mine"))
    assert "借阅成功" in page.locator(".messages").inner_text()
    orders = page.get_by_test_id("mine-orders").inner_text()
    assert "三体" in orders and "已下单" in orders and "湖墅街道分馆" in orders
    order = DeliveryOrder.objects.get(reader__resident__user=user)
    assert (order.status, order.pickup_branch_id) == (DeliveryStatus.PLACED, near.pk)
    assert Copy.objects.get(barcode="PH-A").status == CopyStatus.RESERVED
