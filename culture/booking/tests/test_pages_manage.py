"""The venue manager's booking pages, through real requests: the venue list, the day's bookings,
approve / reject / cancel / no-show, the check-in desk (QR payload, typed code, social-security
card, a second scan), room rules, maintenance blocks and activity seats; scope (a manager of
another venue is refused), CSRF, nothing changed by a GET, personal numbers masked.

The clock is fixed (Wednesday 2 December 2026, 10:00 in Hangzhou) so times of day and "today"
do not depend on when the suite runs."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from culture.accounts.models import Notification
from culture.accounts.services import resident_register
from culture.accounts.tests.factories import staff_user
from culture.activities.tests.factories import activity as make_activity
from culture.booking.models import ActivitySeats, Booking, BookingStatus, RoomBlock, RoomBookingRule
from culture.booking.services import (
    activity_book,
    booking_qr_payload,
    room_book,
    room_rule_set,
    seats_set,
)
from culture.core.roles import Role
from culture.venues.services import room_add, venue_manager_bind
from culture.venues.tests.factories import venue as make_venue

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=TZ)  # a Wednesday
PASSWORD = "a-long-resident-password-7"
WANG_ID, WANG_PHONE = "330105199001011233", "13957112345"
LI_ID, LI_PHONE = "330105198503171232", "13857154321"
ZHAO_ID, ZHAO_PHONE = "330105197211084562", "13757198765"


def at(hh: int, mm: int = 0, days: int = 0) -> dt.datetime:
    return (NOW + dt.timedelta(days=days)).replace(hour=hh, minute=mm)


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() is NOW (plus whatever a test moves it by)."""
    moment = {"now": NOW.astimezone(dt.UTC)}
    monkeypatch.setattr(timezone, "now", lambda: moment["now"])
    return moment


@pytest.fixture
def w(tree, users, clock) -> dict[str, Any]:
    """A culture centre run by s1 (its manager bound to it) with a room, and a venue of s2 with
    its own manager; three residents."""
    venue = make_venue(
        operator=tree["s1"], at=tree["c11"], code="BK-IN", name_zh="预约测试馆",
        kind="culture_centre", opening_hours="Mo-Su 08:00-21:00",
    )  # fmt: skip
    other = make_venue(
        operator=tree["s2"], at=tree["c21"], code="BK-OUT", name_zh="别处场馆",
        kind="culture_centre", opening_hours="Mo-Su 08:00-21:00",
    )  # fmt: skip
    manager = staff_user(Role.VENUE_MANAGER, None, display_name="本馆管理员")
    venue_manager_bind(actor=None, user=manager, venue=venue)
    other_manager = staff_user(Role.VENUE_MANAGER, None, display_name="别馆管理员")
    venue_manager_bind(actor=None, user=other_manager, venue=other)
    room = room_add(actor=None, venue=venue, name="排练厅", capacity=20)
    other_room = room_add(actor=None, venue=other, name="别处活动室", capacity=20)
    people = {}
    for key, name, phone, id_number in (
        ("wang", "王建国", WANG_PHONE, WANG_ID),
        ("li", "李秀英", LI_PHONE, LI_ID),
        ("zhao", "赵小明", ZHAO_PHONE, ZHAO_ID),
    ):
        people[key] = resident_register(
            actor=None, name=name, phone=phone, password=PASSWORD, id_number=id_number,
            community=tree["c11"],
        ).user  # fmt: skip
    return {
        "tree": tree, "users": users, "venue": venue, "other": other, "manager": manager,
        "other_manager": other_manager, "room": room, "other_room": other_room, **people,
    }  # fmt: skip


def lecture(w: dict[str, Any], *, start: dt.datetime, hours: int = 2, venue=None, **seats: Any):
    """An activity at the venue made bookable with ``seats`` (capacity 2 unless given)."""
    a = make_activity(
        w["tree"]["c11"], venue=venue or w["venue"], title=f"讲座{start:%d%H%M}", kind="lecture",
        start_at=start, end_at=start + dt.timedelta(hours=hours),
    )  # fmt: skip
    seats.setdefault("capacity", 2)
    seats_set(actor=None, activity=a, **seats)
    return a


