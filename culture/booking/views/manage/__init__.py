"""The venue manager's booking pages: their venues and the day's bookings of a venue (approve,
reject, mark no-shows, cancel with a reason: ``bookings``), the check-in desk (``checkin``), the
rooms' booking rules and maintenance blocks (``rooms``), and the activities' seats
(``activities``).

Reads go through ``culture.booking.selectors`` (a venue manager reaches their venues only,
staff the venues of their scope); every change goes through ``culture.booking.services`` on
POST. A refusal is shown as a clear message, never a 500.
"""
