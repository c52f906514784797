"""Writes of one-click booking (seats, rooms, check-in); every caller goes through these.

``from culture.booking.services import activity_book`` — the public functions by name.
"""

from culture.booking.services.activity_changes import (
    activity_bookings_cancel,
    activity_bookings_reschedule,
)
from culture.booking.services.checkin import (
    CheckIn,
    activity_attendance_refresh,
    booking_check_in,
    booking_mark_no_show,
    bookings_mark_no_shows,
)
from culture.booking.services.common import (
    booking_qr_payload,
    booking_suspended_until,
    normalise_code,
)
from culture.booking.services.lifecycle import (
    booking_approve,
    booking_cancel,
    booking_reject,
    cancel_deadline,
)
from culture.booking.services.rooms import (
    room_block_create,
    room_block_delete,
    room_book,
    room_rule_set,
)
from culture.booking.services.seats import activity_book, promote_waiting, seats_set

__all__ = [
    "CheckIn",
    "activity_attendance_refresh",
    "booking_check_in",
    "booking_mark_no_show",
    "bookings_mark_no_shows",
    "activity_book",
    "activity_bookings_cancel",
    "activity_bookings_reschedule",
    "booking_approve",
    "booking_cancel",
    "booking_qr_payload",
    "booking_reject",
    "booking_suspended_until",
    "cancel_deadline",
    "normalise_code",
    "promote_waiting",
    "room_block_create",
    "room_block_delete",
    "room_book",
    "room_rule_set",
    "seats_set",
]
