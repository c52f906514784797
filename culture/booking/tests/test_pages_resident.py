"""The residents' booking pages with real requests: find, open, book (sign-in first), duplicate,
full -> waiting list, cancel (confirm step, deadline), other people's codes, rooms' day grids,
messages, and the find page's query count at N and 2N activities."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from culture.accounts.models import Notification
from culture.accounts.notifications import notify
from culture.accounts.services import resident_register
from culture.activities.tests.factories import activity as make_activity
from culture.booking.models import ActivitySeats, Booking, BookingStatus
from culture.booking.services import activity_book, room_rule_set, seats_set
from culture.venues.services import room_add
from culture.venues.tests.factories import venue as make_venue

PASSWORD = "a-long-resident-password-7"
HOURS = "Mo-Su 08:00-21:00"


def _local(day, hh, mm=0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=timezone.get_current_timezone())


def _resident(community, n: int = 1):
    return resident_register(
        actor=None,
        name=f"居民{n}",
        phone=f"1395711{n:04d}",
        password=PASSWORD,
        id_number=["330105199001011233", "330105198503171232", "330105197211084562"][n - 1],
        community=community,
    ).user


@pytest.fixture
def place(tree):
    c11 = tree["c11"]
    v = make_venue(operator=tree["s1"], at=c11, code="BKV1", name_zh="湖墅文化家园",
                   opening_hours=HOURS, address="湖墅南路 1 号")  # fmt: skip
    return {"venue": v, "community": c11}


def _bookable(place, *, capacity=2, days=3, title="书法讲座", **seats):
    day = timezone.localdate() + timedelta(days=days)
    a = make_activity(
        place["community"],
        title=title,
        kind="lecture",
        venue=place["venue"],
        start_at=_local(day, 14),
        end_at=_local(day, 16),
        attendance=0,
    )
    seats_set(actor=None, activity=a, capacity=capacity, **seats)
    return a


@pytest.fixture
def resident(place):
    return _resident(place["community"], 1)


@pytest.fixture
def other(place):
    return _resident(place["community"], 2)


def _book_url(a) -> str:
    return reverse("booking:activity_book", args=[a.pk])


def _page_url(a) -> str:
    return reverse("booking:activity", args=[a.pk])


pytestmark = [pytest.mark.django_db]


# ----- find and open ------------------------------------------------------------------------
def test_find_lists_bookable_activities_for_anyone_and_says_how_to_sign_in(client, place):
    a = _bookable(place, title="太极拳入门")
    make_activity(place["community"], title="不能预约的展览", venue=place["venue"],
                  start_at=timezone.now() + timedelta(days=2),
                  end_at=timezone.now() + timedelta(days=2, hours=1))  # fmt: skip
    response = client.get(reverse("booking:find"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "太极拳入门" in text
    assert "不能预约的展览" not in text
    assert "余 2 位" in text
    assert "登录后按离家远近排列" in text
    assert reverse("booking:activity", args=[a.pk]) in text


def test_find_filters_by_kind_day_and_free_places(client, place, other):
    lecture = _bookable(place, title="周三讲座", days=2, capacity=1)
    film = make_activity(place["community"], title="露天电影", kind="performance",
                         venue=place["venue"],
                         start_at=_local(timezone.localdate() + timedelta(days=5), 19),
                         end_at=_local(timezone.localdate() + timedelta(days=5), 21))  # fmt: skip
    seats_set(actor=None, activity=film, capacity=5)
    activity_book(user=other, activity=lecture)  # the lecture is now full
    url = reverse("booking:find")
    by_kind = client.get(url, {"kind": "performance"}).content.decode()
    assert "露天电影" in by_kind and "周三讲座" not in by_kind
    day = (timezone.localdate() + timedelta(days=2)).isoformat()
    by_day = client.get(url, {"date": day}).content.decode()
    assert "周三讲座" in by_day and "露天电影" not in by_day
    free = client.get(url, {"free": "1"}).content.decode()
    assert "露天电影" in free and "周三讲座" not in free
    everything = client.get(url).content.decode()
    assert "已满 · 可候补" in everything


def test_find_orders_by_distance_from_home_for_a_resident(client, tree, resident, place):
    far_venue = make_venue(operator=tree["s2"], at=tree["c21"], code="BKV2",
                           name_zh="武林远处文化站", opening_hours=HOURS)  # fmt: skip
    far = _bookable({"venue": far_venue, "community": tree["c21"]}, title="远处的讲座", days=1)
    near = _bookable(place, title="家门口的讲座", days=6)
    client.force_login(resident)
    response = client.get(reverse("booking:find"))
    text = response.content.decode()
    assert "按离您家" in text
    # nearest first although it is later
    assert text.index("家门口的讲座") < text.index("远处的讲座")
    cards = response.context["result"].activities
    assert [c.activity.pk for c in cards] == [near.pk, far.pk]
    assert cards[0].distance_m == 0
    # within 3 km: the c21 venue is two community squares (~3.8 km) away
    within = client.get(reverse("booking:find"), {"within": "3000"}).context["result"]
    assert [c.activity.pk for c in within.activities] == [near.pk]


def test_activity_page_anonymous_is_offered_sign_in_that_comes_back(client, place):
    a = _bookable(place)
    response = client.get(_page_url(a))
    assert response.status_code == 200
    login = reverse("accounts:login") + "?next=" + quote(_page_url(a), safe="")
    assert login in response.content.decode().replace("&amp;", "&")
    assert 'data-testid="book-form"' not in response.content.decode()


def test_not_bookable_activity_is_404(client, place):
    a = make_activity(place["community"], venue=place["venue"])
    assert client.get(_page_url(a)).status_code == 404


# ----- book ---------------------------------------------------------------------------------
def test_anonymous_book_goes_to_sign_in_and_back_to_the_activity_page(client, place):
    a = _bookable(place)
    response = client.post(_book_url(a), {"idempotency_key": "k1"})
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("accounts:login") + "?next=" + quote(_page_url(a), safe="/")
    )
    assert not Booking.objects.exists()


def test_book_once_then_confirmation_with_qr_and_code(client, place, resident):
    a = _bookable(place)
    client.force_login(resident)
    page = client.get(_page_url(a)).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'name="idempotency_key"' in page
    response = client.post(_book_url(a), {"idempotency_key": "tap-1"}, follow=True)
    booking = Booking.objects.get()
    assert booking.user == resident and booking.status == BookingStatus.CONFIRMED
    assert response.redirect_chain[-1][0] == reverse("booking:booking", args=[booking.code])
    text = response.content.decode()
    assert "预约成功" in text
    assert f"{booking.code[:4]} {booking.code[4:]}" in text
    assert reverse("booking:booking_qr", args=[booking.code]) in text
    qr = client.get(reverse("booking:booking_qr", args=[booking.code]))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert qr.content.lstrip().startswith(b"<?xml") or b"<svg" in qr.content[:200]
    assert ActivitySeats.objects.get(activity=a).taken == 1


def test_double_tap_with_the_same_key_books_once(client, place, resident):
    a = _bookable(place)
    client.force_login(resident)
    first = client.post(_book_url(a), {"idempotency_key": "same-key"})
    second = client.post(_book_url(a), {"idempotency_key": "same-key"})
    booking = Booking.objects.get()
    assert (
        first["Location"] == second["Location"] == reverse("booking:booking", args=[booking.code])
    )
    assert ActivitySeats.objects.get(activity=a).taken == 1


def test_duplicate_booking_is_refused_with_the_services_message(client, place, resident):
    a = _bookable(place)
    client.force_login(resident)
    client.post(_book_url(a), {"idempotency_key": "a"})
    response = client.post(_book_url(a), {"idempotency_key": "b"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == _page_url(a)
    assert "您已预约（或候补）了这个活动" in response.content.decode()
    assert Booking.objects.count() == 1


def test_full_activity_offers_the_waiting_list_and_shows_the_position(
    client, place, resident, other
):
    a = _bookable(place, capacity=1)
    activity_book(user=other, activity=a)
    client.force_login(resident)
    page = client.get(_page_url(a)).content.decode()
    assert "加入候补" in page
    response = client.post(_book_url(a), {"idempotency_key": "w"}, follow=True)
    mine = Booking.objects.get(user=resident)
    assert mine.status == BookingStatus.WAITLISTED
    text = response.content.decode()
    assert "排在第 1 位" in text
    assert "候补中 · 第 1 位" in text
    assert 'data-testid="booking-qr"' not in text  # no seat yet, no QR
    assert "候补中" in client.get(reverse("booking:mine")).content.decode()


def test_full_without_waiting_list_shows_why_and_no_button(client, place, resident, other):
    a = _bookable(place, capacity=1, waitlist_enabled=False)
    activity_book(user=other, activity=a)
    client.force_login(resident)
    page = client.get(_page_url(a)).content.decode()
    assert "名额已满" in page and 'data-testid="book-form"' not in page
    response = client.post(_book_url(a), {"idempotency_key": "x"}, follow=True)
    assert "名额已满" in response.content.decode()
    assert not Booking.objects.filter(user=resident).exists()


def test_staff_account_cannot_book_here(client, place, users):
    a = _bookable(place)
    client.force_login(users["community"])
    response = client.post(_book_url(a), {"idempotency_key": "s"})
    assert response.status_code == 403
    assert not Booking.objects.exists()


def test_get_on_book_url_is_refused_and_changes_nothing(client, place, resident):
    a = _bookable(place)
    client.force_login(resident)
    assert client.get(_book_url(a)).status_code == 405
    assert not Booking.objects.exists()


def test_book_needs_csrf(place, resident):
    from django.test import Client

    a = _bookable(place)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(resident)
    assert strict.post(_book_url(a), {"idempotency_key": "c"}).status_code == 403
    assert not Booking.objects.exists()


# ----- cancel -------------------------------------------------------------------------------
def test_cancel_has_a_confirm_step_then_frees_the_seat_for_the_waiting_list(
    client, place, resident, other
):
    a = _bookable(place, capacity=1)
    mine = activity_book(user=resident, activity=a)
    waiting = activity_book(user=other, activity=a)
    client.force_login(resident)
    url = reverse("booking:booking_cancel", args=[mine.code])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "确定取消" in confirm.content.decode()
    mine.refresh_from_db()
    assert mine.status == BookingStatus.CONFIRMED  # nothing changed on GET
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("booking:mine")
    assert "已取消预约" in response.content.decode()
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == BookingStatus.CANCELLED
    assert waiting.status == BookingStatus.CONFIRMED  # promoted
    assert Notification.objects.filter(user=other).exists()


def test_after_the_deadline_the_button_is_replaced_by_the_reason(client, place, resident):
    # starts in 1 hour; the deadline is 2 hours before the start
    now = timezone.now()
    a = make_activity(place["community"], title="马上开始", kind="lecture", venue=place["venue"],
                      start_at=now + timedelta(hours=1), end_at=now + timedelta(hours=2))  # fmt: skip
    seats_set(actor=None, activity=a, capacity=5, cancel_deadline_hours=2)
    booking = activity_book(user=resident, activity=a)
    client.force_login(resident)
    page = client.get(reverse("booking:booking", args=[booking.code])).content.decode()
    assert 'data-testid="cancel-link"' not in page
    assert "开始前 2 小时内不能取消" in page
    response = client.post(reverse("booking:booking_cancel", args=[booking.code]), follow=True)
    assert "已过取消截止时间" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_other_peoples_booking_codes_are_404(client, place, resident, other):
    a = _bookable(place)
    theirs = activity_book(user=other, activity=a)
    client.force_login(resident)
    for name in ("booking:booking", "booking:booking_qr", "booking:booking_cancel"):
        assert client.get(reverse(name, args=[theirs.code])).status_code == 404, name
    assert client.post(reverse("booking:booking_cancel", args=[theirs.code])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == BookingStatus.CONFIRMED
    assert client.get(reverse("booking:booking", args=["ZZZZZZZZ"])).status_code == 404


def test_own_code_opens_in_any_case_with_dashes(client, place, resident):
    a = _bookable(place)
    booking = activity_book(user=resident, activity=a)
    client.force_login(resident)
    typed = f"{booking.code[:4].lower()}-{booking.code[4:].lower()}"
    assert client.get(reverse("booking:booking", args=[typed])).status_code == 200


def test_my_bookings_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("booking:mine"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# ----- rooms --------------------------------------------------------------------------------
@pytest.fixture
def room(place):
    r = room_add(actor=None, venue=place["venue"], name="多功能厅", capacity=20)
    room_rule_set(actor=None, room=r, slot_minutes=60, max_slots=2, advance_days=7,
                  bookable_hours="Mo-Su 09:00-12:00")  # fmt: skip
    return r


def test_room_page_shows_the_days_slots(client, room, resident):
    day = timezone.localdate() + timedelta(days=1)
    client.force_login(resident)
    response = client.get(reverse("booking:room", args=[room.pk]), {"date": day.isoformat()})
    assert response.status_code == 200
    slots = response.context["slots"]
    assert [(s.start.astimezone(timezone.get_current_timezone()).strftime("%H:%M"), s.state)
            for s in slots] == [("09:00", "free"), ("10:00", "free"), ("11:00", "free")]  # fmt: skip
    assert response.content.decode().count('name="slot"') == 3


def test_room_books_two_consecutive_slots_and_shows_them_taken(client, room, resident, other):
    day = timezone.localdate() + timedelta(days=1)
    client.force_login(resident)
    url = reverse("booking:room_book", args=[room.pk])
    data = {"slot": [_local(day, 9).isoformat(), _local(day, 10).isoformat()],
            "date": day.isoformat(), "people": "6", "purpose": "合唱排练",
            "idempotency_key": "room-1"}  # fmt: skip
    response = client.post(url, data, follow=True)
    booking = Booking.objects.get(room=room)
    assert (booking.start_at, booking.end_at) == (_local(day, 9), _local(day, 11))
    assert booking.people == 6 and booking.purpose == "合唱排练"
    assert "预约成功" in response.content.decode()
    client.force_login(other)
    page = client.get(reverse("booking:room", args=[room.pk]), {"date": day.isoformat()})
    assert [s.state for s in page.context["slots"]] == ["taken", "taken", "free"]
    # the same slot again: the service's refusal on the room page
    again = client.post(url, {**data, "idempotency_key": "room-2", "slot": [data["slot"][1]]},
                        follow=True)  # fmt: skip
    assert again.redirect_chain[-1][0].startswith(reverse("booking:room", args=[room.pk]))
    assert "该时段已被预约" in again.content.decode()
    assert Booking.objects.filter(room=room).count() == 1


def test_room_refuses_slots_with_a_gap(client, room, resident):
    day = timezone.localdate() + timedelta(days=1)
    client.force_login(resident)
    response = client.post(
        reverse("booking:room_book", args=[room.pk]),
        {"slot": [_local(day, 9).isoformat(), _local(day, 11).isoformat()],
         "date": day.isoformat(), "people": "1", "idempotency_key": "gap"},
        follow=True,
    )  # fmt: skip
    assert "请选择相连的时段" in response.content.decode()
    assert not Booking.objects.exists()


def test_room_refuses_more_slots_than_the_rule_allows(client, room, resident):
    day = timezone.localdate() + timedelta(days=1)
    client.force_login(resident)
    response = client.post(
        reverse("booking:room_book", args=[room.pk]),
        {"slot": [_local(day, h).isoformat() for h in (9, 10, 11)],
         "date": day.isoformat(), "people": "1", "idempotency_key": "three"},
        follow=True,
    )  # fmt: skip
    assert "每次最多预约 2 个时段" in response.content.decode()
    assert not Booking.objects.exists()


def test_room_without_a_rule_is_404(client, place):
    r = room_add(actor=None, venue=place["venue"], name="库房", capacity=3)
    assert client.get(reverse("booking:room", args=[r.pk])).status_code == 404


# ----- messages -----------------------------------------------------------------------------
def test_messages_page_counts_unread_and_reading_is_a_post(client, place, resident):
    notify(
        user=resident, kind="booking.promoted", text="您已从候补转为预约成功", url="/booking/mine/"
    )
    notify(user=resident, kind="booking.cancelled", text="活动室停用，预约已取消")
    client.force_login(resident)
    page = client.get(reverse("booking:messages"))
    text = page.content.decode()
    assert "您已从候补转为预约成功" in text
    assert 'data-testid="tab-unread">2<' in text
    assert Notification.objects.filter(user=resident, read_at__isnull=True).count() == 2
    one = Notification.objects.get(kind="booking.promoted")
    response = client.post(reverse("booking:messages_read"), {"id": one.pk})
    assert response["Location"] == "/booking/mine/"
    assert Notification.objects.filter(user=resident, read_at__isnull=True).count() == 1
    client.post(reverse("booking:messages_read"))
    assert Notification.objects.filter(user=resident, read_at__isnull=True).count() == 0


def test_someone_elses_message_is_left_alone(client, place, resident, other):
    theirs = notify(user=other, kind="x", text="别人的消息", url="/booking/mine/")
    client.force_login(resident)
    response = client.post(reverse("booking:messages_read"), {"id": theirs.pk})
    assert response["Location"] == reverse("booking:messages")
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "别人的消息" not in client.get(reverse("booking:messages")).content.decode()


# ----- query count --------------------------------------------------------------------------
def _find_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("booking:find"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_find_page_query_count_does_not_grow_with_activities(client, place, resident):
    client.force_login(resident)
    for i in range(3):
        activity_book(user=resident, activity=_bookable(place, title=f"甲{i}", days=1 + i))
    small = _find_queries(client)
    for i in range(3):
        activity_book(user=resident, activity=_bookable(place, title=f"乙{i}", days=4 + i))
    assert len(client.get(reverse("booking:find")).context["result"].activities) == 6
    assert _find_queries(client) == small


# ----- English ------------------------------------------------------------------------------
def test_the_pages_in_english(client, place, resident):
    a = _bookable(place, title="书法讲座")
    booking = activity_book(user=resident, activity=a)
    client.force_login(resident)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    find = client.get(reverse("booking:find")).content.decode()
    assert "Book activities and rooms" in find and "2 free" not in find and "1 free" in find
    page = client.get(reverse("booking:booking", args=[booking.code])).content.decode()
    assert "Booking code" in page and "You can cancel until" in page
    day = timezone.localtime(a.start_at)
    assert day.strftime("%A") in page  # the date in English words, not 月/日
    assert "月" not in page.split('data-testid="booking-detail"')[1].split("</article>")[0]


# ----- approval and bad input ---------------------------------------------------------------
def test_booking_that_needs_approval_says_so_and_shows_no_qr_yet(client, place, resident):
    a = _bookable(place, needs_approval=True)
    client.force_login(resident)
    assert "申请预约" in client.get(_page_url(a)).content.decode()
    response = client.post(_book_url(a), {"idempotency_key": "p"}, follow=True)
    text = response.content.decode()
    assert Booking.objects.get(user=resident).status == BookingStatus.PENDING
    assert "等待场馆审核" in text and "待审核" in text
    assert 'data-testid="booking-qr"' not in text


def test_bad_input_is_never_a_server_error(client, place, resident, room):
    client.force_login(resident)
    find = reverse("booking:find")
    for query in ({"date": "2026-02-31"}, {"date": "garbage", "within": "x", "kind": "zzz"},
                  {"free": "yes", "within": "999999"}):  # fmt: skip
        assert client.get(find, query).status_code == 200, query
    room_page = reverse("booking:room", args=[room.pk])
    for day in ("2026-02-31", "nonsense", "1999-01-01"):
        response = client.get(room_page, {"date": day})
        assert response.status_code == 200 and response.context["day"] == timezone.localdate()
    book = reverse("booking:room_book", args=[room.pk])
    for data in ({"slot": "not-a-time"}, {"slot": "2026-02-31T10:00:00+08:00"}, {},
                 {"slot": _local(timezone.localdate() + timedelta(days=1), 9).isoformat(),
                  "people": "lots"}):  # fmt: skip
        response = client.post(book, {**data, "idempotency_key": "bad"}, follow=True)
        assert response.status_code == 200, data
        assert response.redirect_chain[-1][0].startswith(room_page)
    assert not Booking.objects.exists()
    assert client.get(reverse("booking:activity", args=[999999])).status_code == 404
    assert client.post(reverse("booking:activity_book", args=[999999])).status_code == 404
