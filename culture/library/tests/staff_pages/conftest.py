"""The world of the library staff page tests: two branches with their staff, readers Wang and Li,
copies on the shelf; the clock fixed at Wednesday 2 December 2026, 10:00 in Hangzhou; loans last
14 days."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from culture.accounts.services import resident_register
from culture.accounts.tests.factories import staff_user
from culture.core.roles import Role
from culture.library.services import reader_for_card
from culture.library.tests.factories import copy as make_copy
from culture.library.tests.factories import title as make_title
from culture.library.tests.staff_pages.world import (
    HOURS,
    LI_ID,
    LI_PHONE,
    NOW,
    PASSWORD,
    WANG_ID,
    WANG_PHONE,
)
from culture.venues.services import venue_manager_bind
from culture.venues.tests.factories import venue as make_venue


@pytest.fixture
def clock(monkeypatch, settings):
    settings.CULTURE_LIBRARY_LOAN_DAYS = 14
    settings.CULTURE_LIBRARY_LOAN_LIMIT = 3
    settings.CULTURE_LIBRARY_RETURN_POLICY = "float"
    moment = {"now": NOW.astimezone(dt.UTC)}
    monkeypatch.setattr(timezone, "now", lambda: moment["now"])
    return moment


@pytest.fixture
def w(tree, users, clock) -> dict[str, Any]:
    """The district library (run by the district), a branch run by s1 (its manager bound to
    it), a branch run by s2, a culture centre (not a library); two readers; copies."""
    library = make_venue(operator=tree["district"], at=tree["c11"], code="LIB-D",
                         name_zh="拱墅区图书馆", kind="library", opening_hours=HOURS)  # fmt: skip
    branch = make_venue(operator=tree["s1"], at=tree["c11"], code="LIB-IN",
                        name_zh="湖墅分馆", kind="branch_library", opening_hours=HOURS)  # fmt: skip
    other = make_venue(operator=tree["s2"], at=tree["c21"], code="LIB-OUT",
                       name_zh="武林分馆", kind="branch_library", opening_hours=HOURS)  # fmt: skip
    centre = make_venue(operator=tree["s1"], at=tree["c11"], code="CC-1",
                        name_zh="湖墅文化站", kind="culture_centre", opening_hours=HOURS)  # fmt: skip
    manager = staff_user(Role.VENUE_MANAGER, None, display_name="湖墅分馆管理员")
    venue_manager_bind(actor=None, user=manager, venue=branch)
    other_staff = staff_user(Role.SUBDISTRICT_OFFICER, tree["s2"], display_name="武林街道")
    people = {}
    for key, name, phone, number in (
        ("wang", "王建国", WANG_PHONE, WANG_ID),
        ("li", "李秀英", LI_PHONE, LI_ID),
    ):
        resident_register(actor=None, name=name, phone=phone, password=PASSWORD,
                          id_number=number, community=tree["c11"])  # fmt: skip
        people[key] = reader_for_card(card=number)
    santi = make_title(title="三体")
    return {
        "tree": tree, "users": users, "library": library, "branch": branch, "other": other,
        "centre": centre, "manager": manager, "other_staff": other_staff, **people,
        "santi": santi,
        "c1": make_copy(title=santi, branch=branch, barcode="B0001"),
        "c2": make_copy(title=santi, branch=branch, barcode="B0002"),
        "far": make_copy(title=santi, branch=other, barcode="B0900"),
    }  # fmt: skip
