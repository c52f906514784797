"""The Django admin for org units: district officers only, scoped, saves through the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from culture.accounts.tests.factories import staff_user
from culture.core.models import AuditEntry
from culture.core.roles import Role
from culture.org.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(tree):
    return staff_user(Role.DISTRICT_OFFICER, is_staff=True)


def change_url(unit: OrgUnit) -> str:
    return reverse("admin:org_orgunit_change", args=[unit.pk])


def form_data(unit: OrgUnit, **changes) -> dict:
    data = {
        "name_zh": unit.name_zh,
        "name_en": unit.name_en,
        "population": str(unit.population),
        "area_km2": "",
        "is_active": "on",
        "_save": "Save",
    }
    data.update(changes)
    return data


def test_district_officer_lists_every_unit(tree, officer, login):
    response = login(officer).get(reverse("admin:org_orgunit_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 7


def test_change_goes_through_the_audited_service(tree, officer, login):
    unit = tree["c11"]
    response = login(officer).post(change_url(unit), form_data(unit, population="8100"))
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.population == 8100
    entry = AuditEntry.objects.get(action="org.unit_updated")
    assert entry.actor == officer and entry.after == {
        "population": 8100,
        "rolled_up_population": {"330105001": 15100, "330105": 26100},
    }


def test_add_goes_through_the_service_and_validates_codes(tree, officer, login):
    client = login(officer)
    data = {
        "code": "330105001003",
        "level": "community",
        "parent": str(tree["s1"].pk),
        "name_zh": "仓基新村社区",
        "name_en": "",
        "population": "4000",
        "area_km2": "",
        "is_active": "on",
        "_save": "Save",
    }
    assert client.post(reverse("admin:org_orgunit_add"), data).status_code == 302
    unit = OrgUnit.objects.get(code="330105001003")
    assert unit.path == "330105/330105001/330105001003/"
    assert AuditEntry.objects.filter(action="org.unit_created", actor=officer).exists()

    bad = dict(data, code="330105002009")  # not under its parent's code
    response = client.post(reverse("admin:org_orgunit_add"), bad, follow=True)
    assert not OrgUnit.objects.filter(code="330105002009").exists()
    assert "区划代码应以上级代码" in response.content.decode()


def test_nothing_can_be_deleted(tree, officer, login):
    client = login(officer)
    assert client.get(reverse("admin:org_orgunit_delete", args=[tree["c11"].pk])).status_code == 403
    assert OrgUnit.objects.filter(pk=tree["c11"].pk).exists()


@pytest.mark.parametrize("role", [Role.SUBDISTRICT_OFFICER, Role.EVALUATOR])
def test_other_roles_cannot_use_the_org_admin(tree, login, role):
    unit = tree["s1"] if role == Role.SUBDISTRICT_OFFICER else None
    user = staff_user(role, unit, is_staff=True)
    client = login(user)
    # refused by the admin site (back to its login page) or by the model admin (403)
    assert client.get(reverse("admin:org_orgunit_changelist")).status_code in (302, 403)
    response = client.post(change_url(tree["c11"]), form_data(tree["c11"], population="1"))
    assert response.status_code in (302, 403)
    tree["c11"].refresh_from_db()
    assert tree["c11"].population == 8000


def test_the_model_admin_itself_scopes_writes(tree, rf):
    from django.contrib import admin

    model_admin = admin.site._registry[OrgUnit]
    request = rf.get("/admin/org/orgunit/")
    request.user = staff_user(Role.SUBDISTRICT_OFFICER, tree["s1"], is_staff=True)
    assert not model_admin.has_view_permission(request)
    assert not model_admin.has_change_permission(request, tree["c11"])
    request.user = staff_user(Role.EVALUATOR, is_staff=True)
    assert not model_admin.has_change_permission(request, tree["c11"])
    assert not model_admin.has_add_permission(request)
    request.user = staff_user(Role.DISTRICT_OFFICER, is_staff=True)
    assert model_admin.has_change_permission(request, tree["c11"])
    assert not model_admin.has_delete_permission(request, tree["c11"])
