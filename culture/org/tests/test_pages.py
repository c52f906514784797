"""The org tree pages, per role: what each sees, what each may change."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from culture.accounts.tests.factories import UserFactory
from culture.core.models import AuditEntry
from culture.org.models import OrgUnit

pytestmark = pytest.mark.django_db


def table_codes(html: str) -> list[str]:
    return re.findall(r'<tr data-code="(\d+)">', html)


# ----- the overview page ---------------------------------------------------------------------
def test_district_officer_sees_the_18_subdistricts(demo, login):
    html = login(demo["district_user"]).get(reverse("org:tree")).content.decode()
    codes = table_codes(html)
    assert len(codes) == 18 and all(len(c) == 9 for c in codes)
    assert "武林街道" in html and "半山街道" in html
    assert 'data-testid="kpi-subdistricts">18<' in html
    n_communities = OrgUnit.objects.filter(level="community").count()
    assert f'data-testid="kpi-communities">{n_communities}<' in html
    assert "/org/geojson/?level=subdistrict&amp;parent=330105" in html
    assert "vendor/echarts.min.js" in html and "cdn" not in html.lower()


def test_evaluator_sees_everything_read_only(demo, login):
    client = login(demo["evaluator"])
    assert len(table_codes(client.get(reverse("org:tree")).content.decode())) == 18
    page = client.get(reverse("org:unit", args=[demo["hushu"].code])).content.decode()
    assert reverse("org:unit_edit", args=[demo["hushu"].code]) not in page


def test_subdistrict_officer_sees_only_their_subdistrict(demo, login):
    html = login(demo["subdistrict_user"]).get(reverse("org:tree")).content.decode()
    expected = list(OrgUnit.objects.filter(parent=demo["hushu"]).values_list("code", flat=True))
    assert sorted(table_codes(html)) == sorted(expected)
    assert 'data-testid="kpi-subdistricts">1<' in html
    assert "武林街道" not in html
    assert f"parent={demo['hushu'].code}" in html


def test_community_worker_sees_only_their_community(demo, login):
    html = login(demo["community_user"]).get(reverse("org:tree")).content.decode()
    assert table_codes(html) == [demo["community"].code]
    assert 'data-testid="kpi-subdistricts">0<' in html
    assert 'data-testid="kpi-communities">1<' in html
    assert f"unit={demo['community'].code}" in html


def test_a_resident_gets_403_and_a_visitor_the_login_page(tree, client):
    assert client.get(reverse("org:tree")).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse("org:tree")).status_code == 403


# ----- a unit's page -------------------------------------------------------------------------
def test_unit_page_breadcrumbs_facts_and_children(demo, login):
    community = demo["community"]
    html = (
        login(demo["district_user"])
        .get(reverse("org:unit", args=[community.code]))
        .content.decode()
    )
    crumbs = html.split('data-testid="breadcrumbs"')[1].split("</nav>")[0]
    assert 'href="/org/330105/"' in crumbs and f'href="/org/{demo["hushu"].code}/"' in crumbs
    assert crumbs.index("拱墅区") < crumbs.index("湖墅街道") < crumbs.index(community.name_zh)
    assert f"{community.population:,}" in html
    assert f"unit={community.code}" in html  # a community's map is its own boundary

    html = (
        login(demo["district_user"])
        .get(reverse("org:unit", args=[demo["hushu"].code]))
        .content.decode()
    )
    assert sorted(table_codes(html)) == sorted(
        OrgUnit.objects.filter(parent=demo["hushu"]).values_list("code", flat=True)
    )


def test_breadcrumbs_above_the_scope_are_not_links(demo, login):
    html = (
        login(demo["community_user"])
        .get(reverse("org:unit", args=[demo["community"].code]))
        .content.decode()
    )
    crumbs = html.split('data-testid="breadcrumbs"')[1].split("</nav>")[0]
    assert "拱墅区" in crumbs and 'href="/org/330105/"' not in crumbs
    assert f'href="/org/{demo["hushu"].code}/"' not in crumbs


def test_out_of_scope_unit_is_403_and_logged_unknown_is_404(demo, login):
    client = login(demo["community_user"])
    response = client.get(reverse("org:unit", args=[demo["neighbour"].code]))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    assert AuditEntry.objects.filter(action="access.refused", actor=demo["community_user"]).exists()
    assert client.get(reverse("org:unit", args=[demo["wulin"].code])).status_code == 403
    assert client.get(reverse("org:unit", args=["330105999"])).status_code == 404
    assert client.get(reverse("org:unit", args=["not-a-code"])).status_code == 404

    officer = login(demo["subdistrict_user"])
    assert officer.get(reverse("org:unit", args=[demo["wulin"].code])).status_code == 403
    assert officer.get(reverse("org:unit", args=["330105"])).status_code == 403
    assert officer.get(reverse("org:unit", args=[demo["neighbour"].code])).status_code == 200


# ----- editing -------------------------------------------------------------------------------
def test_district_officer_edits_a_unit_and_the_change_is_audited(tree, users, login):
    unit = tree["c21"]
    response = login(users["district"]).post(
        reverse("org:unit_edit", args=[unit.code]),
        {
            "name_zh": "仓基新村社区",
            "name_en": "Cangji Xincun Community",
            "population": "6543",
            "area_km2": "0.512",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "org:unit", args=[unit.code]
    )
    unit.refresh_from_db()
    assert (unit.name_zh, unit.population, str(unit.area_km2)) == ("仓基新村社区", 6543, "0.512")
    entry = AuditEntry.objects.get(action="org.unit_updated", target_id=str(unit.pk))
    assert entry.actor == users["district"]
    assert entry.before["population"] == 6000 and entry.after["population"] == 6543


@pytest.mark.parametrize(
    ("population", "message"),
    [("-5", "常住人口不能为负数"), ("很多", "常住人口必须是整数"), ("", "请填写常住人口")],
)
def test_bad_population_shows_a_field_error_and_changes_nothing(
    tree, users, login, population, message
):
    unit = tree["c11"]
    response = login(users["community"]).post(
        reverse("org:unit_edit", args=[unit.code]),
        {"name_zh": unit.name_zh, "name_en": "", "population": population, "area_km2": ""},
    )
    assert response.status_code == 422
    html = response.content.decode()
    errors = html.split('data-field="population"')[1].split("</ul>")[0]
    assert message in errors
    unit.refresh_from_db()
    assert unit.population == 8000
    assert not AuditEntry.objects.filter(action="org.unit_updated").exists()


def test_empty_name_and_negative_area_are_refused(tree, users, login):
    unit = tree["c11"]
    response = login(users["subdistrict"]).post(
        reverse("org:unit_edit", args=[unit.code]),
        {"name_zh": "  ", "population": "100", "area_km2": "-1"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-field="name_zh"' in html and 'data-field="area_km2"' in html
    assert "面积不能为负数" in html


def test_evaluator_cannot_open_or_post_the_edit_form(tree, users, login):
    client = login(users["evaluator"])
    url = reverse("org:unit_edit", args=[tree["c11"].code])
    assert client.get(url).status_code == 403
    assert client.post(url, {"name_zh": "改名", "population": "1"}).status_code == 403
    tree["c11"].refresh_from_db()
    assert tree["c11"].name_zh != "改名"


def test_writers_edit_only_inside_their_scope(tree, users, login):
    worker = login(users["community"])
    assert worker.get(reverse("org:unit_edit", args=[tree["c11"].code])).status_code == 200
    assert worker.get(reverse("org:unit_edit", args=[tree["c12"].code])).status_code == 403
    assert worker.get(reverse("org:unit_edit", args=[tree["s1"].code])).status_code == 403
    officer = login(users["subdistrict"])
    assert officer.get(reverse("org:unit_edit", args=[tree["c12"].code])).status_code == 200
    assert (
        officer.post(
            reverse("org:unit_edit", args=[tree["c21"].code]), {"name_zh": "x", "population": "1"}
        ).status_code
        == 403
    )


def test_edit_form_needs_post_for_changes(tree, users, login):
    client = login(users["district"])
    url = reverse("org:unit_edit", args=[tree["c11"].code])
    assert client.get(url + "?population=1").status_code == 200
    tree["c11"].refresh_from_db()
    assert tree["c11"].population == 8000


def test_pages_in_english(demo, login):
    client = login(demo["district_user"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("org:tree")).content.decode()
    assert "Wulin Subdistrict" in html and "Organisation" in html and "Population" in html


def test_page_queries_do_not_grow_with_the_number_of_units(tree, users, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from culture.org.tests.factories import community, subdistrict

    client = login(users["district"])

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = (count(reverse("org:tree")), count(reverse("org:unit", args=["330105001"])))
    for _ in range(3):
        s = subdistrict()
        community(parent=s)
    community(parent=tree["s1"])
    community(parent=tree["s1"])
    after = (count(reverse("org:tree")), count(reverse("org:unit", args=["330105001"])))
    assert after == before


def test_district_map_can_show_every_community(demo, login):
    client = login(demo["district_user"])
    html = client.get(reverse("org:tree") + "?layer=community").content.decode()
    assert "/org/geojson/?level=community" in html
    assert len(table_codes(html)) == 18  # the table still lists the subdistricts
    officer = login(demo["subdistrict_user"]).get(reverse("org:tree") + "?layer=community")
    assert 'data-testid="map-layers"' not in officer.content.decode()
    assert f"parent={demo['hushu'].code}" in officer.content.decode()
