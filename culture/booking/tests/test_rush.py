"""The guarantee against a live server (issue 6, "Tests we want"): gunicorn on loopback with
several worker processes and threads, on the test database this suite created (SQLite: the
file database in WAL mode; PostgreSQL: the test database), and 200 simultaneous requests, each
from its own signed-in resident (a browser session: cookie and CSRF token), at most 50 in
flight, with the writes to the bookings held back for the first seconds of the rush so that
the requests' checks all meet at one moment (see ``_rush``).

- The last seat of an activity (waiting list off): exactly one 201, 199 answers 409 "full", no
  5xx, and the seat counter equals the holding rows.
- Overlapping slots of one room (10-12, 11-12 and 11-13 o'clock: every two of them share the
  hour 11-12): exactly one 201, 199 answers 409 "slot_taken", no 5xx, one holding booking and
  its cells claimed, nothing else.
- The negative control: the same rushes against a server started with
  CULTURE_BOOKING_GUARD=False (the naive count-then-insert) must show the race: more than one
  booking, or errors.
- A retried request with the same Idempotency-Key gets the first answer and books nothing new:
  20 simultaneous taps with one key, then a late retry (an app's bearer token).

The data is committed (``transaction=True``) so the server's processes see it. Each server is
started once per module on a socket bound to port 0, and always stopped.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from culture.activities.tests.factories import activity as make_activity
from culture.booking.models import (
    CELL,
    HOLDING_STATUSES,
    ActivitySeats,
    Booking,
    RoomSlotClaim,
)
from culture.booking.services import activity_book, room_rule_set, seats_set
from culture.core.tests.live import (
    Call,
    HeldWrites,
    residents_with_tokens,
    rush,
    rush_server,
    session_headers,
    tally,
)
from culture.venues.services import room_add
from culture.venues.tests.factories import venue as make_venue

RUSH = 200
IN_FLIGHT = 50
CAPACITY = 5  # CAPACITY - 1 seats are taken before the rush: it is for the last one
HOLD_S = 2.0  # writes to the bookings held back at the start of a rush (see _rush)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def guarded(django_db_setup, django_db_blocker):
    with rush_server(CULTURE_BOOKING_GUARD="True") as server:
        yield server


@pytest.fixture(scope="module")
def unguarded(django_db_setup, django_db_blocker):
    with rush_server(CULTURE_BOOKING_GUARD="False") as server:
        yield server


def _local(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _last_seat(tree) -> tuple:
    """An activity in three days with CAPACITY seats, all but one taken, no waiting list."""
    start = _local(timezone.localdate() + timedelta(days=3), 14)
    venue = make_venue(operator=tree["s1"], at=tree["c11"], opening_hours="Mo-Su 08:00-21:00")
    activity = make_activity(
        tree["c11"], venue=venue, start_at=start, end_at=start + timedelta(hours=2)
    )
    seats_set(actor=None, activity=activity, capacity=CAPACITY, waitlist_enabled=False)
    for user, _token in residents_with_tokens(CAPACITY - 1, prefix="early", community=tree["c11"]):
        activity_book(user=user, activity=activity)
    return activity


def _room(tree):
    venue = make_venue(operator=tree["s1"], at=tree["c11"], opening_hours="Mo-Su 08:00-21:00")
    room = room_add(actor=None, venue=venue, name="多功能厅", capacity=40)
    room_rule_set(
        actor=None, room=room, slot_minutes=60, max_slots=2, advance_days=7, per_person_limit=2
    )
    return room


def _callers(tree) -> list[tuple[tuple[str, str], ...]]:
    """RUSH residents, each signed in in their own browser session (cookie + CSRF token)."""
    users = [u for u, _t in residents_with_tokens(RUSH, prefix="rush", community=tree["c11"])]
    return session_headers(users)


def _seat_calls(activity, callers) -> list[Call]:
    path = f"/api/booking/activities/{activity.pk}/bookings"
    return [Call(token="", headers=h, path=path, idempotency_key=uuid.uuid4().hex) for h in callers]


def _room_calls(room, callers) -> list[Call]:
    """10-12, 11-12 and 11-13 o'clock in turn, two days ahead: any two share 11-12."""
    day = timezone.localdate() + timedelta(days=2)
    spans = [(10, 12), (11, 12), (11, 13)]
    path = f"/api/booking/rooms/{room.pk}/bookings"
    calls = []
    for i, headers in enumerate(callers):
        start, end = spans[i % len(spans)]
        body = {"start_at": _local(day, start).isoformat(), "end_at": _local(day, end).isoformat()}
        calls.append(
            Call(token="", headers=headers, path=path, body=body, idempotency_key=uuid.uuid4().hex)
        )
    return calls


