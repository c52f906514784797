"""/api/booking/ through Django's test client: what a resident's app sees (bookable activities, a
room's day, booking seats and rooms with an Idempotency-Key, their bookings, cancelling) and the
clear refusals. The guarantee under simultaneous requests is test_rush.py (a live server)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client

from culture.accounts.tokens import api_token_issue
from culture.booking.models import ActivitySeats, Booking, BookingStatus, RoomSlotClaim
from culture.booking.services import activity_book, seats_set
from culture.booking.tests.factories import (
    at,
    bookable_activity,
    bookable_room,
    bookable_venue,
    days_ahead,
    resident_user,
)

pytestmark = pytest.mark.django_db

API = "/api/booking"


def client_of(user) -> Client:
    token = api_token_issue(actor=None, user=user, name="app")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def post(client: Client, path: str, body: dict | None = None, key: str = ""):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(
        API + path, json.dumps(body or {}), content_type="application/json", **headers
    )


def test_bookable_activities_are_upcoming_ones_with_seats_and_their_free_places():
    venue = bookable_venue()
    soon = bookable_activity(capacity=2, venue=venue, title="书法讲座", start=at(days_ahead(2), 9))
    later = bookable_activity(capacity=1, venue=venue, title="合唱排练", start=at(days_ahead(4), 9))
    activity_book(user=resident_user(), activity=later)
    resident = resident_user()

    response = client_of(resident).get(f"{API}/activities")

    assert response.status_code == 200
    rows = [(r["id"], r["title"], r["capacity"], r["free"]) for r in response.json()]
    assert rows == [(soon.pk, "书法讲座", 2, 2), (later.pk, "合唱排练", 1, 0)]
    only_free = client_of(resident).get(f"{API}/activities?free_only=true").json()
    assert [r["title"] for r in only_free] == ["书法讲座"]
    on_day = client_of(resident).get(f"{API}/activities?date_from={days_ahead(4)}").json()
    assert [r["title"] for r in on_day] == ["合唱排练"]


def test_activities_whose_booking_has_closed_are_not_listed():
    """Regression: the list showed activities still ahead whose booking had closed, which the
    app then could not book (409/422); the find page already left them out."""
    venue = bookable_venue()
    open_one = bookable_activity(
        capacity=5, venue=venue, title="书法讲座", start=at(days_ahead(3), 9)
    )
    closed = bookable_activity(
        capacity=5, venue=venue, title="合唱排练", start=at(days_ahead(3), 14)
    )
    seats = ActivitySeats.objects.get(activity=closed)
    seats.closes_at = at(days_ahead(-1), 9)
    seats.save(update_fields=["closes_at"])

    rows = client_of(resident_user()).get(f"{API}/activities").json()

    assert [r["id"] for r in rows] == [open_one.pk]


def test_book_a_seat_gives_201_with_code_and_qr_then_a_duplicate_is_409():
    activity = bookable_activity(capacity=3, title="剪纸课")
    client = client_of(resident_user())

    first = post(client, f"/activities/{activity.pk}/bookings", key="k-1")
    again = post(client, f"/activities/{activity.pk}/bookings", key="k-2")

    assert first.status_code == 201
    body = first.json()
    assert body["status"] == "confirmed"
    assert body["title"] == "剪纸课"
    assert len(body["code"]) == 8
    assert body["qr"].endswith(f"/booking/b/{body['code']}/")
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate"
    assert ActivitySeats.objects.get(activity=activity).taken == 1


def test_a_retry_with_the_same_key_gets_the_first_answer_and_books_nothing_new():
    activity = bookable_activity(capacity=3)
    client = client_of(resident_user())

    first = post(client, f"/activities/{activity.pk}/bookings", key="tap-once")
    retry = post(client, f"/activities/{activity.pk}/bookings", key="tap-once")

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json()["code"] == first.json()["code"]
    assert Booking.objects.filter(activity=activity).count() == 1
    assert ActivitySeats.objects.get(activity=activity).taken == 1


def test_a_refusal_is_replayed_for_its_key_even_after_a_seat_is_added():
    activity = bookable_activity(capacity=1, waitlist_enabled=False)
    activity_book(user=resident_user(), activity=activity)
    client = client_of(resident_user())

    refused = post(client, f"/activities/{activity.pk}/bookings", key="late")
    seats_set(actor=None, activity=activity, capacity=2, waitlist_enabled=False)
    replayed = post(client, f"/activities/{activity.pk}/bookings", key="late")
    fresh = post(client, f"/activities/{activity.pk}/bookings", key="later")

    assert (refused.status_code, refused.json()["code"]) == (409, "full")
    assert refused.json()["message"]
    assert (replayed.status_code, replayed.json()) == (409, refused.json())
    assert fresh.status_code == 201


def test_full_with_waiting_list_gives_a_position():
    activity = bookable_activity(capacity=1)
    activity_book(user=resident_user(), activity=activity)

    response = post(client_of(resident_user()), f"/activities/{activity.pk}/bookings")

    assert response.status_code == 201
    assert (response.json()["status"], response.json()["waitlist_position"]) == ("waitlisted", 1)


def test_an_activity_that_takes_no_bookings_is_404_and_anonymous_is_401(tree):
    from culture.activities.tests.factories import activity as plain_activity

    plain = plain_activity(tree["c11"])
    client = client_of(resident_user())

    assert post(client, f"/activities/{plain.pk}/bookings").status_code == 404
    bookable = bookable_activity()
    assert post(Client(), f"/activities/{bookable.pk}/bookings").status_code == 401


def test_staff_accounts_without_a_resident_profile_are_refused(users):
    activity = bookable_activity()

    response = post(client_of(users["district"]), f"/activities/{activity.pk}/bookings")

    assert response.status_code == 403
    assert Booking.objects.count() == 0


def test_a_room_day_then_booking_two_slots_and_an_overlap_is_409_touching_is_fine():
    room = bookable_room(slot_minutes=60, max_slots=2)
    day = days_ahead(2)
    client = client_of(resident_user())

    slots = client.get(f"{API}/rooms/{room.pk}/slots?day={day}").json()
    booked = post(
        client,
        f"/rooms/{room.pk}/bookings",
        {"start_at": at(day, 10).isoformat(), "end_at": at(day, 12).isoformat(), "people": 6},
        key="room-1",
    )
    other = client_of(resident_user())
    overlap = post(
        other,
        f"/rooms/{room.pk}/bookings",
        {"start_at": at(day, 11).isoformat(), "end_at": at(day, 12).isoformat()},
    )
    touching = post(
        other,
        f"/rooms/{room.pk}/bookings",
        {"start_at": at(day, 12).isoformat(), "end_at": at(day, 13).isoformat()},
    )
    after = client.get(f"{API}/rooms/{room.pk}/slots?day={day}").json()

    # 08:00-21:00 in hour slots
    assert [(s["start"][11:16], s["state"]) for s in slots][:3] == [
        ("08:00", "free"),
        ("09:00", "free"),
        ("10:00", "free"),
    ]
    assert len(slots) == 13
    assert booked.status_code == 201
    assert (booked.json()["room"], booked.json()["people"]) == (room.pk, 6)
    assert (overlap.status_code, overlap.json()["code"]) == (409, "slot_taken")
    assert touching.status_code == 201
    states = {s["start"][11:16]: s["state"] for s in after}
    assert [states[h] for h in ("09:00", "10:00", "11:00", "12:00", "13:00")] == [
        "free",
        "taken",
        "taken",
        "taken",
        "free",
    ]
    assert RoomSlotClaim.objects.filter(room=room).count() == 12  # 3 hours of 15-minute cells


def test_room_refusals_are_422_with_their_code():
    room = bookable_room(slot_minutes=60, advance_days=7)
    client = client_of(resident_user())
    day = days_ahead(2)

    def book(start, end):
        r = post(
            client,
            f"/rooms/{room.pk}/bookings",
            {"start_at": start.isoformat(), "end_at": end.isoformat()},
        )
        return r.status_code, r.json()["code"]

    assert book(at(day, 10, 30), at(day, 11, 30)) == (422, "bad_slot")
    assert book(at(day, 6), at(day, 7)) == (422, "outside_hours")
    assert book(at(days_ahead(9), 10), at(days_ahead(9), 11)) == (422, "too_far_ahead")


def test_my_bookings_are_mine_only():
    me, someone = resident_user(), resident_user()
    mine = activity_book(user=me, activity=bookable_activity(title="我的讲座"))
    activity_book(user=someone, activity=bookable_activity(title="别人的讲座"))

    rows = client_of(me).get(f"{API}/mine").json()

    assert [(r["code"], r["title"]) for r in rows] == [(mine.code, "我的讲座")]


def test_cancel_own_booking_frees_the_seat_and_another_persons_code_is_404():
    activity = bookable_activity(capacity=2)
    me, someone = resident_user(), resident_user()
    mine = activity_book(user=me, activity=activity)
    theirs = activity_book(user=someone, activity=activity)
    client = client_of(me)

    refused = post(client, f"/bookings/{theirs.code}/cancel", {"reason": ""})
    cancelled = post(client, f"/bookings/{mine.code.lower()}/cancel", {"reason": "有事"})

    assert refused.status_code == 404
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert Booking.objects.get(pk=theirs.pk).status == BookingStatus.CONFIRMED
    assert ActivitySeats.objects.get(activity=activity).taken == 1


def test_cancelling_after_the_deadline_is_422_too_late():
    from django.utils import timezone

    start = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=1)
    activity = bookable_activity(start=start, cancel_deadline_hours=2)
    me = resident_user()
    mine = activity_book(user=me, activity=activity)

    response = post(client_of(me), f"/bookings/{mine.code}/cancel")

    assert (response.status_code, response.json()["code"]) == (422, "too_late")


def _manager_of(venue):
    from culture.accounts.models import RoleAssignment
    from culture.accounts.tests.factories import staff_user
    from culture.core.roles import Role

    user = staff_user(Role.VENUE_MANAGER, None)
    RoleAssignment.objects.filter(user=user).update(venue=venue)
    return user


def test_the_desk_checks_a_booking_in_by_its_code_and_a_second_scan_changes_nothing():
    activity = bookable_activity(capacity=5, start=at(days_ahead(0), 12))
    day_before = activity.start_at - timedelta(days=1)
    booking = activity_book(user=resident_user(), activity=activity, now=day_before)
    desk = client_of(_manager_of(activity.venue))
    path = f"/venues/{activity.venue.code}/check-in"

    first = post(desk, path, {"token": f" {booking.code.lower()} "})
    second = post(desk, path, {"token": booking.code})

    assert first.status_code == 200
    assert (first.json()["booking"]["code"], first.json()["method"]) == (booking.code, "code")
    assert (first.json()["already"], second.json()["already"]) == (False, True)
    assert first.json()["booking"]["status"] == "checked_in"
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CHECKED_IN


def test_the_desk_is_for_staff_of_that_venue_and_names_a_wrong_day():
    activity = bookable_activity(capacity=5, start=at(days_ahead(2), 10))
    holder = resident_user()
    booking = activity_book(user=holder, activity=activity)
    path = f"/venues/{activity.venue.code}/check-in"

    as_holder = post(client_of(holder), path, {"token": booking.code})
    other_manager = post(client_of(_manager_of(bookable_venue())), path, {"token": booking.code})
    wrong_day = post(client_of(_manager_of(activity.venue)), path, {"token": booking.code})

    assert as_holder.status_code == 403
    assert other_manager.status_code == 403
    assert (wrong_day.status_code, wrong_day.json()["code"]) == (422, "wrong_day")
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_refusals_are_in_english_for_an_english_client():
    client = client_of(resident_user())

    response = client.post(
        f"{API}/bookings/NOSUCH22/cancel", "{}", content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip

    assert response.status_code == 404
    assert response.json()["message"] == "No such booking was found"


def test_an_id_beyond_what_the_database_stores_is_refused_not_a_500():
    # Regression: the fuzzer's GET /rooms/17955975150965628074085842944/slots raised
    # OverflowError on SQLite (a 500); ids are bounded in the request validation now.
    client = client_of(resident_user())
    huge = 2**70
    assert client.get(f"{API}/rooms/{huge}/slots").status_code == 422
    assert post(client, f"/activities/{huge}/bookings", key="k").status_code == 422
    room_body = {"start_at": "2030-01-01T10:00:00+08:00", "end_at": "2030-01-01T11:00:00+08:00"}
    assert post(client, f"/rooms/{huge}/bookings", room_body, key="k2").status_code == 422
    assert client.get(f"{API}/rooms/{2**63 - 1}/slots").status_code == 404
    assert Booking.objects.count() == 0
