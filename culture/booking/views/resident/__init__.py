"""The residents' booking pages (phone first): find an activity or a room near home (``find``),
open it and book in one tap (``book``), see the confirmation with its QR code, list and cancel
one's bookings (``mine``), read one's messages (``messages``).

Finding and opening are public; booking needs a resident's account (an anonymous visitor is sent
to sign in and comes back to the page they were on). Every change is a POST through
``culture.booking.services`` carrying the CSRF token and an ``Idempotency-Key`` made when the
page was rendered, so a double tap books once. A refusal (full, duplicate, not open yet, too
late...) comes back to the page as the service's own message, never as an error page.
"""
