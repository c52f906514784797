"""The demo's booking step on a small district: rules on the main venues' rooms, seats on the
activities around today, bookings of every kind the pages show (a full activity with a waiting
list, pending approvals, check-ins and no-shows in the past weeks), the demo resident's own
bookings; the same seed gives the same bookings, and a second run changes nothing."""

from __future__ import annotations

import io
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from culture.accounts.services import resident_register
from culture.activities.tests.factories import activity as make_activity
from culture.booking.models import ActivitySeats, Booking, BookingStatus, RoomBookingRule
from culture.core.personal import lookup_hash
from culture.demo.seed_booking import seed_booking
from culture.demo.seed_people import DEMO_RESIDENT_ID, DEMO_RESIDENT_PHONE, synthetic_id_number
from culture.venues.services import room_add
from culture.venues.tests.factories import venue as make_venue

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-resident-password-7"


@pytest.fixture
def small_district(tree):
    library = make_venue(
        operator=tree["district"], at=tree["c11"], code="GS-LIB", name_zh="区图书馆",
        kind="library", opening_hours="Mo-Su 08:00-21:00",
    )  # fmt: skip
    station = make_venue(
        operator=tree["s1"], at=tree["c12"], code="S1-ST", name_zh="文化站",
        kind="culture_station", opening_hours="Mo-Su 08:30-20:30",
    )  # fmt: skip
    elsewhere = make_venue(
        operator=tree["c21"], at=tree["c21"], code="C21-JY", name_zh="文化家园",
        kind="community_centre", opening_hours="Mo-Su 08:30-17:00",
    )  # fmt: skip
    for v, names in ((library, ("多功能厅", "阅览区")), (station, ("排练厅", "书画室"))):
        for name in names:
            room_add(actor=None, venue=v, name=name, capacity=40)
    room_add(actor=None, venue=elsewhere, name="棋牌室", capacity=20)
    rng = random.Random(7)
    resident_register(
        actor=None, name="王建国", phone=DEMO_RESIDENT_PHONE, password=PASSWORD,
        id_number=DEMO_RESIDENT_ID, community=tree["c11"],
    )  # fmt: skip
    for i in range(30):
        resident_register(
            actor=None, name=f"居民{i}", phone=f"137{i:08d}", password=PASSWORD,
            id_number=synthetic_id_number(rng), community=tree["c11"],
        )  # fmt: skip
    today = timezone.localdate()
    for days, hour, v in ((-9, 14, library), (-4, 10, station), (-2, 15, elsewhere)):
        _activity(tree, v, today + timedelta(days=days), hour)
    for days in (2, 3, 5, 8, 12, 16):
        _activity(tree, library if days % 2 else station, today + timedelta(days=days), 14)
    _activity(tree, elsewhere, today + timedelta(days=40), 14)  # outside the window
    return {"library": library, "station": station, "elsewhere": elsewhere}


def _activity(tree, venue, day, hour):
    start = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))
    start += timedelta(hours=hour)
    return make_activity(
        tree["s1"], venue=venue, kind="lecture", title=f"演示讲座{day:%m%d}",
        start_at=start, end_at=start + timedelta(hours=2),
    )  # fmt: skip


def _run(seed: str) -> str:
    out = io.StringIO()
    seed_booking(rng=random.Random(seed), stdout=out)
    return out.getvalue()


def _shape() -> set[tuple]:
    return set(
        Booking.objects.values_list("user_id", "activity_id", "room_id", "start_at", "status")
    )


def test_the_demo_step_books_what_the_pages_show(small_district):
    _run("42:bookings")
    # every room of the district venues and culture stations takes bookings; others do not
    assert set(RoomBookingRule.objects.values_list("room__venue__code", "room__name")) == {
        ("GS-LIB", "多功能厅"), ("GS-LIB", "阅览区"), ("S1-ST", "排练厅"), ("S1-ST", "书画室"),
    }  # fmt: skip
    hall = RoomBookingRule.objects.get(room__name="多功能厅")
    assert hall.needs_approval and hall.slot_minutes == 120
    # activities inside the window take seats (the one 40 days ahead does not)
    assert ActivitySeats.objects.count() == 9
    statuses = set(Booking.objects.values_list("status", flat=True))
    assert {
        BookingStatus.CONFIRMED,
        BookingStatus.PENDING,
        BookingStatus.WAITLISTED,
        BookingStatus.CHECKED_IN,
    } <= statuses
    full = ActivitySeats.objects.get(capacity=6)
    assert full.taken == 6
    assert Booking.objects.filter(activity=full.activity, status="waitlisted").count() >= 3
    # check-ins became the past activities' attendance
    for seats in ActivitySeats.objects.filter(activity__end_at__lt=timezone.now()):
        came = Booking.objects.filter(activity=seats.activity, status="checked_in").count()
        seats.activity.refresh_from_db()
        assert seats.activity.attendance == came
    # the demo resident has something of each kind to show
    demo = Booking.objects.filter(user__phone_hash=lookup_hash(DEMO_RESIDENT_PHONE))
    kinds = set(demo.values_list("status", flat=True))
    assert {BookingStatus.CONFIRMED, BookingStatus.WAITLISTED, BookingStatus.CHECKED_IN} <= kinds
    assert demo.filter(room__isnull=False).exists()
    assert 40 < Booking.objects.count() < 200
    # a second run changes nothing
    before = _shape()
    assert "already seeded" in _run("42:bookings")
    assert _shape() == before


def test_the_same_seed_gives_the_same_bookings(small_district):
    _run("42:bookings")
    first = _shape()
    Booking.objects.all().delete()
    RoomBookingRule.objects.all().delete()
    ActivitySeats.objects.all().delete()
    _run("42:bookings")
    assert _shape() == first


def test_the_demo_reset_deletes_the_bookings_first(small_district):
    from culture.demo.models import DemoDataset
    from culture.demo.services import demo_dataset_reset

    _run("42:bookings")
    assert Booking.objects.exists()
    DemoDataset.objects.create(seed=42, scale=1, description="test")
    counts = demo_dataset_reset()
    assert counts["booking.Booking"] > 40
    assert not Booking.objects.exists()
    assert not RoomBookingRule.objects.exists() and not ActivitySeats.objects.exists()
