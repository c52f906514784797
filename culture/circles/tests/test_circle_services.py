"""The circle registry's services: creation (one per community, a code made once), edits within
scope, acceptance only when the checklist holds (refused with what is missing), reopening, the
audit trail, and the residents inside accepted circles."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from culture.accounts.tests.factories import staff_user
from culture.circles.models import Circle, CircleStatus
from culture.circles.registry import (
    accepted_circle_population,
    circle_accept,
    circle_create,
    circle_list,
    circle_reopen,
    circle_update,
)
from culture.circles.tests.circle_data import GOOD, complete_circle, place, with_centroids
from culture.core.errors import FieldErrors, OutOfScope, ValidationFailed
from culture.core.models import AuditEntry
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.org.services import org_unit_update
from culture.venues.models import VenueKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree):
    with_centroids()
    return tree


def test_create_makes_the_code_from_the_community_and_a_default_name(world, users):
    c11 = world["c11"]
    circle = circle_create(actor=users["community"], community=c11)
    assert circle.code == f"QC{c11.code}" == "QC330105001001"
    assert circle.name == f"{c11.name_zh}15分钟品质文化生活圈"
    assert circle.status == CircleStatus.PLANNED and circle.community_path == c11.path
    entry = AuditEntry.objects.get(action="circles.circle_created")
    assert entry.actor == users["community"] and entry.target_id == str(circle.pk)
    assert entry.after["code"] == "QC330105001001" and entry.after["spaces"] == []


def test_one_circle_per_community_unless_an_extra_one_is_asked_for(world, users):
    c11 = world["c11"]
    circle_create(actor=None, community=c11)
    with pytest.raises(FieldErrors) as exc:
        circle_create(actor=users["district"], community=c11, name="第二个")
    assert "community" in exc.value.errors
    extra = circle_create(actor=users["district"], community=c11, name="第二个", extra=True)
    assert extra.code == "QC330105001001-2"
    assert Circle.objects.filter(community=c11).count() == 2


@pytest.mark.parametrize(
    "role,unit,allowed",
    [
        ("community", "c11", True),
        ("community", "c12", False),
        ("subdistrict", "c12", True),
        ("subdistrict", "c21", False),
        ("district", "c21", True),
        ("evaluator", "c11", False),
    ],
)
def test_create_within_the_writer_scope_only(world, users, role, unit, allowed):
    if allowed:
        circle_create(actor=users[role], community=world[unit])
        assert Circle.objects.filter(community=world[unit]).exists()
    else:
        with pytest.raises(OutOfScope):
            circle_create(actor=users[role], community=world[unit])
        assert not Circle.objects.exists()


def test_a_venue_manager_cannot_create_or_edit(world):
    manager = staff_user(Role.VENUE_MANAGER, None)
    with pytest.raises(OutOfScope):
        circle_create(actor=manager, community=world["c11"])


def test_update_checks_the_kinds_and_is_audited(world, users):
    c11 = world["c11"]
    circle = circle_create(actor=None, community=c11)
    centre = place(c11, kind=VenueKind.COMMUNITY_CENTRE, east=100, name_zh="文化家园甲")
    room = place(c11, kind=VenueKind.CITY_BOOKROOM, east=200, name_zh="城市书房乙")
    with pytest.raises(FieldErrors) as exc:
        circle_update(
            actor=users["community"], circle=circle, essential_venue=room, spaces=[centre]
        )
    assert set(exc.value.errors) == {"essential_venue", "spaces"}
    with pytest.raises(FieldErrors) as exc:
        circle_update(actor=users["community"], circle=circle, spaces=[room, centre])
    assert list(exc.value.errors) == ["spaces"]
    circle_update(
        actor=users["community"], circle=circle, theme="运河书香", essential_venue=centre,
        spaces=[room], has_information_board=True,
    )  # fmt: skip
    circle.refresh_from_db()
    assert circle.theme == "运河书香" and circle.essential_venue == centre
    assert list(circle.spaces.all()) == [room] and circle.has_information_board
    entry = AuditEntry.objects.filter(action="circles.circle_updated").get()
    assert entry.before["theme"] == "" and entry.after["theme"] == "运河书香"
    assert entry.after["spaces"] == [room.code] and entry.before["spaces"] == []
    with pytest.raises(OutOfScope):
        circle_update(
            actor=staff_user(Role.COMMUNITY_WORKER, world["c12"]), circle=circle, theme="x"
        )


def test_acceptance_is_refused_with_the_list_of_what_is_missing(world, users):
    circle = circle_create(actor=None, community=world["c11"], name="空圈")
    with pytest.raises(FieldErrors) as exc:
        circle_accept(actor=users["district"], circle=circle, today=date(2026, 6, 10))
    lines = exc.value.errors["checklist"]
    assert lines[0] == "必备公共文化场馆：尚未指定必备公共文化场馆"
    assert "活动报名与需求表达：尚未开通活动报名与需求征集渠道" in lines
    assert any(
        line.startswith("每周至少一场线下活动：近 4 周中有 4 周没有线下活动") for line in lines
    )
    assert len(lines) == 8
    circle.refresh_from_db()
    assert circle.status == CircleStatus.PLANNED and circle.accepted_on is None
    assert not AuditEntry.objects.filter(action="circles.circle_accepted").exists()


def test_only_a_district_officer_accepts(world, users):
    circle = complete_circle(world["c11"], today=date(2026, 6, 10))
    for role in ("community", "subdistrict", "evaluator"):
        with pytest.raises(OutOfScope):
            circle_accept(actor=users[role], circle=circle, today=date(2026, 6, 10))
    circle_accept(actor=users["district"], circle=circle, today=date(2026, 6, 10))
    circle.refresh_from_db()
    assert circle.status == CircleStatus.ACCEPTED
    assert circle.accepted_on == date(2026, 6, 10) and circle.accepted_by == users["district"]
    entry = AuditEntry.objects.get(action="circles.circle_accepted")
    assert entry.actor == users["district"] and entry.after["status"] == "accepted"
    assert len(entry.after["checklist"]) == 8
    with pytest.raises(ValidationFailed):
        circle_accept(actor=users["district"], circle=circle, today=date(2026, 6, 10))


def test_the_system_may_accept_and_records_no_person(world):
    circle = complete_circle(world["c11"], today=date(2026, 6, 10))
    circle_accept(actor=None, circle=circle, today=date(2026, 6, 10))
    circle.refresh_from_db()
    assert circle.status == CircleStatus.ACCEPTED and circle.accepted_by is None
    assert AuditEntry.objects.get(action="circles.circle_accepted").actor_label == "system"


def test_an_accepted_circle_keeps_its_facilities_until_reopened(world, users):
    today = date(2026, 6, 10)
    circle = complete_circle(world["c11"], today=today)
    circle_accept(actor=users["district"], circle=circle, today=today)
    with pytest.raises(ValidationFailed):
        circle_update(actor=users["community"], circle=circle, spaces=[])
    with pytest.raises(ValidationFailed):
        circle_update(actor=users["community"], circle=circle, has_demand_channel=False)
    circle_update(actor=users["community"], circle=circle, name="样板圈（新名）")
    with pytest.raises(OutOfScope):
        circle_reopen(actor=users["subdistrict"], circle=circle)
    circle_reopen(actor=users["district"], circle=circle, reason="书房搬迁")
    circle.refresh_from_db()
    assert circle.status == CircleStatus.PLANNED
    assert circle.accepted_on is None and circle.accepted_by is None
    entry = AuditEntry.objects.get(action="circles.circle_reopened")
    assert entry.before["status"] == "accepted" and entry.after["reason"] == "书房搬迁"
    circle_update(actor=users["community"], circle=circle, spaces=[])
    with pytest.raises(ValidationFailed):
        circle_reopen(actor=users["district"], circle=circle)


def test_the_code_never_changes_with_the_data(world, users):
    c11 = world["c11"]
    circle = complete_circle(c11)
    code = circle.code
    circle_update(actor=None, circle=circle, name="改名后的文化圈", spaces=[], essential_venue=None)
    org_unit_update(actor=None, unit=c11, name_zh="改名社区", population=9000)
    circle.refresh_from_db()
    assert circle.code == code == "QC330105001001"


def test_lists_are_scoped(world, users):
    for unit in ("c11", "c12", "c21"):
        circle_create(actor=None, community=world[unit])
    codes = lambda user, **f: [c.code for c in circle_list(viewer=user, **f)]  # noqa: E731
    assert codes(users["community"]) == ["QC330105001001"]
    assert codes(users["subdistrict"]) == ["QC330105001001", "QC330105001002"]
    assert codes(users["district"], subdistrict="330105002") == ["QC330105002001"]
    assert codes(users["evaluator"], status="accepted") == []
    with pytest.raises(ValidationFailed):
        circle_list(viewer=users["district"], status="nonsense")


def test_residents_inside_accepted_circles(world, users, django_assert_max_num_queries):
    """c11 8,000, c12 7,000 (湖墅); c21 6,000, c22 5,000: only c11's circle is accepted."""
    today = date(2026, 6, 10)
    circle_accept(actor=None, circle=complete_circle(world["c11"], today=today), today=today)
    circle_create(actor=None, community=world["c21"])  # planned: does not count
    viewer_scope(users["district"])  # the viewer's roles: once per request
    with django_assert_max_num_queries(2):
        result = accepted_circle_population(viewer=users["district"])
    rows = {r.name: r for r in result.rows}
    assert rows["湖墅街道"].population == 15000 and rows["湖墅街道"].accepted_population == 8000
    assert rows["湖墅街道"].accepted_communities == 1 and rows["湖墅街道"].communities == 2
    assert rows["武林街道"].population == 11000 and rows["武林街道"].accepted_population == 0
    assert result.total.name == "拱墅区" and result.whole_district
    assert (result.total.population, result.total.accepted_population) == (26000, 8000)
    assert result.total.share == pytest.approx(8000 / 26000)
    mine = accepted_circle_population(viewer=users["subdistrict"])
    assert [r.name for r in mine.rows] == ["湖墅街道"] and not mine.whole_district
    assert (mine.total.population, mine.total.accepted_population) == (15000, 8000)
    worker = accepted_circle_population(viewer=users["community"])
    assert (worker.total.population, worker.total.accepted_population) == (8000, 8000)


def test_population_needs_staff(world):
    with pytest.raises(OutOfScope):
        accepted_circle_population(viewer=AnonymousUser())


def test_good_fields_are_a_complete_service(world):
    """The helper's 'good' venue fields are accepted by the venue service as they are."""
    v = place(world["c11"], kind=VenueKind.CITY_BOOKROOM, east=10, **GOOD)
    assert v.offpeak_share and v.offpeak_share > 0
