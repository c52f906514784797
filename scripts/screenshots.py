"""Screenshots of a running platform with the demo data set, for the README and the guides.

    PORT=8765 make run &                      # or any server with `seed_demo` loaded
    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8765 docs/screenshots

Signs in through the login form as the demo users (culture/demo/logins.py) in headless Debian
Chromium and saves desktop (1280 px) and phone (375 px) pictures. Needs no Django settings: it
only talks HTTP to the server.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from culture.demo.logins import DEMO_PASSWORD  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {
    "viewport": {"width": 375, "height": 812},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    form = page.locator("#main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def wait_for_map(page: Page) -> None:
    """The ECharts map draws after its GeoJSON arrives: wait for painted pixels."""
    if page.locator("[data-testid=org-map]").count() == 0:
        return
    page.wait_for_function(
        """() => {
            const c = document.querySelector('[data-testid=org-map] canvas');
            if (!c || !c.width) return false;
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 3; i < d.length; i += 64) if (d[i] > 0) n++;
            return n > 500;
        }"""
    )


def shoot(page: Page, folder: Path, name: str, *, full_page: bool = True) -> None:
    page.wait_for_load_state("networkidle")
    wait_for_map(page)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    print(f"wrote {path}")


def main(base_url: str, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
        )

        def tab(**options) -> Page:
            context = browser.new_context(base_url=base_url, locale="zh-CN", **options)
            return context.new_page()

        page = tab(**DESKTOP)
        page.goto("/")
        shoot(page, folder, "home-desktop")
        sign_in(page, "district")
        shoot(page, folder, "org-tree-desktop")
        first_subdistrict = page.locator("[data-testid=org-units-table] td.unit-name a").first
        first_subdistrict.click()
        page.wait_for_load_state()
        shoot(page, folder, "org-unit-desktop")
        page.goto("/spreadsheets/")
        shoot(page, folder, "import-desktop")
        page.goto("/accounts/residents/")
        shoot(page, folder, "residents-desktop")
        page.context.close()

        page = tab(**DESKTOP)
        sign_in(page, "hushu")
        shoot(page, folder, "subdistrict-desktop")
        page.context.close()

        page = tab(**PHONE)
        page.goto("/")
        shoot(page, folder, "home-phone")
        sign_in(page, "district")
        shoot(page, folder, "org-tree-phone")
        page.context.close()

        page = tab(**PHONE)
        sign_in(page, "13800000001")
        with page.expect_navigation():
            page.get_by_test_id("elderly-toggle").click()
        shoot(page, folder, "elderly-phone")
        page.context.close()

        browser.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1].rstrip("/"), Path(sys.argv[2]))
