"""The booking refusals beside ``culture.core.errors``: a place that is not there (409) and a
person barred from booking for a while after repeated no-shows (403)."""

from __future__ import annotations

from culture.core.errors import ServiceError


class BookingRefused(ServiceError):
    """The place asked for is not available: ``code`` "full", "duplicate" or "slot_taken"."""

    status_code = 409
    code = "full"


class BookingSuspended(ServiceError):
    """Booking is suspended after repeated no-shows; the message says until when."""

    status_code = 403
    code = "suspended"
