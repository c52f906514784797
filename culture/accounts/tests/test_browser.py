"""In a real browser: a resident signs up on a phone with the SMS code, an officer reveals a number."""

from __future__ import annotations

import logging
import re

import pytest

from culture.accounts import services
from culture.accounts.tests.factories import PASSWORD, grant_reveal
from culture.accounts.tests.helpers import IDS
from culture.core.tests.browser_fixtures import sign_in

pytestmark = pytest.mark.browser


def fits_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_resident_signs_up_on_a_phone_with_the_sms_code(phone_page, tree, caplog):
    page = phone_page
    page.goto("/accounts/signup/")
    assert fits_width(page)
    page.fill("#id_name", "王建国")
    page.fill("#id_phone", "13800000001")
    page.fill("#id_id_number", IDS[1])
    page.select_option("#id_community", tree["c11"].code)
    page.fill("#id_password", "Canal-evening-2026")
    page.fill("#id_password2", "Canal-evening-2026")
    page.check("#id_agree")
    with caplog.at_level(logging.INFO, logger="culture.sms"):
        page.click("button.primary")
        page.wait_for_url("**/accounts/signup/verify/")
    sms = [r.getMessage() for r in caplog.records if r.name == "culture.sms"][-1]
    code = re.search(r"(\d{6})", sms).group(1)
    assert "138****0001" in page.locator("#main").inner_text()
    page.fill("#id_code", code)
    page.click("button.primary")
    page.wait_for_url("**/accounts/me/")
    text = page.locator("#main").inner_text()
    assert "138****0001" in text and "330105********0041" in text and IDS[1] not in text
    assert fits_width(page)

    page.get_by_role("button", name="开启长辈模式").click()
    page.wait_for_url("**/accounts/me/")
    assert "elderly" in (page.locator("body").get_attribute("class") or "")
    assert page.get_by_role("button", name="关闭长辈模式").is_visible()
    assert fits_width(page)


def test_officer_reveals_an_id_number_once(page, tree, users):
    resident = services.resident_register(
        actor=None,
        name="李奶奶",
        phone="13700000002",
        password=PASSWORD,
        id_number=IDS[2],
        community=tree["c12"],
    )
    grant_reveal(users["district"])
    sign_in(page, users["district"].username, PASSWORD)
    page.goto(f"/accounts/residents/{resident.pk}/")
    assert IDS[2] not in page.content()
    page.get_by_test_id("reveal-id_number").click()
    assert page.get_by_test_id("revealed").inner_text().count(IDS[2]) == 1
    assert IDS[2] not in page.url
    page.goto(f"/accounts/residents/{resident.pk}/")
    assert IDS[2] not in page.content()


def test_staff_list_fits_a_phone(phone_page, tree, users):
    services.staff_member_upsert(
        actor=None,
        staff_number="G0001",
        name="张一",
        org_unit=tree["c11"],
        position="社区文化专干",
        training={2025: "4", 2026: "5"},
    )
    sign_in(phone_page, users["community"].username, PASSWORD)
    phone_page.goto("/accounts/staff/")
    assert "G0001" in phone_page.locator("table").inner_text()
    assert fits_width(phone_page)
