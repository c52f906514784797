"""The library's refusals beside ``culture.core.errors``: what a desk or a reader asked for cannot
be done (409), with a ``code`` a caller can branch on and a Chinese message saying why."""

from __future__ import annotations

from culture.core.errors import ServiceError


class CirculationRefused(ServiceError):
    """A checkout, return, renewal or hold that cannot be done; nothing was changed.

    ``code``: "limit" (the reader is at the loan limit), "not_here" (the copy stands at another
    branch), "not_available" (on loan, in transit, on the hold shelf for someone else, lost),
    "not_for_loan" (reference items), "suspended" (the card is blocked until a date),
    "not_on_loan" (a return of a copy that is not out), "holds_waiting", "renewals_used",
    "overdue" (renewal refused), "duplicate_hold", "not_lendable_branch".
    One-click borrowing and transfers (services/deliveries.py, delivery_steps.py,
    transfers.py): "none_available" (no copy free anywhere: offer a hold), "no_address",
    "home_delivery_off", "duplicate_order", "duplicate_hold" (a copy is kept for the reader's
    hold of the title already), "too_late" (the reader cancels after picking),
    "not_active" (the order is collected or cancelled), "wrong_copy" (the scanned barcode is
    not the order's), "no_district_library".
    """

    status_code = 409
    code = "refused"
