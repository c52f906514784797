"""The resident's whole journey on a phone (375x812, touch) in headless Chromium: find an activity
near home, open it, sign in from its page and come back to it, book in one tap, see the QR code
and the code, cancel with the confirm step."""

from __future__ import annotations

import pytest
from django.urls import reverse

from culture.accounts.tests.factories import PASSWORD
from culture.booking.models import Booking, BookingStatus
from culture.booking.tests.factories import bookable_activity, bookable_venue, resident_user
from culture.venues.models import Venue
from culture.venues.tests.factories import give_boundaries

pytestmark = pytest.mark.browser


def test_find_book_see_the_qr_and_cancel_on_a_phone(phone_page, tree):
    page = phone_page
    home = give_boundaries()[tree["c11"].code]
    venue = bookable_venue(code="PHONE1")
    Venue.objects.filter(pk=venue.pk).update(lon=home[0], lat=home[1], address="湖墅南路 88 号")
    activity = bookable_activity(venue=venue, title="社区书法体验课", capacity=5)
    user = resident_user(name="张阿姨", community_unit=tree["c11"])

    # find (not signed in yet): the activity is listed with its free places
    page.goto(reverse("booking:find"))
    card = page.get_by_test_id("activity-card").filter(has_text="社区书法体验课")
    assert "余 5 位" in card.inner_text()
    with page.expect_navigation():
        card.tap()
    assert page.url.endswith(reverse("booking:activity", args=[activity.pk]))

    # sign in from the activity page, and come back to it
    with page.expect_navigation():
        page.get_by_test_id("login-to-book").tap()
    form = page.locator("#main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill(user.username)
    form.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").tap()
    assert page.url.endswith(reverse("booking:activity", args=[activity.pk]))

    # book in one tap: the confirmation with the QR code and the code in big type
    with page.expect_navigation():
        page.get_by_test_id("book-button").tap()
    booking = Booking.objects.get(user=user)
    assert booking.status == BookingStatus.CONFIRMED
    assert page.url.endswith(reverse("booking:booking", args=[booking.code]))
    assert "预约成功" in page.locator(".messages").inner_text()
    qr = page.get_by_test_id("booking-qr")
    qr.scroll_into_view_if_needed()
    assert page.evaluate("el => el.complete && el.naturalWidth > 0", qr.element_handle())
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 200  # large enough to scan from a phone
    code = page.get_by_test_id("booking-code")
    assert code.inner_text().replace(" ", "") == booking.code
    assert code.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") >= 32
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 375 + 1, f"the confirmation is {width}px wide on a 375px phone"

    # cancel: the confirm step, then the booking is cancelled and the seat free again
    with page.expect_navigation():
        page.get_by_test_id("cancel-link").tap()
    assert "确定取消这条预约吗" in page.locator("h1").inner_text()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    with page.expect_navigation():
        page.get_by_test_id("cancel-confirm-button").tap()
    assert page.url.endswith(reverse("booking:mine"))
    assert "已取消预约" in page.locator(".messages").inner_text()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.activity.seats.taken == 0
