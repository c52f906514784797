"""Which service errors a booking page shows as a message on the page it came from."""

from __future__ import annotations

from culture.core.errors import NotFound, OutOfScope, ServiceError


def is_refusal(exc: ServiceError) -> bool:
    """A refusal (full, too late, a form error...) is shown on the page; not-found and
    out-of-scope go on to the 404/403 page (the middleware), since there is no page to go back
    to."""
    return not isinstance(exc, (NotFound, OutOfScope))