def _rush(server, calls):
    """The rush, with writes to the bookings table held back for its first HOLD_S seconds:
    every request in flight does its reads and checks, then they all meet at their first write
    to the bookings at the same moment. (Without it, on two cores the Python work before each
    check spreads the checks out further than the naive path's check-to-insert gap, and the
    negative control showed the race in only about a third of the rushes: not a test that
    reliably catches a broken guard.)"""
    with HeldWrites(connection.settings_dict, Booking._meta.db_table, HOLD_S):
        return rush(server.url, calls, concurrency=IN_FLIGHT)


def _holding(**where) -> int:
    return Booking.objects.filter(status__in=HOLDING_STATUSES, **where).count()


def _five_hundreds(answers) -> list:
    return [(a.status, a.body) for a in answers if a.status >= 500 or a.status == 0]


def test_the_last_seat_goes_to_exactly_one_of_200(tree, guarded):
    activity = _last_seat(tree)
    answers = _rush(guarded, _seat_calls(activity, _callers(tree)))

    assert _five_hundreds(answers) == []
    assert tally(answers) == {"201": 1, "409 full": RUSH - 1}, guarded.log()
    refusal = next(a.body for a in answers if a.status == 409)
    assert refusal["message"]  # a sentence for the resident, not a bare code
    seats = ActivitySeats.objects.get(activity=activity)
    assert seats.taken == CAPACITY
    assert _holding(activity=activity) == CAPACITY
    winner = next(a for a in answers if a.status == 201)
    booked = Booking.objects.get(code=winner.body["code"])
    assert booked.status == "confirmed"
    assert booked.user.username.startswith("rush-")


def test_overlapping_slots_of_one_room_go_to_exactly_one_of_200(tree, guarded):
    room = _room(tree)
    answers = _rush(guarded, _room_calls(room, _callers(tree)))

    assert _five_hundreds(answers) == []
    assert tally(answers) == {"201": 1, "409 slot_taken": RUSH - 1}, guarded.log()
    (booked,) = Booking.objects.filter(room=room, status__in=HOLDING_STATUSES)
    winner = next(a for a in answers if a.status == 201)
    assert booked.code == winner.body["code"]
    cells = []
    t = booked.start_at
    while t < booked.end_at:
        cells.append(t)
        t += CELL
    claimed = RoomSlotClaim.objects.filter(room=room).order_by("cell_start")
    assert [c.cell_start for c in claimed] == cells
    assert {c.booking_id for c in claimed} == {booked.pk}


def test_without_the_guard_the_last_seat_is_oversold(tree, unguarded):
    """The negative control: the naive path (count the holding bookings, then insert, in
    autocommit) lets several requests see the one free seat."""
    activity = _last_seat(tree)
    answers = _rush(unguarded, _seat_calls(activity, _callers(tree)))

    created = sum(1 for a in answers if a.status == 201)
    errors = _five_hundreds(answers)
    print("without the guard:", tally(answers))  # shown with -s / on failure
    assert created > 1 or errors, (
        f"no race shown without the guard: {tally(answers)}\n{unguarded.log()}"
    )
    assert _holding(activity=activity) > CAPACITY or errors


def test_without_the_guard_overlapping_room_slots_are_double_booked(tree, unguarded):
    room = _room(tree)
    answers = _rush(unguarded, _room_calls(room, _callers(tree)))

    created = sum(1 for a in answers if a.status == 201)
    errors = _five_hundreds(answers)
    print("without the guard:", tally(answers))  # shown with -s / on failure
    assert created > 1 or errors, (
        f"no race shown without the guard: {tally(answers)}\n{unguarded.log()}"
    )
    assert _holding(room=room) > 1 or errors


def test_a_retried_request_gets_the_first_answer_and_books_nothing_new(tree, guarded):
    activity = _last_seat(tree)
    (user, token), (_other, other_token) = residents_with_tokens(
        2, prefix="tap", community=tree["c11"]
    )
    key = uuid.uuid4().hex
    path = f"/api/booking/activities/{activity.pk}/bookings"
    taps = [Call(token=token, path=path, idempotency_key=key) for _ in range(20)]

    answers = rush(guarded.url, taps, concurrency=20)
    (late,) = rush(guarded.url, [Call(token=token, path=path, idempotency_key=key)])

    assert {a.status for a in [*answers, late]} == {201}, tally([*answers, late])
    codes = {a.body["code"] for a in [*answers, late]}
    assert len(codes) == 1
    assert Booking.objects.filter(activity=activity, user=user).count() == 1
    assert ActivitySeats.objects.get(activity=activity).taken == CAPACITY
    # the taps took the last seat: someone else is refused
    (other,) = rush(guarded.url, [Call(token=other_token, path=path, idempotency_key=key)])
    assert (other.status, other.body["code"]) == (409, "full")
