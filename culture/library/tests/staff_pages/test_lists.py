"""The hold shelf, the overdue list and the branches a user may work, through real requests;
query counts stay fixed as the lists grow."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from culture.library.services import hold_place
from culture.library.tests.staff_pages.world import (
    HOURS,
    LI_PHONE,
    WANG_PHONE,
    as_,
    counts,
    lend,
    text,
    url,
)
from culture.venues.tests.factories import venue as make_venue

pytestmark = pytest.mark.django_db


# ----- the hold shelf and the overdue list --------------------------------------------------------


def test_the_hold_shelf_lists_ready_holds_with_expiry(w):
    lend(w, "B0001")
    lend(w, "B0002")
    hold_place(reader=w["li"], title=w["santi"], pickup_branch=w["branch"])
    as_(w["manager"]).post(url("desk_return", "LIB-IN"), {"scan": "B0001"})
    for user in (w["manager"], w["users"]["evaluator"]):
        response = as_(user).get(url("hold_shelf", "LIB-IN"))
        page = text(response)
        assert response.status_code == 200
        assert "B0001" in page and "李**（138****4321）" in page and "2026-12-09" in page
        assert "李秀英" not in page and LI_PHONE not in page
    assert "借还台" not in text(as_(w["users"]["evaluator"]).get(url("hold_shelf", "LIB-IN")))
    assert as_(w["other_staff"]).get(url("hold_shelf", "LIB-IN")).status_code == 403
    assert as_(w["li"].resident.user).get(url("hold_shelf", "LIB-IN")).status_code == 403
    empty = text(as_(w["users"]["district"]).get(url("hold_shelf", "LIB-D")))
    assert "预约架上没有待取的书" in empty


def test_the_overdue_list_shows_days_overdue_and_masked_readers(w):
    lend(w, "B0001", days_ago=20)  # due 2026-11-26: 6 days overdue
    lend(w, "B0002", reader="li", days_ago=3)  # not due yet
    response = as_(w["users"]["evaluator"]).get(url("overdue", "LIB-IN"))
    page = text(response)
    assert response.status_code == 200
    assert "B0001" in page and "2026-11-26" in page and "6 天" in page
    assert "王**（139****2345）" in page and "王建国" not in page and WANG_PHONE not in page
    assert "B0002" not in page
    assert 'data-testid="overdue-export"' in page  # library_overdue (culture/library/exporters.py)
    assert as_(w["other_staff"]).get(url("overdue", "LIB-IN")).status_code == 403
    assert as_(w["users"]["subdistrict"]).get(url("overdue", "CC-1")).status_code == 404


def test_the_list_pages_change_nothing_on_post(w):
    before = counts()
    for name in ("hold_shelf", "overdue"):
        assert as_(w["manager"]).post(url(name, "LIB-IN")).status_code == 405
    assert counts() == before


# ----- the branches a user may work ---------------------------------------------------------------


def test_the_home_lists_the_branches_a_user_may_work_with_todays_counts(w):
    lend(w, "B0001")  # lent today at LIB-IN
    lend(w, "B0002", reader="li", days_ago=20)  # overdue
    page = text(as_(w["manager"]).get(url("manage_home")))
    assert "湖墅分馆" in page and "武林分馆" not in page and "拱墅区图书馆" not in page
    assert "今日借出 1" in page and "逾期 1" in page
    assert "湖墅文化站" not in page  # not a library
    page = text(as_(w["users"]["district"]).get(url("manage_home")))
    assert "湖墅分馆" in page and "武林分馆" in page and "拱墅区图书馆" in page
    page = text(as_(w["users"]["evaluator"]).get(url("manage_home")))
    assert "湖墅分馆" in page and "只读" in page
    assert f'href="{url("desk", "LIB-IN")}"' not in page  # no desk link for a read-only role
    assert as_(w["wang"].resident.user).get(url("manage_home")).status_code == 403
    assert "/accounts/login" in Client().get(url("manage_home"))["Location"]


def test_the_home_keeps_its_query_count_as_branches_grow(w, tree, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_(w["users"]["district"])
    with CaptureQueriesContext(connection) as few:
        client.get(url("manage_home"))
    for n in range(6):
        make_venue(operator=tree["s1"], at=tree["c11"], code=f"LIB-X{n}",
                   name_zh=f"城市书房{n}", kind="city_bookroom", opening_hours=HOURS)  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = text(client.get(url("manage_home")))
    assert "城市书房5" in page


def test_the_staff_navigation_links_to_the_library_desk(w):
    page = text(as_(w["users"]["subdistrict"]).get(reverse("booking:manage_home")))
    assert url("manage_home") in page
    page = text(as_(w["wang"].resident.user).get(reverse("booking:find")))
    assert url("manage_home") not in page
