"""The check-in desk in headless Chromium, driven like the desk: the one input is focused when the
page opens, a handheld scanner "types" the QR payload and presses Enter, the answer is big and
clear, and the input is empty and focused again for the next person; a typed code and a
social-security card work the same way, a second scan says when, and a wrong code is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from culture.accounts.services import resident_register
from culture.accounts.tests.factories import PASSWORD, staff_user
from culture.activities.tests.factories import activity as make_activity
from culture.booking.models import Booking, BookingStatus
from culture.booking.services import activity_book, booking_qr_payload, seats_set
from culture.core.roles import Role
from culture.core.tests.browser_fixtures import sign_in
from culture.venues.services import venue_manager_bind
from culture.venues.tests.factories import venue as make_venue

pytestmark = pytest.mark.browser

ZHAO_ID = "330105197211084562"


def _focused_name(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.name || ''")


def _scan(page, text: str) -> str:
    """Type like a scanner (fast keystrokes, then Enter) and return the answer's text."""
    page.keyboard.type(text, delay=5)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return page.get_by_test_id("checkin-result").inner_text()


def test_the_check_in_desk_takes_a_scan_a_typed_code_and_a_card(page, tree):
    venue = make_venue(
        operator=tree["s1"], at=tree["c11"], code="DESK1", name_zh="签到测试馆",
        kind="culture_centre", opening_hours="24/7",
    )  # fmt: skip
    manager = staff_user(Role.VENUE_MANAGER, None, username="deskmanager")
    venue_manager_bind(actor=None, user=manager, venue=venue)
    now = timezone.now().replace(second=0, microsecond=0)
    lecture = make_activity(
        tree["c11"], venue=venue, title="运河文化讲座", kind="lecture",
        start_at=now - timedelta(minutes=10), end_at=now + timedelta(minutes=110),
    )  # fmt: skip
    seats_set(actor=None, activity=lecture, capacity=10)
    people = [
        resident_register(
            actor=None, name=name, phone=phone, password=PASSWORD, id_number=id_number,
            community=tree["c11"],
        ).user
        for name, phone, id_number in (
            ("王建国", "13957112345", "330105199001011233"),
            ("李秀英", "13857154321", "330105198503171232"),
            ("赵小明", "13757198765", ZHAO_ID),
        )
    ]  # fmt: skip
    wang, li, zhao = (
        activity_book(user=u, activity=lecture, now=now - timedelta(hours=2)) for u in people
    )

    sign_in(page, "deskmanager", PASSWORD)
    page.goto(reverse("booking:manage_checkin", args=["DESK1"]))
    assert _focused_name(page) == "token"

    # a scanner reads Wang's QR code
    answer = _scan(page, booking_qr_payload(wang))
    assert "签到成功" in answer and "王**" in answer and "运河文化讲座" in answer
    assert "王建国" not in answer and "13957112345" not in answer
    verdict = page.get_by_test_id("checkin-verdict")
    assert verdict.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") >= 28
    assert _focused_name(page) == "token"
    assert page.get_by_test_id("checkin-input").input_value() == ""

    # Li's code typed by hand, in lower case with a dash
    answer = _scan(page, f"{li.code[:4].lower()}-{li.code[4:].lower()}")
    assert "签到成功" in answer and "李**" in answer

    # Zhao's social-security card on the reader
    answer = _scan(page, ZHAO_ID)
    assert "签到成功" in answer and "赵**" in answer
    assert ZHAO_ID not in page.content()

    # Wang scans again: harmless, and the desk says when
    first = Booking.objects.get(pk=wang.pk).checked_in_at
    answer = _scan(page, wang.code)
    at = timezone.localtime(first).strftime("%H:%M")
    assert f"已签到（{at}）" in answer and "签到成功" not in answer

    # a wrong code is refused clearly
    answer = _scan(page, "ZZZZ9999")
    assert "不能签到" in answer and "不存在" in answer
    assert _focused_name(page) == "token"

    statuses = dict(
        Booking.objects.filter(pk__in=[wang.pk, li.pk, zhao.pk]).values_list("pk", "status")
    )
    assert set(statuses.values()) == {BookingStatus.CHECKED_IN}
    assert Booking.objects.get(pk=wang.pk).checked_in_at == first
    lecture.refresh_from_db()
    assert lecture.attendance == 3
