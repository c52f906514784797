from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from culture.accounts.tests.factories import staff_user
from culture.activities.models import Activity
from culture.activities.tests.factories import activity, local, venue
from culture.core.models import AuditEntry
from culture.core.roles import Role
from culture.venues.services import venue_manager_bind

pytestmark = pytest.mark.django_db


@pytest.fixture
def acts(tree):
    return {
        "in": activity(tree["c11"], title="湖墅社区广场舞展演", for_elderly=True),
        "sub": activity(tree["s1"], title="湖墅街道送演出", kind="performance_delivered"),
        "out": activity(tree["c21"], title="武林社区书法讲座", kind="lecture"),
    }


@pytest.mark.parametrize(
    ("role", "seen", "unseen"),
    [
        ("community", ["湖墅社区广场舞展演"], ["湖墅街道送演出", "武林社区书法讲座"]),
        ("subdistrict", ["湖墅社区广场舞展演", "湖墅街道送演出"], ["武林社区书法讲座"]),
        ("district", ["湖墅社区广场舞展演", "湖墅街道送演出", "武林社区书法讲座"], []),
        ("evaluator", ["湖墅社区广场舞展演", "湖墅街道送演出", "武林社区书法讲座"], []),
    ],
)
def test_list_shows_only_the_scope(acts, users, login, role, seen, unseen):
    body = login(users[role]).get(reverse("activities:list")).content.decode()
    for title in seen:
        assert title in body
    for title in unseen:
        assert title not in body
    assert ("新建活动" in body) is (role != "evaluator")


def test_list_filters_and_search(acts, users, login):
    client = login(users["district"])
    body = client.get(reverse("activities:list"), {"kind": "lecture"}).content.decode()
    assert "武林社区书法讲座" in body and "湖墅社区广场舞展演" not in body
    body = client.get(reverse("activities:list"), {"group": "elderly"}).content.decode()
    assert "湖墅社区广场舞展演" in body and "湖墅街道送演出" not in body
    body = client.get(reverse("activities:list"), {"q": "送演出"}).content.decode()
    assert "湖墅街道送演出" in body and "武林社区书法讲座" not in body
    body = client.get(reverse("activities:list"), {"unit": acts["out"].organiser.code}).content
    assert "武林社区书法讲座" in body.decode() and "湖墅" not in body.decode().split("<tbody>")[1]


def test_detail_in_and_out_of_scope(acts, users, login):
    client = login(users["community"])
    assert client.get(reverse("activities:detail", args=[acts["in"].pk])).status_code == 200
    assert client.get(reverse("activities:detail", args=[acts["out"].pk])).status_code == 403
    assert client.get(reverse("activities:detail", args=[999999])).status_code == 404


def test_create_through_the_form(tree, users, login):
    v = venue(tree["district"], code="V-LIB-1", name_zh="区图书馆")
    client = login(users["community"])
    assert client.get(reverse("activities:create")).status_code == 200
    response = client.post(
        reverse("activities:create"),
        {
            "title": "老年智能手机培训",
            "kind": "training_class",
            "organiser": tree["c11"].code,
            "venue": "V-LIB-1",
            "start_at": "2025-04-02T09:30",
            "end_at": "2025-04-02T11:00",
            "attendance": "35",
            "groups": ["elderly", "disabled"],
        },
    )
    a = Activity.objects.get(title="老年智能手机培训")
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:detail", args=[a.pk])
    assert (a.venue, a.attendance, a.target_groups) == (v, 35, ["elderly", "disabled"])
    assert a.start_at == local(2025, 4, 2, 9, 30)


