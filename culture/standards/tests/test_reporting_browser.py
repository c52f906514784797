"""In a real browser: a community worker reports a figure from the menu on a phone, and the
subdistrict officer approves it on the desktop."""

# ruff: noqa: F811 (the shared fixtures are imported, then named as test arguments)

from __future__ import annotations

import os

import pytest

from culture.accounts.tests.factories import PASSWORD
from culture.core.tests.browser_fixtures import sign_in
from culture.standards.models import ReportedFigure
from culture.standards.tests.reporting_fixtures import test_catalogue  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("test_catalogue")]
SHOTS = os.environ.get("REPORTING_SCREENSHOTS")  # a folder: keep screenshots to look at


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def fits_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_report_on_a_phone_then_approve_on_the_desktop(phone_page, page, tree, users):
    sign_in(phone_page, users["community"].username, PASSWORD)
    phone_page.goto("/")
    phone_page.click("[data-testid=nav-reports]")
    phone_page.wait_for_selector("[data-testid=report-sheet]")
    assert fits_width(phone_page)
    phone_page.fill("input[name=v_S52_value]", "1.2")
    phone_page.click("button.primary")
    phone_page.wait_for_selector("[data-field=v_S52_value]")
    assert "应在 0 到 1 之间" in phone_page.locator("[data-field=v_S52_value]").inner_text()
    shot(phone_page, "sheet-error-phone")
    phone_page.fill("input[name=v_S52_value]", "86%")
    phone_page.fill("input[name=n_S52_value]", "问卷 300 份")
    phone_page.click("button.primary")
    phone_page.wait_for_selector("text=已提交 1 项填报")
    assert fits_width(phone_page)
    figure = ReportedFigure.objects.get()
    assert (str(figure.value), figure.status) == ("0.8600", "submitted")

    sign_in(page, users["subdistrict"].username, PASSWORD)
    page.goto("/standards/reports/review/")
    shot(page, "review-queue-desktop")
    row = page.locator("[data-testid=review-queue] tbody tr").first
    assert tree["c11"].name_zh in row.inner_text()
    row.locator("button[value=approve]").click()
    page.wait_for_selector("text=已通过")
    figure.refresh_from_db()
    assert figure.status == "approved"
    page.goto(f"/standards/reports/?unit={tree['c11'].code}")
    shot(page, "sheet-desktop")
    assert "已通过" in page.locator("[data-testid=report-sheet]").inner_text()


def test_a_district_officer_changes_a_definition_and_sees_the_evidence_form(page, users):
    sign_in(page, users["district"].username, PASSWORD)
    page.goto("/standards/definitions/")
    card = page.locator("[data-testid=definition-offpeak_end]")
    card.locator("input[name=value]").fill("18:30")
    card.locator("button.primary").click()
    page.wait_for_selector("text=评估结果将重新计算")
    assert page.locator(
        "[data-testid=definition-offpeak_end] [data-testid=value]"
    ).inner_text() == ("18:30")
    shot(page, "definitions-desktop")
    page.goto("/standards/attestations/upload/")
    assert page.locator("select[name=indicator_id] option").count() == 2  # T08, S53
    shot(page, "attestation-upload-desktop")
