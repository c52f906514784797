"""The landing page in a real browser: what a visitor sees before signing in."""

import pytest

from culture.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from culture.demo.models import DemoDataset

pytestmark = pytest.mark.browser


def test_home_lists_demo_logins_and_says_data_are_synthetic(page):
    DemoDataset.objects.create(seed=42, description="合成演示数据")

    page.goto("/")

    assert page.locator("h1").first.inner_text() == "拱墅区公共文化服务平台"
    assert page.get_by_test_id("demo-password").inner_text() == DEMO_PASSWORD
    listed = page.locator("table code").all_inner_texts()
    assert listed == [login["username"] for login in DEMO_LOGINS]
    notice = page.get_by_test_id("synthetic-notice")
    assert "合成演示数据" in notice.inner_text()
    assert "随机种子 42" in notice.inner_text()


def test_home_without_demo_data_lists_no_logins(page):
    page.goto("/")

    assert page.get_by_test_id("demo-password").count() == 0
    assert page.get_by_test_id("synthetic-notice").count() == 0


def test_vendor_scripts_load(page):
    page.goto("/")

    assert page.evaluate("typeof window.htmx") == "object"
