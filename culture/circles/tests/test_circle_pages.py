"""The staff pages of the circle registry: list with filters and the accepted-circle population,
detail with the checklist, create, edit, accept and reopen (POST), each within scope."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from culture.circles.models import Circle, CircleStatus
from culture.circles.registry import circle_accept, circle_create
from culture.circles.tests.circle_data import GOOD, complete_circle, place, with_centroids
from culture.core.models import AuditEntry
from culture.org.tests.factories import community
from culture.venues.models import VenueKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree):
    with_centroids()
    return tree


def body(response) -> str:
    return response.content.decode()


def test_the_list_is_scoped_and_filtered(world, users, login):
    for unit in ("c11", "c12", "c21"):
        circle_create(actor=None, community=world[unit], name=f"{unit}文化圈")
    url = reverse("circles:circle_list")
    text = body(login(users["community"]).get(url))
    assert "c11文化圈" in text and "c12文化圈" not in text and "c21文化圈" not in text
    client = login(users["district"])
    text = body(client.get(url, {"subdistrict": world["s2"].code}))
    assert "c21文化圈" in text and "c11文化圈" not in text
    assert "c11文化圈" not in body(client.get(url, {"status": "accepted"}))
    assert "未知的状态" in body(client.get(url, {"status": "bogus"}))


def test_the_list_shows_residents_inside_accepted_circles(world, users, login):
    circle_accept(actor=None, circle=complete_circle(world["c11"]))
    response = login(users["district"]).get(reverse("circles:circle_list"))
    assert response.status_code == 200
    text = body(response)
    # c11 (8,000) accepted; the four communities hold 26,000 residents; 8000/26000 = 30.8 %
    assert 'data-testid="accepted-total">8000<' in text
    assert "26000" in text and "31%" in text


def test_the_list_costs_the_same_queries_for_more_circles(world, users, login):
    client = login(users["district"])
    circle_create(actor=None, community=world["c11"])
    client.get(reverse("circles:circle_list"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("circles:circle_list")).status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for unit in ("c12", "c21", "c22"):
        complete_circle(world[unit])
    for _ in range(4):
        circle_create(actor=None, community=community(parent=world["s2"]))
    assert queries() == one


def test_detail_shows_what_is_still_missing(world, users, login):
    circle = circle_create(actor=None, community=world["c11"], name="待建文化圈")
    text = body(
        login(users["subdistrict"]).get(reverse("circles:circle_detail", args=[circle.code]))
    )
    assert 'data-item="venue" data-passed="0"' in text
    assert "尚未指定必备公共文化场馆" in text and "还缺 8 项" in text
    assert 'data-testid="circle-accept"' not in text  # only district officers accept
    assert 'data-testid="circle-edit"' in text
    text = body(login(users["district"]).get(reverse("circles:circle_detail", args=[circle.code])))
    assert 'data-testid="circle-accept"' in text
    assert "http://127.0.0.1:8000/circles/c/QC330105001001/" in text


def test_detail_shows_each_facility_s_opening_hours_in_words(world, users, login):
    # GOOD's hours are "Mo-Su 08:30-20:30": read as 周一至周日 on the page, in English unchanged
    circle = complete_circle(world["c11"])
    client = login(users["district"])
    url = reverse("circles:circle_detail", args=[circle.code])
    text = body(client.get(url))
    assert text.count("<td>周一至周日 08:30-20:30</td>") == 3 and "Mo-Su" not in text
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = body(client.get(url))
    assert text.count("<td>Mo-Su 08:30-20:30</td>") == 3 and "Opening hours" in text


def test_detail_out_of_scope_is_refused(world, users, login):
    circle = circle_create(actor=None, community=world["c21"])
    url = reverse("circles:circle_detail", args=[circle.code])
    assert login(users["subdistrict"]).get(url).status_code == 403
    assert login(users["evaluator"]).get(url).status_code == 200
    assert (
        login(users["district"]).get(reverse("circles:circle_detail", args=["QC0"])).status_code
        == 404
    )


def test_create_page_makes_the_circle_and_goes_to_the_form(world, users, login):
    client = login(users["community"])
    response = client.get(reverse("circles:circle_create"))
    assert world["c11"].code in body(response) and world["c12"].code not in body(response)
    response = client.post(reverse("circles:circle_create"),
                           {"community": world["c11"].code, "theme": "运河书香"})  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == reverse("circles:circle_edit", args=["QC330105001001"])
    circle = Circle.objects.get()
    assert circle.theme == "运河书香" and circle.community == world["c11"]
    # the community now has its circle: nothing left to create
    assert 'data-testid="no-community"' in body(client.get(reverse("circles:circle_create")))
    response = client.post(reverse("circles:circle_create"), {"community": world["c11"].code})
    assert response.status_code == 422 and Circle.objects.count() == 1


def test_edit_offers_what_is_within_reach_and_saves(world, users, login):
    c11 = world["c11"]
    circle = circle_create(actor=None, community=c11)
    centre = place(c11, kind=VenueKind.COMMUNITY_CENTRE, east=120, name_zh="近处文化家园", **GOOD)
    a = place(c11, kind=VenueKind.CITY_BOOKROOM, east=300, name_zh="近处书房", **GOOD)
    b = place(c11, kind=VenueKind.CULTURE_POST, east=600, name_zh="近处驿站", **GOOD)
    place(world["c21"], kind=VenueKind.CITY_BOOKROOM, east=0, name_zh="远处书房")  # 3.8 km
    client = login(users["community"])
    url = reverse("circles:circle_edit", args=[circle.code])
    text = body(client.get(url))
    assert "近处文化家园（社区文化家园）· 120 米" in text
    assert "近处书房" in text and "远处书房" not in text
    response = client.post(url, {
        "name": "新名字", "theme": "书香", "essential_venue": centre.code,
        "spaces": [a.code, b.code], "has_information_board": "on",
    })  # fmt: skip
    assert response.status_code == 302
    circle.refresh_from_db()
    assert circle.name == "新名字" and circle.essential_venue == centre
    assert set(circle.spaces.all()) == {a, b} and circle.has_information_board
    assert not circle.has_demand_channel
    assert AuditEntry.objects.filter(
        action="circles.circle_updated", actor=users["community"]
    ).exists()


def test_edit_is_refused_out_of_scope_and_for_evaluators(world, users, login):
    circle = circle_create(actor=None, community=world["c21"])
    url = reverse("circles:circle_edit", args=[circle.code])
    assert login(users["community"]).get(url).status_code == 403
    response = login(users["evaluator"]).post(url, {"name": "x"})
    assert response.status_code == 403
    circle.refresh_from_db()
    assert circle.name != "x"


def test_accept_refused_lists_what_is_missing(world, users, login):
    circle = circle_create(actor=None, community=world["c11"])
    client = login(users["district"])
    response = client.post(reverse("circles:circle_accept", args=[circle.code]), follow=True)
    text = body(response)
    assert "尚不能验收，还缺：" in text and "必备公共文化场馆：尚未指定必备公共文化场馆" in text
    circle.refresh_from_db()
    assert circle.status == CircleStatus.PLANNED


def test_accept_and_reopen_by_the_district_officer(world, users, login):
    circle = complete_circle(world["c11"])
    assert (
        login(users["subdistrict"])
        .post(reverse("circles:circle_accept", args=[circle.code]))
        .status_code
        == 403
    )
    assert (
        login(users["district"])
        .get(reverse("circles:circle_accept", args=[circle.code]))
        .status_code
        == 405
    )
    client = login(users["district"])
    response = client.post(reverse("circles:circle_accept", args=[circle.code]), follow=True)
    assert "已验收" in body(response)
    circle.refresh_from_db()
    assert circle.status == CircleStatus.ACCEPTED and circle.accepted_by == users["district"]
    response = client.post(reverse("circles:circle_reopen", args=[circle.code]),
                           {"reason": "空间改造"}, follow=True)  # fmt: skip
    circle.refresh_from_db()
    assert circle.status == CircleStatus.PLANNED
    assert AuditEntry.objects.get(action="circles.circle_reopened").after["reason"] == "空间改造"


def test_staff_pages_need_sign_in(world, client):
    response = client.get(reverse("circles:circle_list"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def test_pages_in_english(world, users, login, client):
    circle = circle_create(actor=None, community=world["c11"], name="待建文化圈")
    staff = login(users["district"])
    staff.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = body(staff.get(reverse("circles:circle_detail", args=[circle.code])))
    assert "Acceptance checklist" in text and "No essential public culture venue chosen yet" in text
    assert "8 items are missing." in text and "验收清单" not in text
    assert "Being created" in text and "创建中" not in text  # the status
    response = staff.post(reverse("circles:circle_accept", args=[circle.code]), follow=True)
    assert "Cannot be accepted yet; missing: Essential public culture venue: No essential" in body(
        response
    )
