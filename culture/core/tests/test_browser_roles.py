"""Each role signs in through the login form in a real browser and lands on its own home page,
seeing only what its scope allows."""

import pytest

from culture.accounts.services import resident_register
from culture.accounts.tests.factories import PASSWORD
from culture.core.tests.browser_fixtures import sign_in

pytestmark = pytest.mark.browser


def unit_names(page):
    return page.locator("[data-testid=org-units-table] td.unit-name").all_inner_texts()


def nav_links(page):
    return page.locator("nav.mainnav a").all_inner_texts()


def test_district_officer_lands_on_the_org_tree_with_both_subdistricts(page, tree, users):
    sign_in(page, users["district"].username, PASSWORD)

    assert page.url.endswith("/org/")
    assert page.locator("h1").inner_text().startswith("组织架构")
    assert sorted(unit_names(page)) == sorted(["湖墅街道", "武林街道"])
    assert page.get_by_test_id("kpi-subdistricts").inner_text() == "2"
    assert page.get_by_test_id("kpi-communities").inner_text() == "4"
    assert {"组织架构", "用户与角色", "居民", "审计日志", "数据导入"} <= set(nav_links(page))


def test_subdistrict_officer_sees_only_their_subdistrict(page, tree, users):
    sign_in(page, users["subdistrict"].username, PASSWORD)

    assert page.url.endswith("/org/")
    assert "湖墅街道" in page.locator("h1").inner_text()
    assert sorted(unit_names(page)) == sorted([tree["c11"].name_zh, tree["c12"].name_zh])
    assert "武林街道" not in page.locator("#main").inner_text()
    assert "用户与角色" not in nav_links(page)


def test_community_worker_sees_only_their_community(page, tree, users):
    sign_in(page, users["community"].username, PASSWORD)

    assert page.url.endswith("/org/")
    main = page.locator("#main").inner_text()
    assert tree["c11"].name_zh in main
    for other in ("c12", "c21", "c22"):
        assert tree[other].name_zh not in main
    assert "武林街道" not in main


def test_evaluator_sees_the_whole_district_read_only(page, tree, users):
    sign_in(page, users["evaluator"].username, PASSWORD)

    assert page.url.endswith("/org/")
    assert sorted(unit_names(page)) == sorted(["湖墅街道", "武林街道"])
    assert "数据导入" not in nav_links(page)


def test_resident_signs_in_with_phone_number_and_lands_on_me(page, tree):
    resident_register(
        actor=None,
        name="李秀英",
        phone="13912345678",
        password=PASSWORD,
        id_number="11010519491231002X",
        community=tree["c11"],
    )

    sign_in(page, "139 1234 5678", PASSWORD)

    assert page.url.endswith("/accounts/me/")
    assert page.locator("h1").inner_text() == "我的"
    assert page.get_by_test_id("me-phone").inner_text() == "139****5678"
    assert page.get_by_test_id("me-id").inner_text() == "110105********002X"
    assert nav_links(page) == ["预约", "借阅", "我的", "消息"]
