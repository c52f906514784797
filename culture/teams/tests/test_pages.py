"""Pages per role: lists with filters and export links, details, forms with field errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from culture.org.models import ResidentialDevelopment
from culture.teams.models import CulturalOrganisation, CulturalTeam, CultureTalent
from culture.teams.tests.factories import development, household, organisation, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(tree):
    return {
        "in": team("T-IN", tree["c11"], name="湖墅一号合唱团", kind="choir"),
        "sub": team("T-SUB", tree["s1"], name="湖墅街道民乐团", kind="folk_orchestra"),
        "out": team("T-OUT", tree["c21"], name="武林越界艺术团", kind="art_troupe"),
        "dev_in": development(
            "D-IN",
            tree["c11"],
            name="运河湾小区",
            population=1000,
            indoor_fitness_m2=Decimal("50"),
            outdoor_fitness_m2=Decimal("100"),
            culture_space_m2=Decimal("120"),
        ),
        "dev_out": development("D-OUT", tree["c21"], name="越界小区"),
    }


def test_the_district_officer_lists_every_team_with_kind_counts_and_export_links(
    login, users, data
):
    response = login(users["district"]).get("/teams/")
    body = response.content.decode()
    assert response.status_code == 200
    for name in ("湖墅一号合唱团", "湖墅街道民乐团", "武林越界艺术团"):
        assert name in body
    assert "/spreadsheets/export/teams/?format=xlsx" in body
    assert 'data-testid="core-coverage"' in body


def test_a_subdistrict_officer_sees_only_their_subdistrict(login, users, data, tree):
    client = login(users["subdistrict"])
    body = client.get("/teams/").content.decode()
    assert "湖墅一号合唱团" in body and "湖墅街道民乐团" in body
    assert "武林越界艺术团" not in body and tree["s2"].name_zh not in body
    assert client.get("/teams/team/T-OUT/").status_code == 403
    assert client.get("/teams/team/NOPE/").status_code == 404


def test_filters_by_kind_and_unit(login, users, data, tree):
    client = login(users["district"])
    body = client.get("/teams/", {"kind": "folk_orchestra"}).content.decode()
    assert "湖墅街道民乐团" in body and "湖墅一号合唱团" not in body
    body = client.get("/teams/", {"unit": tree["c11"].code}).content.decode()
    assert "湖墅一号合唱团" in body and "湖墅街道民乐团" not in body


def test_the_detail_page_shows_the_active_rule(login, users, tree):
    team(
        "T-A",
        tree["c11"],
        name="活跃团",
        last_active_on=timezone.localdate(),
        members=[{"name": "张三", "role": "团长"}],
    )
    body = login(users["community"]).get("/teams/team/T-A/").content.decode()
    assert "CULTURE_ACTIVE_TEAM_WINDOW_DAYS" in body
    assert "张三" in body and "团长" in body


def test_create_a_team_with_field_errors_then_valid(login, users, tree):
    client = login(users["community"])
    assert client.get("/teams/new/").status_code == 200
    bad = client.post(
        "/teams/new/",
        {
            "code": "T-NEW",
            "name": "",
            "kind": "choir",
            "org_unit": tree["c11"].code,
            "members_count": "-1",
        },
    )
    assert bad.status_code == 422
    assert not CulturalTeam.objects.filter(code="T-NEW").exists()
    body = bad.content.decode()
    assert 'data-field="name"' in body and 'data-field="members_count"' in body
    ok = client.post(
        "/teams/new/",
        {
            "code": "T-NEW",
            "name": "新合唱团",
            "kind": "choir",
            "org_unit": tree["c11"].code,
            "members_count": "12",
            "is_active": "on",
            "members": "张三:团长, 李四",
        },
    )
    assert ok.status_code == 302 and ok["Location"] == "/teams/team/T-NEW/"
    created = CulturalTeam.objects.get(code="T-NEW")
    assert created.members == [{"name": "张三", "role": "团长"}, {"name": "李四", "role": ""}]


def test_a_neighbouring_community_is_not_offered_and_refused(login, users, tree):
    client = login(users["community"])
    response = client.post(
        "/teams/new/",
        {
            "code": "T-NB",
            "name": "邻居团",
            "kind": "choir",
            "org_unit": tree["c12"].code,
            "members_count": "1",
        },
    )
    assert response.status_code == 422
    assert not CulturalTeam.objects.filter(code="T-NB").exists()


def test_an_evaluator_reads_but_gets_no_forms(login, users, data):
    client = login(users["evaluator"])
    assert client.get("/teams/").status_code == 200
    assert "/teams/new/" not in client.get("/teams/").content.decode()
    assert client.get("/teams/new/").status_code == 403
    assert client.get("/teams/team/T-IN/edit/").status_code == 403
    assert client.post("/teams/team/T-IN/edit/", {"name": "x"}).status_code == 403


def test_edit_keeps_the_code(login, users, data, tree):
    client = login(users["subdistrict"])
    response = client.post(
        "/teams/team/T-IN/edit/",
        {
            "code": "CHANGED",
            "name": "改名合唱团",
            "kind": "choir",
            "org_unit": tree["c12"].code,
            "members_count": "30",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    changed = CulturalTeam.objects.get(code="T-IN")
    assert (changed.name, changed.org_unit) == ("改名合唱团", tree["c12"])


def test_organisation_pages_show_the_phone_masked(login, users, tree):
    organisation(
        "O-1", tree["s1"], name="湖墅妇女活动中心", kind="women_centre", phone="13912345678"
    )
    client = login(users["subdistrict"])
    body = client.get("/teams/organisations/").content.decode()
    assert "湖墅妇女活动中心" in body and "139****5678" in body and "13912345678" not in body
    body = client.get("/teams/organisations/O-1/").content.decode()
    assert "139****5678" in body and "13912345678" not in body
    response = client.post(
        "/teams/organisations/new/",
        {
            "code": "O-2",
            "name": "青少年宫",
            "kind": "youth_centre",
            "org_unit": tree["s1"].code,
            "phone": "12",
        },
    )
    assert response.status_code == 422 and 'data-field="phone"' in response.content.decode()
    response = client.post(
        "/teams/organisations/O-1/edit/",
        {
            "name": "湖墅妇女活动中心",
            "kind": "women_centre",
            "org_unit": tree["s1"].code,
            "contact_name": "王老师",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    org = CulturalOrganisation.objects.get(code="O-1")
    assert (org.contact_name, org.phone_masked) == ("王老师", "139****5678")


def test_households_and_talents_pages(login, users, tree):
    household("H-1", tree["c11"], name="运河人家")
    client = login(users["community"])
    body = client.get("/teams/households/").content.decode()
    assert "运河人家" in body
    response = client.post(
        "/teams/talents/new/",
        {
            "code": "R-1",
            "name": "剪纸能人",
            "community": tree["c11"].code,
            "speciality": "剪纸",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert CultureTalent.objects.get(code="R-1").speciality == "剪纸"
    assert "剪纸能人" in client.get("/teams/talents/").content.decode()


def test_development_pages_show_ratios_and_verdict(login, users, data, tree):
    client = login(users["subdistrict"])
    body = client.get("/org/developments/").content.decode()
    assert "运河湾小区" in body and "越界小区" not in body
    assert "0.050" in body and "0.100" in body and "0.120" in body  # m2 per person
    assert "未达标" in body
    detail = client.get("/org/developments/D-IN/").content.decode()
    assert 'data-testid="fitness-verdict"><span class="badge bad">' in detail
    assert client.get("/org/developments/D-OUT/").status_code == 403
    bad = client.post(
        "/org/developments/new/",
        {
            "code": "D-NEW",
            "name": "新小区",
            "community": tree["c12"].code,
            "population": "abc",
            "indoor_fitness_m2": "-1",
            "outdoor_fitness_m2": "0",
            "culture_space_m2": "0",
        },
    )
    assert bad.status_code == 422
    assert 'data-field="population"' in bad.content.decode()
    ok = client.post(
        "/org/developments/new/",
        {
            "code": "D-NEW",
            "name": "新小区",
            "community": tree["c12"].code,
            "population": "1000",
            "indoor_fitness_m2": "100",
            "outdoor_fitness_m2": "0",
            "culture_space_m2": "80",
            "is_future_community": "on",
            "completion_year": "2024",
        },
    )
    assert ok.status_code == 302
    dev = ResidentialDevelopment.objects.get(code="D-NEW")
    assert dev.is_future_community and dev.indoor_fitness_m2 == Decimal("100.0")
    assert client.get("/org/developments/D-NEW/").status_code == 200
    assert client.get(f"/org/{tree['c11'].code}/").status_code == 200  # unit pages still resolve


def test_pages_are_translated_to_english(login, users, data, settings):
    client = login(users["district"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/teams/").content.decode()
    assert "<h1>Cultural teams</h1>" in body and "New team" in body
    body = client.get("/org/developments/").content.decode()
    assert "Residential developments and future communities" in body
