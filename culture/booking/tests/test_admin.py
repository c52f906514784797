"""The booking admin: read-only, for district officers, scoped."""

from __future__ import annotations

import pytest
from django.contrib import admin

from culture.accounts.tests.factories import staff_user
from culture.booking.models import Booking
from culture.booking.services import activity_book
from culture.booking.tests.factories import bookable_activity, resident_user
from culture.core.roles import Role

pytestmark = pytest.mark.django_db


def test_district_officer_reads_bookings_and_cannot_change_them(tree, client, rf):
    booking = activity_book(user=resident_user(name="王小明"), activity=bookable_activity())
    officer = staff_user(Role.DISTRICT_OFFICER, is_staff=True)
    client.force_login(officer)
    listing = client.get("/admin/booking/booking/")
    assert listing.status_code == 200 and booking.code in listing.content.decode()
    page = client.get(f"/admin/booking/booking/{booking.pk}/change/")
    assert page.status_code == 200 and "王小明" in page.content.decode()
    assert "137" not in page.content.decode()  # no phone number
    model_admin = admin.site._registry[Booking]
    request = rf.get("/admin/booking/booking/")
    request.user = officer
    assert not model_admin.has_change_permission(request, booking)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_delete_permission(request, booking)


def test_others_do_not_see_the_booking_admin(tree, client):
    client.force_login(staff_user(Role.COMMUNITY_WORKER, tree["c11"], is_staff=True))
    assert client.get("/admin/booking/booking/").status_code in (302, 403)  # to the login page