def book(user, activity, *, now: dt.datetime | None = None) -> Booking:
    return activity_book(user=user, activity=activity, now=now)


def as_(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def url(name: str, *args: Any) -> str:
    return reverse(f"booking:{name}", args=args)


def text(response) -> str:
    return response.content.decode()


def reload(b: Booking) -> Booking:
    return Booking.objects.get(pk=b.pk)


# ----- the venue list and the day's bookings ------------------------------------------------------


def test_a_venue_manager_lists_only_their_venues(w):
    page = text(as_(w["manager"]).get(url("manage_home")))
    assert "预约测试馆" in page
    assert "别处场馆" not in page
    page = text(as_(w["users"]["district"]).get(url("manage_home")))
    assert "预约测试馆" in page and "别处场馆" in page


def test_residents_and_anonymous_callers_do_not_reach_the_manager_pages(w):
    assert as_(w["wang"]).get(url("manage_home")).status_code == 403
    response = Client().get(url("manage_day", "BK-IN"))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_the_day_lists_seats_and_rooms_by_time_with_status_and_masked_people(w):
    a = lecture(w, start=at(14), capacity=1)
    first = book(w["wang"], a)
    second = book(w["li"], a)  # full: waiting list
    room_rule_set(actor=None, room=w["room"], slot_minutes=60, advance_days=7)
    r = room_book(
        user=w["zhao"], room=w["room"], start_at=at(11), end_at=at(12), purpose="合唱排练"
    )
    response = as_(w["manager"]).get(url("manage_day", "BK-IN"))
    assert response.status_code == 200
    page = text(response)
    # by time: the 11:00 room booking before the 14:00 seats
    assert page.index(r.code) < page.index(first.code) < page.index(second.code)
    assert "11:00–12:00" in page and "14:00–16:00" in page
    assert "合唱排练" in page and "排练厅" in page
    assert "已预约" in page and "候补中 #1" in page
    # people masked: first character of the name and the masked phone, never the full ones
    assert "王**" in page and "139****2345" in page
    assert "王建国" not in page and WANG_PHONE not in page and WANG_ID not in page


def test_another_day_is_chosen_with_date_and_a_bad_date_is_said(w):
    a = lecture(w, start=at(9, days=3))
    b = book(w["wang"], a)
    manager = as_(w["manager"])
    assert b.code not in text(manager.get(url("manage_day", "BK-IN")))
    page = text(manager.get(url("manage_day", "BK-IN") + "?date=2026-12-05"))
    assert b.code in page and "2026-12-05" in page
    response = manager.get(url("manage_day", "BK-IN") + "?date=12/05")
    assert response.status_code == 200
    assert "日期“12/05”无法识别" in text(response)
    assert "2026-12-02" in text(response)  # today shown instead
    for far in ("9999-12-31", "0001-01-01"):
        response = manager.get(url("manage_day", "BK-IN") + f"?date={far}")
        assert response.status_code == 200 and "离今天太远" in text(response)


def test_a_manager_of_another_venue_is_refused_everywhere(w):
    a = lecture(w, start=at(14), needs_approval=True)
    b = book(w["wang"], a)
    intruder = as_(w["other_manager"])
    for name, args in (
        ("manage_day", ("BK-IN",)),
        ("manage_checkin", ("BK-IN",)),
        ("manage_approvals", ("BK-IN",)),
        ("manage_rooms", ("BK-IN",)),
        ("manage_room_rule", ("BK-IN", w["room"].pk)),
        ("manage_room_block", ("BK-IN", w["room"].pk)),
        ("manage_activities", ("BK-IN",)),
        ("manage_seats", ("BK-IN", a.pk)),
    ):
        assert intruder.get(url(name, *args)).status_code == 403, name
    for name in ("manage_approve", "manage_reject", "manage_cancel", "manage_no_show"):
        response = intruder.post(url(name, "BK-IN", b.code), {"reason": "越权"})
        assert response.status_code == 403, name
    # nor through their own venue's URL: the code is not of their venue
    assert intruder.post(url("manage_approve", "BK-OUT", b.code)).status_code == 404
    assert reload(b).status == BookingStatus.PENDING


# ----- approve, reject, cancel, no-show -----------------------------------------------------------


def test_approve_and_reject_pending_bookings(w):
    a = lecture(w, start=at(15), needs_approval=True)
    wang, li = book(w["wang"], a), book(w["li"], a)
    assert wang.status == li.status == BookingStatus.PENDING
    manager = as_(w["manager"])
    page = text(manager.get(url("manage_approvals", "BK-IN")))
    assert wang.code in page and li.code in page

    response = manager.post(url("manage_approve", "BK-IN", wang.code))
    assert response.status_code == 302
    assert reload(wang).status == BookingStatus.CONFIRMED

    # a rejection needs a reason
    response = manager.post(url("manage_reject", "BK-IN", li.code), {"reason": ""}, follow=True)
    assert "请写明原因" in text(response)
    assert reload(li).status == BookingStatus.PENDING
    manager.post(url("manage_reject", "BK-IN", li.code), {"reason": "名额留给本社区老人"})
    li = reload(li)
    assert li.status == BookingStatus.REJECTED
    # approving it now is refused with a message, not an error page
    response = manager.post(url("manage_approve", "BK-IN", li.code), follow=True)
    assert response.status_code == 200
    assert reload(li).status == BookingStatus.REJECTED
    assert li.code in text(response)


def test_cancel_needs_a_reason_frees_the_seat_and_the_first_waiting_gets_it(w):
    a = lecture(w, start=at(16), capacity=1)
    wang, li = book(w["wang"], a), book(w["li"], a)
    assert li.status == BookingStatus.WAITLISTED
    manager = as_(w["manager"])
    manager.post(url("manage_cancel", "BK-IN", wang.code), {"reason": ""})
    assert reload(wang).status == BookingStatus.CONFIRMED
    day = url("manage_day", "BK-IN") + "?date=2026-12-02"
    response = manager.post(
        url("manage_cancel", "BK-IN", wang.code), {"reason": "讲师临时更换场次", "next": day}
    )
    assert response.status_code == 302 and response["Location"] == day
    wang = reload(wang)
    assert wang.status == BookingStatus.CANCELLED and wang.cancel_reason == "讲师临时更换场次"
    assert reload(li).status == BookingStatus.CONFIRMED
    assert Notification.objects.filter(user=w["li"], kind="booking.promoted").count() == 1
    assert ActivitySeats.objects.get(activity=a).taken == 1


def test_an_outside_next_url_is_not_followed(w):
    a = lecture(w, start=at(16))
    b = book(w["wang"], a)
    response = as_(w["manager"]).post(
        url("manage_cancel", "BK-IN", b.code), {"reason": "测试", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == url("manage_day", "BK-IN") + "?date=2026-12-02"


def test_no_show_after_the_start(w):
    a = lecture(w, start=at(9), hours=3)  # started an hour ago
    late = book(w["wang"], a, now=at(8))
    coming = book(w["li"], lecture(w, start=at(15)))  # later today: no button yet
    manager = as_(w["manager"])
    page = text(manager.get(url("manage_day", "BK-IN")))
    assert f'data-testid="no-show-{late.code}"' in page
    assert f'data-testid="no-show-{coming.code}"' not in page
    manager.post(url("manage_no_show", "BK-IN", late.code))
    assert reload(late).status == BookingStatus.NO_SHOW


def test_actions_take_post_only_and_csrf(w):
    a = lecture(w, start=at(15), needs_approval=True)
    b = book(w["wang"], a)
    manager = as_(w["manager"])
    for name in ("manage_approve", "manage_reject", "manage_cancel", "manage_no_show"):
        assert manager.get(url(name, "BK-IN", b.code)).status_code == 405, name
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(w["manager"])
    assert strict.post(url("manage_approve", "BK-IN", b.code)).status_code == 403
    assert strict.post(url("manage_checkin", "BK-IN"), {"token": b.code}).status_code == 403
    assert reload(b).status == BookingStatus.PENDING


def test_evaluators_read_but_never_change(w):
    a = lecture(w, start=at(15), needs_approval=True)
    b = book(w["wang"], a)
    evaluator = as_(w["users"]["evaluator"])
    assert b.code in text(evaluator.get(url("manage_day", "BK-IN")))
    assert evaluator.post(url("manage_approve", "BK-IN", b.code)).status_code == 403
    assert evaluator.get(url("manage_checkin", "BK-IN")).status_code == 403
    assert reload(b).status == BookingStatus.PENDING


# ----- the check-in desk ----------------------------------------------------------------------------


@pytest.fixture
def desk(w):
    """A lecture 09:30-11:30 today (it is 10:00) booked by Wang, Li and Zhao."""
    a = lecture(w, start=at(9, 30), capacity=5)
    early = at(8)
    return {
        "activity": a,
        "wang": book(w["wang"], a, now=early),
        "li": book(w["li"], a, now=early),
        "zhao": book(w["zhao"], a, now=early),
        "client": as_(w["manager"]),
    }


def scan(desk: dict[str, Any], token: str):
    return desk["client"].post(url("manage_checkin", "BK-IN"), {"token": token})


def test_the_desk_page_has_one_focused_input(w):
    page = text(as_(w["manager"]).get(url("manage_checkin", "BK-IN")))
    assert page.count('name="token"') == 1
    assert "autofocus" in page


def test_check_in_by_scanned_qr_payload_then_a_second_scan_is_harmless(desk):
    payload = booking_qr_payload(desk["wang"])
    response = scan(desk, payload)
    assert response.status_code == 200
    page = text(response)
    assert "签到成功" in page
    assert "王**" in page and "讲座" in page and "09:30–11:30" in page
    b = reload(desk["wang"])
    assert b.status == BookingStatus.CHECKED_IN and b.check_in_method == "qr"
    again = text(scan(desk, payload))
    assert "已签到（10:00）" in again and "签到成功" not in again
    assert reload(desk["wang"]).checked_in_at == b.checked_in_at


def test_check_in_by_a_typed_code_in_any_case_with_spaces_and_dashes(desk):
    code = desk["li"].code
    typed = f" {code[:4].lower()}-{code[4:].lower()} "
    page = text(scan(desk, typed))
    assert "签到成功" in page and "李**" in page
    assert reload(desk["li"]).check_in_method == "code"


def test_check_in_by_the_social_security_card(desk):
    page = text(scan(desk, ZHAO_ID))
    assert "签到成功" in page and "赵**" in page
    assert ZHAO_ID not in page
    assert reload(desk["zhao"]).check_in_method == "ssc_card"


def test_check_in_refusals_are_clear(w, desk):
    response = scan(desk, "ZZZZ9999")
    assert response.status_code == 422
    assert "不能签到" in text(response)
    response = scan(desk, "")
    assert response.status_code == 422 and "请扫描二维码" in text(response)
    # a booking of another venue is not checked in here
    elsewhere = lecture(w, start=at(9, 30), venue=w["other"])
    theirs = book(w["wang"], elsewhere, now=at(8))
    response = scan(desk, theirs.code)
    assert response.status_code == 422 and "不能签到" in text(response)
    assert reload(theirs).status == BookingStatus.CONFIRMED


# ----- rooms: rules and blocks ----------------------------------------------------------------------


RULE = {
    "enabled": "on",
    "bookable_hours": "Mo-Fr 09:00-17:00",
    "slot_minutes": "30",
    "max_slots": "4",
    "advance_days": "14",
    "per_person_limit": "2",
    "needs_approval": "on",
    "cancel_deadline_hours": "12",
}


def test_a_manager_sets_a_rooms_booking_rule(w):
    manager = as_(w["manager"])
    assert "开放预约" in text(manager.get(url("manage_rooms", "BK-IN")))
    response = manager.post(url("manage_room_rule", "BK-IN", w["room"].pk), RULE)
    assert response.status_code == 302
    rule = RoomBookingRule.objects.get(room=w["room"])
    assert (rule.slot_minutes, rule.max_slots, rule.advance_days) == (30, 4, 14)
    assert rule.needs_approval and rule.cancel_deadline_hours == 12
    assert rule.bookable_hours == "Mo-Fr 09:00-17:00"
    page = text(manager.get(url("manage_rooms", "BK-IN")))
    assert "Mo-Fr 09:00-17:00" in page and "需管理员审核" in page


def test_a_bad_rule_is_refused_with_the_reason_on_the_field(w):
    manager = as_(w["manager"])
    response = manager.post(
        url("manage_room_rule", "BK-IN", w["room"].pk), {**RULE, "slot_minutes": "50"}
    )
    assert response.status_code == 422
    assert "15" in text(response)
    response = manager.post(
        url("manage_room_rule", "BK-IN", w["room"].pk), {**RULE, "bookable_hours": "每天上午"}
    )
    assert response.status_code == 422
    assert not RoomBookingRule.objects.filter(room=w["room"]).exists()


def test_a_block_shows_whom_it_cancels_before_confirming_then_tells_them(w):
    room_rule_set(actor=None, room=w["room"], slot_minutes=60, advance_days=7)
    hit = room_book(user=w["wang"], room=w["room"], start_at=at(14, days=1), end_at=at(15, days=1))
    touching = room_book(
        user=w["li"], room=w["room"], start_at=at(17, days=1), end_at=at(18, days=1)
    )
    manager = as_(w["manager"])
    form = {
        "start_at": "2026-12-03T13:00",
        "end_at": "2026-12-03T17:00",
        "reason": "空调维修",
    }
    preview = manager.get(url("manage_room_block", "BK-IN", w["room"].pk), form)
    assert preview.status_code == 200
    page = text(preview)
    assert hit.code in page and touching.code not in page
    assert not RoomBlock.objects.exists()  # the preview changes nothing
    assert reload(hit).status == BookingStatus.CONFIRMED

    response = manager.post(url("manage_room_block", "BK-IN", w["room"].pk), form, follow=True)
    assert "取消了 1 个预约" in text(response)
    block = RoomBlock.objects.get(room=w["room"])
    assert block.reason == "空调维修"
    assert reload(hit).status == BookingStatus.CANCELLED
    assert reload(touching).status == BookingStatus.CONFIRMED
    assert Notification.objects.filter(user=w["wang"]).exists()
    assert not Notification.objects.filter(user=w["li"]).exists()
    # the rooms page lists it and lifts it
    assert "空调维修" in text(response)
    manager.post(url("manage_block_delete", "BK-IN", block.pk))
    assert not RoomBlock.objects.exists()


def test_a_block_with_the_end_before_the_start_is_refused(w):
    response = as_(w["manager"]).post(
        url("manage_room_block", "BK-IN", w["room"].pk),
        {"start_at": "2026-12-03T17:00", "end_at": "2026-12-03T13:00", "reason": "维修"},
    )
    assert response.status_code == 422
    assert "结束时间必须晚于开始时间" in text(response)
    assert not RoomBlock.objects.exists()


# ----- activities: seats --------------------------------------------------------------------------


def test_a_manager_makes_an_activity_bookable_and_cannot_cut_below_the_seats_taken(w):
    a = make_activity(
        w["tree"]["c11"], venue=w["venue"], title="周末书法课", kind="training_class",
        start_at=at(14, days=4), end_at=at(16, days=4),
    )  # fmt: skip
    manager = as_(w["manager"])
    page = text(manager.get(url("manage_activities", "BK-IN")))
    assert "周末书法课" in page and "未开放预约" in page
    data = {"capacity": "3", "waitlist_enabled": "on", "cancel_deadline_hours": "2"}
    response = manager.post(url("manage_seats", "BK-IN", a.pk), data)
    assert response.status_code == 302
    seats = ActivitySeats.objects.get(activity=a)
    assert (seats.capacity, seats.waitlist_enabled, seats.needs_approval) == (3, True, False)
    book(w["wang"], a)
    book(w["li"], a)
    response = manager.post(url("manage_seats", "BK-IN", a.pk), {**data, "capacity": "1"})
    assert response.status_code == 422
    assert "已有 2 人预约" in text(response)
    assert ActivitySeats.objects.get(activity=a).capacity == 3
    assert "2 / 3" in text(manager.get(url("manage_activities", "BK-IN")))


def test_the_desk_speaks_english(desk):
    from django.conf import settings

    desk["client"].cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(desk["client"].get(url("manage_checkin", "BK-IN")))
    assert "Check-in desk" in page and "签到台" not in page
    page = text(scan(desk, desk["wang"].code))
    assert "Checked in" in page and "签到成功" not in page
    assert "Already checked in (10:00)" in text(scan(desk, desk["wang"].code))


def _queries(client: Client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_the_day_and_the_venue_list_keep_their_query_count_as_bookings_grow(w, tree):
    manager = as_(w["manager"])
    district = as_(w["users"]["district"])
    room_rule_set(actor=None, room=w["room"], slot_minutes=30, per_person_limit=20, max_slots=1)
    users = [w["wang"], w["li"], w["zhao"]]

    def grow(first_hour: int) -> None:
        a = lecture(w, start=at(first_hour, 30), capacity=3)
        for i, u in enumerate(users):
            book(u, a)
            room_book(
                user=u,
                room=w["room"],
                start_at=at(first_hour + i // 2, 30 * (i % 2)),
                end_at=at(first_hour + i // 2, 30 * (i % 2)) + dt.timedelta(minutes=30),
            )

    grow(11)
    day, home = (
        _queries(manager, url("manage_day", "BK-IN")),
        _queries(district, url("manage_home")),
    )
    grow(15)
    assert _queries(manager, url("manage_day", "BK-IN")) == day
    assert _queries(district, url("manage_home")) == home


def test_a_block_over_someone_checked_in_is_not_offered_and_is_refused(w, desk):
    room_rule_set(actor=None, room=w["room"], slot_minutes=60)
    came = room_book(user=w["wang"], room=w["room"], start_at=at(9), end_at=at(11), now=at(8))
    scan(desk, came.code)
    assert reload(came).status == BookingStatus.CHECKED_IN
    form = {"start_at": "2026-12-02T10:00", "end_at": "2026-12-02T12:00", "reason": "漏水抢修"}
    manager = desk["client"]
    page = text(manager.get(url("manage_room_block", "BK-IN", w["room"].pk), form))
    assert "不能停用" in page and 'data-testid="block-confirm"' not in page
    response = manager.post(url("manage_room_block", "BK-IN", w["room"].pk), form)
    assert response.status_code == 422
    assert "已签到或已记未到场" in text(response)
    assert not RoomBlock.objects.exists()
    assert reload(came).status == BookingStatus.CHECKED_IN


@pytest.mark.parametrize("moment", ["9999-12-31T23:00", "0001-01-01T00:00"])
def test_dates_at_the_ends_of_the_calendar_are_answered_not_crashed_on(w, moment):
    manager = as_(w["manager"])
    a = lecture(w, start=at(14, days=3))
    day, hh = moment.split("T")
    block = {"start_at": moment, "end_at": f"{day}T{int(hh[:2]) + 1:02d}:00", "reason": "维修"}
    room = url("manage_room_block", "BK-IN", w["room"].pk)
    assert manager.get(room, block).status_code in (200, 422)
    assert manager.post(room, block).status_code in (302, 422)
    seats = {"capacity": "5", "opens_at": moment, "cancel_deadline_hours": "2"}
    assert manager.post(url("manage_seats", "BK-IN", a.pk), seats).status_code in (302, 422)
