"""Booking pages: ``resident`` (find, book, my bookings, messages) and ``manage`` (venue
managers: the day's bookings, the check-in desk, rooms, activities)."""
