"""/api/library/: the library as JSON (residents search the catalogue, borrow with one click,
hold, renew and list their own; desk staff lend and take back). Every write goes through
``culture.library.services``.

Refusals are JSON with a ``code``: 409 from the circulation services ("limit", "suspended",
"not_available", "not_here", "not_for_loan", "none_available", "duplicate_hold", ...), 404 for
an unknown title, copy, card or venue (or another reader's loan, hold or order), 403 outside
the caller's scope, 422 for invalid input.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from culture.library.models import Hold, Loan
from culture.library.services import loan_checkout, loan_return
from culture.venues.selectors import venue_get_for_edit

router = Router(tags=["library"])


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class LoanOut(Schema):
    id: int
    barcode: str
    title: int = Field(description="title id")
    title_name: str
    branch: str = Field(description="code of the branch that lent it")
    branch_name: str
    out_at: datetime
    due_on: date
    renewals_used: int
    returned_at: datetime | None
    overdue_days: int = Field(description="days past the due date (0: not overdue)")


class HoldBriefOut(Schema):
    id: int
    title: int = Field(description="title id")
    title_name: str
    pickup_branch: str = Field(description="venue code")
    pickup_branch_name: str
    status: str
    position: int | None = Field(description="place in the queue while waiting")
    ready_at: datetime | None
    expires_on: date | None = Field(description="last day to collect it (ready holds)")


class CheckoutIn(Schema):
    card: str = Field(
        ..., min_length=1, max_length=40, description="the reader's social-security card number"
    )
    barcode: str = Field(..., min_length=1, max_length=64, description="the copy's barcode")


class ReturnIn(Schema):
    barcode: str = Field(..., min_length=1, max_length=64, description="the copy's barcode")


class ReturnOut(Schema):
    loan: LoanOut
    destination: str = Field(
        description="shelf (stays here), home (sent to its home branch), hold_shelf (ready for "
        "a hold here) or hold_transfer (sent to a hold's pickup branch)"
    )
    overdue_days: int
    hold: HoldBriefOut | None = Field(description="the hold the copy now serves")
    to_branch: str | None = Field(description="code of the branch it is sent to, if any")


def _overdue_days(loan: Loan, today: date) -> int:
    end = timezone.localdate(loan.returned_at) if loan.returned_at else today
    return max((end - loan.due_on).days, 0)


def _loan_out(loan: Loan, today: date | None = None) -> dict[str, Any]:
    copy = loan.copy
    return {
        "id": loan.pk,
        "barcode": copy.barcode,
        "title": copy.title_id,
        "title_name": copy.title.title,
        "branch": loan.out_branch.code,
        "branch_name": loan.out_branch.name_zh,
        "out_at": loan.out_at,
        "due_on": loan.due_on,
        "renewals_used": loan.renewals_used,
        "returned_at": loan.returned_at,
        "overdue_days": _overdue_days(loan, today or timezone.localdate()),
    }


def _hold_brief(hold: Hold) -> dict[str, Any]:
    return {
        "id": hold.pk,
        "title": hold.title_id,
        "title_name": hold.title.title,
        "pickup_branch": hold.pickup_branch.code,
        "pickup_branch_name": hold.pickup_branch.name_zh,
        "status": hold.status,
        "position": hold.position,
        "ready_at": hold.ready_at,
        "expires_on": hold.expires_on,
    }


# ----- the desk --------------------------------------------------------------------------------


@router.post(
    "/desk/{venue_code}/checkout",
    response={
        200: LoanOut,
        201: LoanOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="借出 / lend a copy at the desk",
    description="Desk staff of the branch: the reader's social-security card and the copy's "
    "barcode. 201 with the new loan; 200 with the same loan when the same reader's copy is "
    "scanned again (nothing changes). 409 limit / suspended / not_available / not_here / "
    "not_for_loan / not_lendable_branch; 404 unknown card, barcode or branch; 422 an invalid "
    "card number.",
)
def desk_checkout(request, venue_code: str, payload: CheckoutIn):
    branch = venue_get_for_edit(viewer=request.user, code=venue_code)
    now = timezone.now()
    loan = loan_checkout(
        actor=request.user, branch=branch, card=payload.card, barcode=payload.barcode, now=now
    )
    created = loan.out_at == now  # an existing open loan was lent earlier
    return Status(201 if created else 200, _loan_out(loan, timezone.localdate(now)))


@router.post(
    "/desk/{venue_code}/return",
    response={200: ReturnOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="归还 / take a copy back at the desk",
    description="Desk staff of any branch: the copy's barcode. Where the copy goes now "
    "(``destination``), days overdue, and the hold it now serves. 409 not_on_loan; 404 unknown "
    "barcode or branch.",
)
def desk_return(request, venue_code: str, payload: ReturnIn):
    branch = venue_get_for_edit(viewer=request.user, code=venue_code)
    result = loan_return(actor=request.user, branch=branch, barcode=payload.barcode)
    return {
        "loan": _loan_out(result.loan),
        "destination": result.destination,
        "overdue_days": result.overdue_days,
        "hold": _hold_brief(result.hold) if result.hold is not None else None,
        "to_branch": result.transfer.to_branch.code if result.transfer is not None else None,
    }
