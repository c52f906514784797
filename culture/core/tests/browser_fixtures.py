"""Fixtures for the browser tests: Debian's headless Chromium driven by Playwright's sync API
against pytest-django's `live_server` (a real HTTP server on a thread, so these tests use
`transactional_db`: the data a test creates is committed, and flushed afterwards).

Loaded for the whole suite by `conftest.py` (`pytest_plugins`). Mark browser tests
`@pytest.mark.browser`; use the fixtures

- `page`: a fresh desktop tab (1280x900) whose relative URLs go to the live server;
- `phone_page`: a fresh phone tab (375x812, touch, mobile viewport);
- `sign_in(page, username, password)`: signs in through the real login form;
- `browser`: the one Chromium of the session, for tests that need their own contexts.

Every tab records JavaScript errors, console errors and failed scripts, styles, images and fonts;
a test fails if any occurred (mark it `allow_console_errors` when that is the point). When a test
fails, a screenshot of each of its tabs goes to `test-artifacts/`.

Chromium is the system one (`/usr/bin/chromium`, installed by `scripts/system-deps.sh`); never
`playwright install`, which downloads a browser.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connections
from django.urls import reverse
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API keeps an asyncio loop registered on the main thread for the whole session,
# so Django would refuse every ORM call made after the first browser test without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
TIMEOUT_MS = 15_000
WATCHED_RESOURCES = {"script", "stylesheet", "image", "font"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "allow_console_errors: the browser test expects console or resource errors"
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


_REPORTS = pytest.StashKey[dict]()


def _test_failed(node: pytest.Item) -> bool:
    reports = node.stash.get(_REPORTS, {})
    return any(r.failed for r in reports.values())


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (Debian package chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def _watch(page: Page) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))

    def on_console(message) -> None:
        # A page answered 4xx (a form error, the lockout page) is reported by Chromium as
        # "Failed to load resource"; sub-resources are checked by `on_response` instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console error: {message.text}")

    def on_response(response) -> None:
        if response.request.resource_type in WATCHED_RESOURCES and response.status >= 400:
            problems.append(f"{response.status} for {response.url}")

    def on_request_failed(request) -> None:
        if request.resource_type in WATCHED_RESOURCES:
            problems.append(f"failed to load {request.url}: {request.failure}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    return problems


def _open_tab(browser: Browser, live_server, request: pytest.FixtureRequest, name: str, **options):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    problems = _watch(tab)
    yield tab
    try:
        if _test_failed(request.node):
            folder = request.config.rootpath / "test-artifacts"
            folder.mkdir(exist_ok=True)
            stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
            tab.screenshot(path=str(folder / f"{stem}-{name}.png"), full_page=True)
        elif problems and not request.node.get_closest_marker("allow_console_errors"):
            pytest.fail("browser reported problems:\n" + "\n".join(problems), pytrace=False)
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser, live_server, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from _open_tab(browser, live_server, request, "desktop", viewport=DESKTOP)


@pytest.fixture
def phone_page(browser: Browser, live_server, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from _open_tab(
        browser,
        live_server,
        request,
        "phone",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )


def sign_in(page: Page, username: str, password: str) -> None:
    """Sign in through the real login form and wait for the page it leads to."""
    page.goto(reverse("accounts:login"))
    form = page.locator("#main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


@pytest.fixture
def browser_sign_in() -> Callable[[Page, str, str], None]:
    return sign_in


# ---- the append-only audit log and transactional tests ---------------------------------------
# A transactional test (live_server, transactional_db, django_db(transaction=True)) ends with a
# flush of every table, which the audit log's append-only triggers refuse. Around that flush the
# triggers are dropped, then recreated by the migration's own code, so the next test sees them.


def _audit_migration():
    return importlib.import_module("culture.core.migrations.0002_audit_append_only")


def _is_transactional(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    if names & {"live_server", "transactional_db", "django_db_serialized_rollback"}:
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)))


def _set_audit_triggers(enabled: bool) -> None:
    migration = _audit_migration()
    for alias in connections:
        connection = connections[alias]
        with connection.schema_editor(atomic=False) as editor:
            migration.backwards(None, editor)
            if enabled:
                migration.forwards(None, editor)
        if enabled:
            # Opened outside any test: leave no session behind (PostgreSQL refuses to drop the
            # test database at the end while one is connected).
            connection.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    setup = item.stash.get(_REPORTS, {}).get("setup")
    # Only once the test database is certainly in place (never touch a development database).
    transactional = setup is not None and setup.passed and _is_transactional(item)
    if transactional:
        from pytest_django.plugin import blocking_manager_key

        blocker = item.config.stash[blocking_manager_key]
        with blocker.unblock():
            _set_audit_triggers(enabled=False)
    try:
        return (yield)
    finally:
        # After the last test the session's test database is gone: nothing to restore.
        if transactional and nextitem is not None:
            with blocker.unblock():
                _set_audit_triggers(enabled=True)
