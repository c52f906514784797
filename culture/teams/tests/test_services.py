"""Services of teams, households, talents, organisations and residential developments: kinds,
validation, scope and the audit log."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from culture.core.errors import FieldErrors, OutOfScope
from culture.core.models import AuditEntry
from culture.org.selectors_developments import development_list, meets_fitness_standard
from culture.org.services import development_upsert
from culture.teams import selectors
from culture.teams.models import CulturalOrganisation, CulturalTeam
from culture.teams.services import (
    culture_talent_upsert,
    organisation_upsert,
    parse_members,
    team_mark_active,
    team_upsert,
)
from culture.teams.tests.factories import development, organisation, team

pytestmark = pytest.mark.django_db


def test_a_team_is_created_updated_and_left_unchanged_with_an_audit_entry_each_change(tree, users):
    officer = users["subdistrict"]
    created, status = team_upsert(
        actor=officer,
        code="T-001",
        name="湖墅合唱团",
        kind="choir",
        org_unit=tree["s1"],
        members_count=32,
        members=[{"name": "张三", "role": "团长"}],
    )
    assert status == "created"
    assert created.is_core_kind
    assert created.members == [{"name": "张三", "role": "团长"}]
    _t, status = team_upsert(
        actor=officer,
        code="T-001",
        name="湖墅合唱团",
        kind="choir",
        org_unit=tree["s1"],
        members_count=32,
    )
    assert status == "unchanged"
    _t, status = team_upsert(
        actor=officer,
        code="T-001",
        name="湖墅合唱团",
        kind="choir",
        org_unit=tree["c11"],
        members_count=40,
    )
    assert status == "updated"
    team = CulturalTeam.objects.get(code="T-001")
    assert (team.org_unit, team.members_count) == (tree["c11"], 40)
    assert team.members == [{"name": "张三", "role": "团长"}]  # None keeps the member list
    actions = list(
        AuditEntry.objects.filter(target_id=str(team.pk), target_type="teams.culturalteam")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["teams.team_created", "teams.team_updated"]


def test_dance_is_a_kind_but_not_one_of_the_three_troupes_three_societies(tree):
    dance = team("T-D", tree["c11"], kind="dance")
    assert not dance.is_core_kind
    assert team("T-P", tree["c11"], kind="photography").is_core_kind


def test_team_validation_names_every_bad_field(tree):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(FieldErrors) as exc:
        team_upsert(
            actor=None,
            code="坏 编号",
            name="",
            kind="opera_house",
            org_unit=tree["district"],
            members_count=-3,
            founded_on=tomorrow,
        )
    assert set(exc.value.errors) == {
        "code",
        "name",
        "kind",
        "org_unit",
        "members_count",
        "founded_on",
    }
    assert not CulturalTeam.objects.exists()


def test_last_active_before_founding_is_refused(tree):
    with pytest.raises(FieldErrors) as exc:
        team("T-X", tree["c11"], founded_on=date(2020, 1, 1), last_active_on=date(2019, 5, 1))
    assert list(exc.value.errors) == ["last_active_on"]


def test_scope_a_subdistrict_officer_writes_only_in_their_subdistrict(tree, users):
    officer = users["subdistrict"]
    with pytest.raises(OutOfScope):
        team_upsert(actor=officer, code="T-2", name="越界团", kind="choir", org_unit=tree["s2"])
    outside = team("T-OUT", tree["c21"])
    with pytest.raises(OutOfScope):  # moving a team in from outside needs the old unit too
        team_upsert(actor=officer, code="T-OUT", name="x", kind="choir", org_unit=tree["c11"])
    outside.refresh_from_db()
    assert outside.org_unit == tree["c21"]


def test_scope_a_community_worker_cannot_write_in_the_neighbouring_community(tree, users):
    worker = users["community"]
    team_upsert(actor=worker, code="T-C", name="本社区团", kind="dance", org_unit=tree["c11"])
    with pytest.raises(OutOfScope):
        team_upsert(actor=worker, code="T-N", name="邻居团", kind="dance", org_unit=tree["c12"])


def test_an_evaluator_never_writes(tree, users):
    with pytest.raises(OutOfScope):
        team_upsert(
            actor=users["evaluator"], code="T-E", name="评估", kind="choir", org_unit=tree["c11"]
        )
    assert not CulturalTeam.objects.exists()


def test_create_only_refuses_a_taken_code(tree):
    team("T-1", tree["c11"])
    with pytest.raises(FieldErrors) as exc:
        team_upsert(
            actor=None,
            code="T-1",
            name="重复",
            kind="choir",
            org_unit=tree["c11"],
            create_only=True,
        )
    assert "code" in exc.value.errors


def test_the_active_team_rule_is_a_named_setting(tree, settings):
    today = timezone.localdate()
    recent = team("T-R", tree["c11"], last_active_on=today - timedelta(days=100))
    team("T-O", tree["c11"], last_active_on=today - timedelta(days=400))
    team("T-S", tree["c11"], last_active_on=today - timedelta(days=10), is_active=False)
    team("T-N", tree["c11"])
    active = CulturalTeam.objects.filter(selectors.active_team_q())
    assert list(active.values_list("code", flat=True)) == ["T-R"]
    assert selectors.team_counts_as_active(recent)
    settings.CULTURE_ACTIVE_TEAM_WINDOW_DAYS = 60
    assert not CulturalTeam.objects.filter(selectors.active_team_q()).exists()
    assert not selectors.team_counts_as_active(recent)


def test_mark_active_keeps_the_latest_date(tree, users):
    t = team("T-M", tree["c11"], last_active_on=date(2024, 5, 1))
    team_mark_active(actor=users["community"], team=t, on=date(2024, 3, 1))
    assert CulturalTeam.objects.get(pk=t.pk).last_active_on == date(2024, 5, 1)
    team_mark_active(actor=users["community"], team=t, on=date(2024, 6, 2))
    assert CulturalTeam.objects.get(pk=t.pk).last_active_on == date(2024, 6, 2)


def test_members_text_parses_names_and_roles():
    assert parse_members("张三:团长，李四；王五：指挥\n") == [
        {"name": "张三", "role": "团长"},
        {"name": "李四", "role": ""},
        {"name": "王五", "role": "指挥"},
    ]


def test_core_kind_coverage_lists_what_a_subdistrict_lacks(tree, users):
    for i, kind in enumerate(
        ["choir", "folk_orchestra", "art_troupe", "literature", "photography"]
    ):
        team(f"T-{i}", tree["c11"] if i % 2 else tree["s1"], kind=kind)
    team("T-9", tree["c21"], kind="calligraphy_painting")
    rows = {r["unit"].code: r for r in selectors.core_kind_coverage(viewer=users["district"])}
    assert rows[tree["s1"].code]["n"] == 5
    assert rows[tree["s1"].code]["missing"] == ["书画社"]
    assert rows[tree["s2"].code]["n"] == 1
    own = selectors.core_kind_coverage(viewer=users["subdistrict"])
    assert [r["unit"].code for r in own] == [tree["s1"].code]


def test_talents_and_households_belong_to_a_community(tree):
    with pytest.raises(FieldErrors) as exc:
        culture_talent_upsert(actor=None, code="R-1", name="能人甲", community=tree["s1"])
    assert exc.value.errors == {"community": ["应为社区"]}
    talent, status = culture_talent_upsert(
        actor=None, code="R-1", name="能人甲", community=tree["c11"], speciality="剪纸"
    )
    assert (status, talent.speciality) == ("created", "剪纸")


def test_an_organisation_phone_is_encrypted_and_masked(tree, users):
    org, _ = organisation_upsert(
        actor=users["district"],
        code="O-1",
        name="区工人文化宫",
        kind="workers_palace",
        org_unit=tree["district"],
        phone="13912345678",
    )
    stored = CulturalOrganisation.objects.get(pk=org.pk)
    assert stored.phone_masked == "139****5678"
    assert "13912345678" not in stored.phone_enc
    _o, status = organisation_upsert(
        actor=users["district"],
        code="O-1",
        name="区工人文化宫",
        kind="workers_palace",
        org_unit=tree["district"],
        phone=None,
    )
    assert status == "unchanged"
    entry = AuditEntry.objects.get(action="teams.organisation_created")
    assert "13912345678" not in str(entry.after)
    with pytest.raises(FieldErrors) as exc:
        organisation_upsert(
            actor=None, code="O-2", name="x", kind="women_centre", org_unit=tree["s1"], phone="123"
        )
    assert list(exc.value.errors) == ["phone"]


def test_organisation_kinds_include_the_partners_the_policy_names(tree):
    for code, kind in [
        ("O-W", "women_centre"),
        ("O-Y", "youth_centre"),
        ("O-S", "social_organisation"),
    ]:
        organisation(code, tree["s1"], kind=kind)
    assert CulturalOrganisation.objects.count() == 3


def test_development_ratios_and_the_fitness_standard(tree, users):
    # 0.1 m2 indoor OR 0.3 m2 outdoor per person (S36).
    ok_indoor = development(
        "D-1",
        tree["c11"],
        population=2000,
        indoor_fitness_m2=Decimal("200"),
        outdoor_fitness_m2=Decimal("0"),
    )
    ok_outdoor = development(
        "D-2",
        tree["c11"],
        population=1000,
        indoor_fitness_m2=Decimal("50"),
        outdoor_fitness_m2=Decimal("300"),
    )
    short = development(
        "D-3",
        tree["c12"],
        population=3000,
        indoor_fitness_m2=Decimal("299.9"),
        outdoor_fitness_m2=Decimal("899.9"),
        culture_space_m2=Decimal("150"),
    )
    assert meets_fitness_standard(ok_indoor) and meets_fitness_standard(ok_outdoor)
    assert not meets_fitness_standard(short)
    assert short.culture_per_person == pytest.approx(0.05)
    assert short.indoor_per_person == pytest.approx(0.09997, abs=1e-5)
    below = development_list(viewer=users["district"], filters={"meets": "0"})
    assert list(below.values_list("code", flat=True)) == ["D-3"]
    meets = development_list(viewer=users["district"], filters={"meets": "1"})
    assert list(meets.values_list("code", flat=True)) == ["D-1", "D-2"]


def test_development_validation_and_scope(tree, users):
    with pytest.raises(FieldErrors) as exc:
        development_upsert(
            actor=None,
            code="D-X",
            name="",
            community=tree["s1"],
            population=-1,
            indoor_fitness_m2="abc",
            outdoor_fitness_m2=Decimal("-1"),
            completion_year=1800,
        )
    assert set(exc.value.errors) == {
        "name",
        "community",
        "population",
        "indoor_fitness_m2",
        "outdoor_fitness_m2",
        "completion_year",
    }
    with pytest.raises(OutOfScope):
        development_upsert(
            actor=users["subdistrict"], code="D-Y", name="越界", community=tree["c21"]
        )
    dev, status = development_upsert(
        actor=users["subdistrict"], code="D-Y", name="本街道", community=tree["c12"], population=10
    )
    assert status == "created"
    assert (
        AuditEntry.objects.filter(action="org.development_created", target_id=str(dev.pk)).count()
        == 1
    )
    assert list(development_list(viewer=users["community"]).values_list("code", flat=True)) == []
