"""The import pages on a phone (375 px): the htmx upload shows its progress, the job page polls
until done, and nothing is wider than the screen."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from culture.accounts.tests.factories import PASSWORD
from culture.core.tests.browser_fixtures import sign_in
from culture.org.models import OrgUnit
from culture.spreadsheets.tests.helpers import ORG_HEADERS, community_rows, xlsx_bytes

pytestmark = pytest.mark.browser
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOTS = os.environ.get("SHEETS_SCREENSHOTS")  # a folder: save screenshots there to look at


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def test_phone_upload_with_progress_then_job_page(phone_page, tree, users):
    page = phone_page
    sign_in(page, users["district"].username, PASSWORD)
    page.goto(reverse("spreadsheets:import_home"))
    assert page_width(page) <= 375
    shot(page, "home-phone.png")
    page.goto(reverse("spreadsheets:import", args=["org_units"]))
    assert page_width(page) <= 375
    content = xlsx_bytes(ORG_HEADERS, community_rows(tree["s1"].code, 300, start=3))
    page.locator("input[type=file]").set_input_files(
        {"name": "phone.xlsx", "mimeType": XLSX, "buffer": content}
    )
    with page.expect_navigation(url="**/spreadsheets/jobs/**"):
        page.locator("#main form button[type=submit]").click()
    page.locator("#job:not([hx-get])").wait_for()
    assert page.locator("#job").get_attribute("data-status") == "done"
    assert page.get_by_test_id("created").inner_text() == "300"
    assert page_width(page) <= 375
    shot(page, "job-phone.png")
    assert OrgUnit.objects.filter(parent=tree["s1"]).count() == 302


def test_upload_progress_bar_fills_and_a_refusal_is_shown_in_place(page, tree, users):
    sign_in(page, users["district"].username, PASSWORD)
    page.goto(reverse("spreadsheets:import", args=["org_units"]))
    page.locator("input[type=file]").set_input_files(
        {"name": "fake.xlsx", "mimeType": XLSX, "buffer": b"%PDF-1.7 not a workbook" * 2000}
    )
    page.locator("#main form button[type=submit]").click()
    error = page.get_by_test_id("upload-error")
    error.wait_for()
    assert "PDF" in error.inner_text()
    progress = page.locator("#upload-progress")
    assert progress.is_visible()
    assert progress.evaluate("el => el.value") == 100  # htmx:xhr:progress reached the bar
    assert page.url.endswith("/spreadsheets/import/org_units/")
    shot(page, "refused-desktop.png")


def test_elderly_mode_job_page(page, tree, users):
    sign_in(page, users["district"].username, PASSWORD)
    page.goto(reverse("spreadsheets:import_home"))
    page.get_by_test_id("elderly-toggle").click()
    page.goto(reverse("spreadsheets:import_home"))
    assert page.locator("body.elderly").count() == 1
    assert page.locator('a[href="/spreadsheets/import/org_units/"]').is_visible()
    shot(page, "home-elderly.png")
