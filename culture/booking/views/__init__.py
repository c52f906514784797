"""Booking pages: ``resident`` (find, book, my bookings, messages) and ``manage`` (venue
managers)."""
