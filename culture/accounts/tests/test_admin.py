"""Django admin: district officers only, scoped, writes through the services (so audited)."""

from __future__ import annotations

import pytest

from culture.accounts import services
from culture.accounts.models import StaffMember, User
from culture.accounts.tests.factories import PASSWORD
from culture.accounts.tests.helpers import IDS
from culture.core.models import AuditEntry


@pytest.fixture
def resident(tree):
    return services.resident_register(
        actor=None,
        name="王建国",
        phone="13800000001",
        password=PASSWORD,
        id_number=IDS[0],
        community=tree["c11"],
    )


@pytest.mark.parametrize("who", ["evaluator", "subdistrict", "community"])
def test_admin_is_closed_to_other_roles(users, login, who):
    response = login(users[who]).get("/admin/accounts/staffmember/")
    assert response.status_code in (302, 403)


def test_district_officer_lists_masked_residents(users, login, resident):
    page = login(users["district"]).get("/admin/accounts/resident/").content.decode()
    assert "330105********1233" in page and IDS[0] not in page
    page = (
        login(users["district"])
        .get(f"/admin/accounts/resident/{resident.pk}/change/")
        .content.decode()
    )
    assert "138****0001" in page and "13800000001" not in page


def test_admin_staff_change_goes_through_the_service(users, login, tree):
    staff, _ = services.staff_member_upsert(
        actor=None, staff_number="AD1", name="甲", org_unit=tree["c11"], phone="13911110000"
    )
    c = login(users["district"])
    response = c.post(
        f"/admin/accounts/staffmember/{staff.pk}/change/",
        {
            "name": "甲改",
            "org_unit": tree["c12"].pk,
            "position": "干事",
            "phone": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    staff.refresh_from_db()
    assert (staff.name, staff.org_unit, staff.phone_masked) == ("甲改", tree["c12"], "139****0000")
    entry = AuditEntry.objects.get(action="accounts.staff_updated")
    assert entry.actor_id == users["district"].pk


def test_admin_user_delete_deactivates(users, login):
    c = login(users["district"])
    target = users["community"]
    response = c.post(f"/admin/accounts/user/{target.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403  # deleting is not offered; deactivation is a service
    assert User.objects.filter(pk=target.pk).exists()


def test_admin_user_add_goes_through_the_service(users, login):
    c = login(users["district"])
    response = c.post(
        "/admin/accounts/user/add/",
        {
            "username": "adminmade",
            "display_name": "后台",
            "is_active": "on",
            "phone": "13512345678",
            "password_new": "Very-long-pass-42",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="adminmade")
    assert user.phone_masked == "135****5678" and user.check_password("Very-long-pass-42")
    assert AuditEntry.objects.filter(
        action="accounts.user_created", target_id=str(user.pk)
    ).exists()
    assert StaffMember.objects.count() == 0
