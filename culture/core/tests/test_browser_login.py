"""Signing in through the real login form in a browser, and the lockout after repeated failures."""

import pytest

from culture.accounts.tests.factories import PASSWORD, UserFactory
from culture.core.tests.browser_fixtures import sign_in

pytestmark = pytest.mark.browser

LOCKED = "账号已暂时锁定"
WRONG = "用户名/手机号或密码不正确"


def test_five_failed_sign_ins_lock_the_account_even_for_the_right_password(page):
    UserFactory(username="wanglei")

    for _attempt in range(4):
        sign_in(page, "wanglei", "not-the-password")
        assert WRONG in page.locator("#main").inner_text()
    sign_in(page, "wanglei", "not-the-password")
    assert LOCKED in page.locator("h1").inner_text()

    sign_in(page, "wanglei", PASSWORD)

    assert LOCKED in page.locator("h1").inner_text()
    assert page.locator(".topbar .who").count() == 0