def test_form_shows_field_errors(tree, users, login):
    client = login(users["community"])
    response = client.post(
        reverse("activities:create"),
        {
            "title": "送书到社区",
            "kind": "lecture",
            "organiser": tree["c11"].code,
            "venue": "NO-SUCH",
            "start_at": "2025-04-02T09:30",
            "end_at": "2025-04-01T11:00",
            "attendance": "10",
            "books_count": "300",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "没有该编码的场馆" in body
    response = client.post(
        reverse("activities:create"),
        {
            "title": "送书到社区",
            "kind": "lecture",
            "organiser": tree["c11"].code,
            "start_at": "2025-04-02T09:30",
            "end_at": "2025-04-01T11:00",
            "attendance": "10",
            "books_count": "300",
        },
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_end_at-errors"' in body and "结束时间不能早于开始时间" in body
    assert 'id="id_books_count-errors"' in body and "不适用" in body
    assert not Activity.objects.exists()


def test_community_cannot_organise_for_another_unit_through_the_form(tree, users, login):
    response = login(users["community"]).post(
        reverse("activities:create"),
        {
            "title": "越界活动",
            "kind": "lecture",
            "organiser": tree["c21"].code,
            "start_at": "2025-04-02T09:30",
            "end_at": "2025-04-02T11:00",
            "attendance": "10",
        },
    )
    assert response.status_code == 422
    assert not Activity.objects.exists()


def test_evaluator_and_out_of_scope_cannot_edit_or_cancel(acts, users, login):
    client = login(users["evaluator"])
    assert client.get(reverse("activities:create")).status_code == 403
    assert client.get(reverse("activities:edit", args=[acts["in"].pk])).status_code == 403
    assert client.post(reverse("activities:cancel", args=[acts["in"].pk])).status_code == 403
    client = login(users["community"])
    assert client.post(reverse("activities:cancel", args=[acts["out"].pk])).status_code == 403
    assert not Activity.objects.filter(cancelled=True).exists()


def test_edit_and_cancel(acts, users, login):
    client = login(users["community"])
    a = acts["in"]
    page = client.get(reverse("activities:edit", args=[a.pk])).content.decode()
    assert "湖墅社区广场舞展演" in page
    assert 'value="2025-05-01T09:00"' in page  # local time in the datetime-local input
    response = client.post(
        reverse("activities:edit", args=[a.pk]),
        {
            "title": a.title,
            "kind": a.kind,
            "organiser": a.organiser.code,
            "start_at": "2025-05-01T09:00",
            "end_at": "2025-05-01T11:00",
            "attendance": "77",
            "groups": ["elderly"],
        },
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.attendance == 77
    client.post(reverse("activities:cancel", args=[a.pk]))
    a.refresh_from_db()
    assert a.cancelled is True
    assert AuditEntry.objects.filter(action="activities.activity_cancelled").count() == 1
    assert client.get(reverse("activities:cancel", args=[a.pk])).status_code == 405


def test_list_query_count_does_not_grow(tree, users, login, django_assert_max_num_queries):
    for i in range(5):
        activity(tree["c11"], title=f"甲{i}", venue=venue(tree["c11"]))
    client = login(users["district"])
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("activities:list"))
    for i in range(10):
        activity(tree["c12"], title=f"乙{i}", venue=venue(tree["c12"]))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("activities:list"))


def test_pages_in_english(acts, users, login, settings):
    client = login(users["district"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("activities:list")).content.decode()
    assert "<h1>Activities</h1>" in body
    assert "Lecture" in body and "Performance delivered" in body
    form = client.get(reverse("activities:create")).content.decode()
    assert "New activity" in form and "Target groups" in form


def test_venue_manager_sees_the_activities_at_their_venue(tree, users, login):
    library = venue(tree["district"], code="V-LIB", name_zh="区图书馆")
    manager = staff_user(Role.VENUE_MANAGER, None)
    venue_manager_bind(actor=None, user=manager, venue=library)
    here = activity(tree["c21"], title="图书馆读书会", venue=library)
    elsewhere = activity(tree["c21"], title="别处的讲座")
    client = login(manager)
    body = client.get(reverse("activities:list")).content.decode()
    assert "图书馆读书会" in body and "别处的讲座" not in body
    assert client.get(reverse("activities:detail", args=[here.pk])).status_code == 200
    assert client.get(reverse("activities:detail", args=[elsewhere.pk])).status_code == 403
    assert client.get(reverse("activities:edit", args=[here.pk])).status_code == 403
    assert [i["title"] for i in client.get("/api/activities/").json()["items"]] == ["图书馆读书会"]
