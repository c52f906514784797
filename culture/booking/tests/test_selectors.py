"""The residents' reads: home and distances, what the find page lists, own bookings, waiting-list
rank, a booking by code for its owner only, whether a cancel button is offered, messages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from culture.accounts.notifications import notify
from culture.activities.models import Activity
from culture.booking import selectors as sel
from culture.booking.models import BookingStatus
from culture.booking.selectors import find as find_module
from culture.booking.services import activity_book, booking_cancel, room_book
from culture.booking.tests.factories import (
    at,
    bookable_activity,
    bookable_room,
    bookable_venue,
    days_ahead,
    resident_user,
)
from culture.core.errors import NotFound
from culture.org.models import OrgUnit
from culture.venues.models import Room, Venue, VenueStatus
from culture.venues.tests.factories import give_boundaries

pytestmark = pytest.mark.django_db

# give_boundaries(): community squares 0.02 degrees wide along 30.30-30.32 N, side by side from
# 120.10 E in code order (c11, c12, c21, c22). 0.02 degrees of longitude at 30.31 N is
# 0.02 * 111,320 m * cos(30.31 deg) = 1,922 m; two squares 3,844 m.
ONE_SQUARE_M = 1922
TWO_SQUARES_M = 3844


@pytest.fixture
def homes(tree):
    centres = give_boundaries()
    return {k: centres[tree[k].code] for k in ("c11", "c12", "c21", "c22")}


def _venue_at(point, code):
    v = bookable_venue(code=code)
    Venue.objects.filter(pk=v.pk).update(lon=point[0], lat=point[1])
    v.refresh_from_db()
    return v


# ----- home and distance ---------------------------------------------------------------------
def test_home_is_the_centre_of_the_community_boundary(tree, homes, users):
    user = resident_user(community_unit=tree["c11"])
    home = sel.home_of(user)
    assert home is not None and home.community_name == tree["c11"].name_zh
    assert sel.distances(home, [homes["c11"], homes["c12"], homes["c21"], None]) == [
        0,
        pytest.approx(ONE_SQUARE_M, abs=3),
        pytest.approx(TWO_SQUARES_M, abs=6),
        None,
    ]
    # staff, visitors and residents without a community have no home
    assert sel.home_of(users["community"]) is None
    assert sel.home_of(AnonymousUser()) is None
    assert sel.home_of(resident_user()) is None


def test_home_prefers_the_recorded_centroid(tree, homes):
    OrgUnit.objects.filter(pk=tree["c11"].pk).update(
        centroid_lon=homes["c12"][0], centroid_lat=homes["c12"][1]
    )
    home = sel.home_of(resident_user(community_unit=tree["c11"]))
    assert sel.distances(home, [homes["c12"]]) == [0]


# ----- the find page ---------------------------------------------------------------------------
def test_find_lists_only_what_can_still_be_booked(tree):
    keep = bookable_activity(title="可以预约")
    later = bookable_activity(title="尚未开放", opens_at=timezone.now() + timedelta(days=1))
    bookable_activity(title="已截止", closes_at=timezone.now() - timedelta(minutes=1))
    gone = bookable_activity(title="已取消")
    Activity.objects.filter(pk=gone.pk).update(cancelled=True)
    bookable_activity(title="已开始", start=timezone.now() - timedelta(minutes=5))
    result = sel.find_bookable(viewer=AnonymousUser(), filters=sel.FindFilters())
    assert {c.activity.title for c in result.activities} == {"可以预约", "尚未开放"}
    assert [c.activity.pk for c in result.activities] == sorted(
        [keep.pk, later.pk], key=lambda pk: Activity.objects.get(pk=pk).start_at
    )


def test_find_filters_by_day_kind_and_free_places(tree):
    venue = bookable_venue()
    tomorrow = bookable_activity(venue=venue, title="明天", start=at(days_ahead(1), 9))
    bookable_activity(venue=venue, title="后天", start=at(days_ahead(2), 9))
    full = bookable_activity(venue=venue, title="明天满了", start=at(days_ahead(1), 15), capacity=1)
    activity_book(user=resident_user(), activity=full)
    Activity.objects.filter(pk=tomorrow.pk).update(kind="lecture")
    anyone = AnonymousUser()

    def titles(**f):
        return sorted(
            c.activity.title
            for c in sel.find_bookable(viewer=anyone, filters=sel.FindFilters(**f)).activities
        )

    assert titles(day=days_ahead(1)) == ["明天", "明天满了"]
    assert titles(day=days_ahead(1), free_only=True) == ["明天"]
    assert titles(kind="lecture") == ["明天"]
    assert titles(kind=sel.ROOM_KIND) == []


def test_find_nearest_first_and_within_a_distance(tree, homes):
    near = _venue_at(homes["c11"], "NEAR")
    mid = _venue_at(homes["c12"], "MID")
    far = _venue_at(homes["c21"], "FAR")
    a_far = bookable_activity(venue=far, start=at(days_ahead(1), 9))
    a_mid = bookable_activity(venue=mid, start=at(days_ahead(2), 9))
    a_near = bookable_activity(venue=near, start=at(days_ahead(3), 9))
    me = resident_user(community_unit=tree["c11"])
    result = sel.find_bookable(viewer=me, filters=sel.FindFilters())
    assert [c.activity.pk for c in result.activities] == [a_near.pk, a_mid.pk, a_far.pk]
    assert [c.distance_m for c in result.activities] == [
        0,
        pytest.approx(ONE_SQUARE_M, abs=3),
        pytest.approx(TWO_SQUARES_M, abs=6),
    ]
    within = sel.find_bookable(viewer=me, filters=sel.FindFilters(within_m=3000))
    assert [c.activity.pk for c in within.activities] == [a_near.pk, a_mid.pk]
    # without a home: soonest first, the distance filter ignored
    anyone = sel.find_bookable(viewer=AnonymousUser(), filters=sel.FindFilters(within_m=1500))
    assert [c.activity.pk for c in anyone.activities] == [a_far.pk, a_mid.pk, a_near.pk]
    assert all(c.distance_m is None for c in anyone.activities)


def test_find_marks_the_viewers_own_bookings(tree):
    me = resident_user()
    a = bookable_activity()
    b = bookable_activity()
    activity_book(user=me, activity=a)
    cards = sel.find_bookable(viewer=me, filters=sel.FindFilters()).activities
    mine = {c.activity.pk: c.mine for c in cards}
    assert mine[a.pk] is not None and mine[a.pk].status == BookingStatus.CONFIRMED
    assert mine[b.pk] is None


def test_find_lists_at_most_max_and_says_how_many_more(tree, monkeypatch):
    monkeypatch.setattr(find_module, "MAX_ACTIVITIES", 2)
    venue = bookable_venue()
    for i in range(5):
        bookable_activity(venue=venue, start=at(days_ahead(1 + i), 9))
    result = sel.find_bookable(viewer=AnonymousUser(), filters=sel.FindFilters())
    assert len(result.activities) == 2 and result.more_activities == 3


def test_find_rooms_only_open_ones(tree):
    ok = bookable_room(name="能约的")
    off = bookable_room(name="规则关闭", enabled=False)
    inactive = bookable_room(name="停用的")
    Room.objects.filter(pk=inactive.pk).update(is_active=False)
    closed = bookable_room(name="场馆关门")
    Venue.objects.filter(pk=closed.venue_id).update(status=VenueStatus.CLOSED)
    Room.objects.create(venue=ok.venue, name="没有规则", capacity=5)
    result = sel.find_bookable(viewer=AnonymousUser(), filters=sel.FindFilters())
    assert [c.room.name for c in result.rooms] == ["能约的"]
    assert off.pk not in {c.room.pk for c in result.rooms}
    only_rooms = sel.find_bookable(viewer=AnonymousUser(), filters=sel.FindFilters(kind="room"))
    assert only_rooms.activities == [] and [c.room.pk for c in only_rooms.rooms] == [ok.pk]
    lectures = sel.find_bookable(viewer=AnonymousUser(), filters=sel.FindFilters(kind="lecture"))
    assert lectures.rooms == []
    with pytest.raises(NotFound):
        sel.room_rule(room_id=off.pk)


def test_free_only_on_a_day_keeps_rooms_with_a_free_slot(tree):
    from culture.booking.services import room_block_create

    venue = bookable_venue(opening_hours="Mo-Su 09:00-11:00")  # two 60-minute slots a day
    busy = bookable_room(venue=venue, name="约满的", per_person_limit=5)
    blocked = bookable_room(venue=venue, name="停用的")
    half = bookable_room(venue=venue, name="还有一段")
    day = days_ahead(2)
    me = resident_user()
    room_book(user=me, room=busy, start_at=at(day, 9), end_at=at(day, 11))
    room_block_create(actor=None, room=blocked, start_at=at(day, 9), end_at=at(day, 11),
                      reason="检修")  # fmt: skip
    room_book(user=me, room=half, start_at=at(day, 9), end_at=at(day, 10))
    anyone = AnonymousUser()

    def names(**f):
        result = sel.find_bookable(viewer=anyone, filters=sel.FindFilters(kind="room", **f))
        return sorted(c.room.name for c in result.rooms)

    assert names(day=day, free_only=True) == ["还有一段"]
    assert names(day=day) == ["停用的", "约满的", "还有一段"]
    assert names(day=days_ahead(3), free_only=True) == ["停用的", "约满的", "还有一段"]
    # beyond the rule's advance days (7) nothing is free
    assert names(day=days_ahead(9), free_only=True) == []


# ----- own bookings ----------------------------------------------------------------------------
def test_waitlist_rank_counts_those_still_ahead(tree):
    a = bookable_activity(capacity=1)
    people = [resident_user() for _ in range(4)]
    first, w1, w2, w3 = (activity_book(user=p, activity=a) for p in people)
    assert [w.waitlist_position for w in (w1, w2, w3)] == [1, 2, 3]
    booking_cancel(actor=people[1], booking=w1)  # leaves the waiting list: a gap at 1
    coming, _past = sel.my_bookings(user=people[3])
    assert [(b.pk, b.waitlist_rank) for b in coming] == [(w3.pk, 2)]
    assert sel.waitlist_rank(w2) == 1
    assert sel.own_booking(user=people[2], code=w2.code).waitlist_rank == 1


def test_my_bookings_coming_and_past(tree):
    me = resident_user()
    soon = activity_book(user=me, activity=bookable_activity(start=at(days_ahead(1), 9)))
    later = activity_book(user=me, activity=bookable_activity(start=at(days_ahead(4), 9)))
    dropped = activity_book(user=me, activity=bookable_activity(start=at(days_ahead(2), 9)))
    booking_cancel(actor=me, booking=dropped)
    room = bookable_room()
    slot = at(days_ahead(1), 10)
    in_room = room_book(user=me, room=room, start_at=slot, end_at=slot + timedelta(hours=1))
    activity_book(user=resident_user(), activity=bookable_activity())  # someone else's
    coming, past = sel.my_bookings(user=me)
    assert [b.pk for b in coming] == [soon.pk, in_room.pk, later.pk]
    assert [b.pk for b in past] == [dropped.pk]


def test_own_booking_only_for_its_owner_and_any_case(tree):
    me, other = resident_user(), resident_user()
    booking = activity_book(user=me, activity=bookable_activity())
    typed = f" {booking.code[:4].lower()}-{booking.code[4:]} "
    assert sel.own_booking(user=me, code=typed).pk == booking.pk
    for viewer in (other, AnonymousUser()):
        with pytest.raises(NotFound):
            sel.own_booking(user=viewer, code=booking.code)


def test_cancel_offered_until_the_deadline_exactly(tree):
    me = resident_user()
    start = at(days_ahead(2), 10)
    booking = activity_book(
        user=me, activity=bookable_activity(start=start, cancel_deadline_hours=3)
    )
    deadline = start - timedelta(hours=3)
    before = sel.cancel_state(booking, now=deadline - timedelta(seconds=1))
    assert before.allowed and before.deadline == deadline
    at_deadline = sel.cancel_state(booking, now=deadline)
    assert not at_deadline.allowed
    assert "开始前 3 小时内不能取消" in at_deadline.reason
    assert not sel.cancel_state(booking, now=start).allowed
    booking_cancel(actor=me, booking=booking, now=deadline - timedelta(seconds=1))
    booking.refresh_from_db()
    assert "已取消" in sel.cancel_state(booking, now=deadline - timedelta(hours=1)).reason


def test_a_waiting_list_place_can_be_left_after_the_deadline(tree):
    a = bookable_activity(capacity=1, start=at(days_ahead(1), 10), cancel_deadline_hours=48)
    activity_book(user=resident_user(), activity=a)
    waiting = activity_book(user=resident_user(), activity=a)
    assert waiting.status == BookingStatus.WAITLISTED
    assert sel.cancel_state(waiting).allowed


def test_room_booking_deadline_follows_its_rule(tree):
    me = resident_user()
    room = bookable_room(cancel_deadline_hours=5)
    slot = at(days_ahead(1), 10)
    booking = room_book(user=me, room=room, start_at=slot, end_at=slot + timedelta(hours=1))
    coming, _ = sel.my_bookings(user=me)
    assert sel.cancel_state(coming[0], now=slot - timedelta(hours=5)).allowed is False
    assert sel.cancel_state(coming[0], now=slot - timedelta(hours=5, seconds=1)).allowed
    assert coming[0].pk == booking.pk


# ----- messages --------------------------------------------------------------------------------
def test_messages_newest_first_and_unread_count(tree):
    me, other = resident_user(), resident_user()
    notify(user=me, kind="a", text="第一条")
    notify(user=me, kind="b", text="第二条")
    notify(user=other, kind="c", text="别人的")
    assert [n.text for n in sel.notifications(user=me)] == ["第二条", "第一条"]
    assert sel.unread_count(user=me) == 2
    assert sel.unread_count(user=AnonymousUser()) == 0
