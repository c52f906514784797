"""The library desk in headless Chromium, driven like the desk: the one input is focused when the
page opens; a scanner "types" the reader's card and presses Enter, then a copy's barcode; the
answer is big and clear (the reader masked, the due date); a second scan of the same copy says
"已借出" with the same due date and lends nothing more; in 归还 mode the copy's return says to put
it back on the shelf. The same on a phone."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from culture.accounts.services import resident_register
from culture.accounts.tests.factories import PASSWORD, staff_user
from culture.core.roles import Role
from culture.core.tests.browser_fixtures import sign_in
from culture.library.models import CopyStatus, Loan
from culture.library.services import due_date, loan_rule
from culture.library.tests.factories import copy as make_copy
from culture.library.tests.factories import title as make_title
from culture.venues.services import venue_manager_bind
from culture.venues.tests.factories import venue as make_venue

pytestmark = pytest.mark.browser

WANG_ID, WANG_PHONE = "330105199001011233", "13957112345"


def _focused_name(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.name || ''")


def _scan(page, text: str) -> str:
    """Type like a scanner (fast keystrokes, then Enter) and return the answer's text."""
    page.keyboard.type(text, delay=5)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return page.get_by_test_id("desk-result").inner_text()


def _world(tree, username: str):
    branch = make_venue(operator=tree["s1"], at=tree["c11"], code="LIB-DESK",
                        name_zh="湖墅分馆", kind="branch_library",
                        opening_hours="24/7")  # fmt: skip
    manager = staff_user(Role.VENUE_MANAGER, None, username=username)
    venue_manager_bind(actor=None, user=manager, venue=branch)
    resident_register(actor=None, name="王建国", phone=WANG_PHONE, password=PASSWORD,
                      id_number=WANG_ID, community=tree["c11"])  # fmt: skip
    copy = make_copy(title=make_title(title="三体"), branch=branch, barcode="B0001")
    today = timezone.localdate()
    due = due_date(branch, today, loan_rule("adult", "book").loan_days)
    return branch, copy, due


def _journey(page, tree, username: str) -> None:
    branch, copy, due = _world(tree, username)
    sign_in(page, username, PASSWORD)
    page.goto(reverse("library:desk", args=[branch.code]))
    assert _focused_name(page) == "scan"

    # the reader's card on the reader: who they are, masked, and their loans against the limit
    page.keyboard.type(WANG_ID, delay=5)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    reader = page.get_by_test_id("desk-reader").inner_text()
    assert "王**" in reader and "139****2345" in reader and "在借 0 / 可借" in reader
    assert WANG_ID not in page.content() and "王建国" not in page.content()
    assert _focused_name(page) == "scan"

    # the copy's barcode: lent, with the due date, in big letters
    answer = _scan(page, "b0001")
    assert "借出成功" in answer and "三体" in answer
    assert f"应还日期 {due.isoformat()}" in answer
    verdict = page.get_by_test_id("desk-verdict")
    assert verdict.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") >= 28
    assert _focused_name(page) == "scan"
    assert page.get_by_test_id("desk-input").input_value() == ""
    assert "在借 1 / 可借" in page.get_by_test_id("desk-reader").inner_text()

    # the same barcode again: the answer is "already lent", unchanged, and nothing more is lent
    answer = _scan(page, "B0001")
    assert "已借出（" in answer and "借出成功" not in answer
    assert f"应还日期 {due.isoformat()}" in answer
    assert Loan.objects.filter(copy=copy).count() == 1

    # return mode: the copy goes back on the shelf
    page.get_by_test_id("mode-return").click()
    page.wait_for_load_state()
    assert _focused_name(page) == "scan"
    answer = _scan(page, "B0001")
    assert "归还成功" in answer and "放回书架" in answer
    loan = Loan.objects.get(copy=copy)
    assert loan.returned_at is not None
    copy.refresh_from_db()
    assert copy.status == CopyStatus.AVAILABLE


def test_the_desk_lends_a_scanned_copy_and_takes_it_back(page, tree):
    _journey(page, tree, "libdesk")


def test_the_desk_works_on_a_phone(phone_page, tree):
    _journey(phone_page, tree, "libdeskphone")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375  # nothing sticks out sideways
