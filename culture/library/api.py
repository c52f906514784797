"""/api/library/: the library as JSON (residents search the catalogue, borrow with one click,
hold, renew and list their own; desk staff lend and take back). Every write goes through
``culture.library.services``.

Refusals are JSON with a ``code``: 409 from the circulation services ("limit", "suspended",
"not_available", "not_here", "not_for_loan", "none_available", "duplicate_hold", ...), 404 for
an unknown title, copy, card or venue (or another reader's loan, hold or order), 403 outside
the caller's scope, 422 for invalid input.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

from culture.accounts.models import Resident
from culture.core.api_params import row_id
from culture.core.errors import NotFound, OutOfScope
from culture.library import selectors
from culture.library.api_schemas import (
    BorrowIn,
    CheckoutIn,
    ErrorOut,
    HoldIn,
    HoldOut,
    LoanOut,
    MinePage,
    OrderOut,
    ReturnIn,
    ReturnOut,
    TitleFilters,
    TitleHitOut,
    TitleOut,
    hold_brief,
    hold_out,
    loan_out,
    order_out,
)
from culture.library.models import DeliveryOrder, Hold, Loan, Title
from culture.library.search import catalogue_search
from culture.library.services import (
    delivery_cancel,
    delivery_placement,
    hold_cancel,
    hold_place,
    loan_checkout,
    loan_renew,
    loan_return,
    reader_for_resident,
)
from culture.venues.models import Venue
from culture.venues.selectors import venue_get_for_edit

router = Router(tags=["library"])


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
    return Status(201 if created else 200, loan_out(loan, timezone.localdate(now)))


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
        "loan": loan_out(result.loan),
        "destination": result.destination,
        "overdue_days": result.overdue_days,
        "hold": hold_brief(result.hold) if result.hold is not None else None,
        "to_branch": result.transfer.to_branch.code if result.transfer is not None else None,
    }


# ----- who is asking ---------------------------------------------------------------------------
def _resident(user: Any) -> Resident:
    """The caller's resident record: borrowing and holds are for residents' accounts."""
    resident = Resident.objects.select_related("user").filter(user=user).first()
    if resident is None:
        raise OutOfScope(_("借阅需要居民账号：请用居民账号登录后再借阅"))
    return resident


def _branch(code: str, *, field: str) -> Venue:
    """A venue by its code (NotFound naming ``field`` otherwise); the services refuse one that
    is not a library branch ("not_lendable_branch")."""
    branch = Venue.objects.select_related("operator_unit").filter(code=code).first()
    if branch is None:
        raise NotFound(_("没有编码为 %(code)s 的图书馆或分馆") % {"code": code}, field=field)
    return branch


def _title(title_id: int) -> Title:
    title = Title.objects.filter(pk=title_id).first()
    if title is None:
        raise NotFound(_("没有这个书目"))
    return title


# ----- the catalogue ---------------------------------------------------------------------------
@router.get(
    "/titles",
    response={200: list[TitleHitOut], 404: ErrorOut},
    summary="馆藏检索 / search the catalogue",
    description="Titles for ``q``, best first (words of the title, author or subject, an ISBN; "
    "三体2 finds 三体Ⅱ), with their copies and copies on the shelf per branch. ``branch``: "
    "only titles with a copy standing there; ``available``: only titles with one on the shelf. "
    "An empty ``q`` finds nothing. 404 an unknown branch.",
)
def search_titles(request, filters: Query[TitleFilters]):
    branch = _branch(filters.branch, field="branch") if filters.branch else None
    hits = catalogue_search(
        query=filters.q,
        branch=branch,
        available_only=filters.available,
        limit=filters.offset + filters.limit,
    )[filters.offset :]
    ids = {b.branch_id for h in hits for b in h.branches}
    codes = dict(Venue.objects.filter(pk__in=ids).values_list("pk", "code"))
    return [
        {
            "id": h.title.pk,
            "title": h.title.title,
            "author": h.title.author,
            "publisher": h.title.publisher,
            "pub_year": h.title.pub_year,
            "isbn": h.title.isbn,
            "copies": h.copies,
            "free": h.free,
            "branches": [
                {
                    "branch": codes[b.branch_id],
                    "branch_name": b.branch_name,
                    "copies": b.copies,
                    "free": b.free,
                }  # fmt: skip
                for b in h.branches
            ],
        }
        for h in hits
    ]


@router.get(
    "/titles/{title_id}",
    response={200: TitleOut, 404: ErrorOut},
    summary="书目与馆藏分布 / a title and where its copies are",
    description="Per branch where a copy stands: copies, lendable copies on the shelf, copies "
    "on loan and the soonest due date (lost and withdrawn copies left out).",
)
def title_detail(request, title_id: int = row_id()):
    title = _title(title_id)
    return {
        "id": title.pk,
        "title": title.title,
        "author": title.author,
        "publisher": title.publisher,
        "pub_year": title.pub_year,
        "isbn": title.isbn,
        "clc": title.clc,
        "subject": title.subject,
        "holdings": [
            {"branch": h.branch.code, "branch_name": h.branch.name_zh, "total": h.total,
             "available": h.available, "on_loan": h.on_loan, "due_soonest": h.due_soonest}
            for h in selectors.title_holdings(title)
        ],
    }  # fmt: skip


@router.post(
    "/titles/{title_id}/borrow",
    response={
        200: OrderOut,
        201: OrderOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="一键借阅 / borrow a title with one click",
    description="A resident orders the title, to collect at ``pickup_branch`` or delivered "
    "home (``to_home`` with ``address``). A copy is set aside at once and the order counts "
    "against the loan limit. 201 with the new order; 200 with the same order when the title is "
    "already ordered (nothing changes). 409 none_available (no copy on any shelf: hold it "
    "instead) / limit / suspended / not_for_loan / no_address / home_delivery_off / "
    "not_lendable_branch; 404 unknown title or branch; 403 not a resident's account.",
)
def borrow_title(request, payload: BorrowIn, title_id: int = row_id()):
    title = _title(title_id)
    pickup = None
    if payload.pickup_branch and not payload.to_home:
        pickup = _branch(payload.pickup_branch, field="pickup_branch")
    resident = _resident(request.user)
    with transaction.atomic():  # a refusal leaves no new Reader behind either
        reader = reader_for_resident(resident=resident)
        placed = delivery_placement(reader=reader, title=title, pickup_branch=pickup,
                                    to_home=payload.to_home, address=payload.address)  # fmt: skip
    return Status(201 if placed.created else 200, order_out(placed.order))


@router.post(
    "/titles/{title_id}/holds",
    response={201: HoldOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="预约 / hold a title",
    description="A resident queues for the title, to collect at ``pickup_branch``: ready at "
    "once (status ready) when a copy is on the shelf there, else waiting with a place in the "
    "queue. 409 duplicate_hold / not_for_loan / suspended / not_lendable_branch; 404 unknown "
    "title or branch; 403 not a resident's account.",
)
def hold_title(request, payload: HoldIn, title_id: int = row_id()):
    title = _title(title_id)
    branch = _branch(payload.pickup_branch, field="pickup_branch")
    resident = _resident(request.user)
    with transaction.atomic():  # a refusal leaves no new Reader behind either
        reader = reader_for_resident(resident=resident)
        hold = hold_place(reader=reader, title=title, pickup_branch=branch)
    return Status(201, hold_out(hold))


# ----- the caller's own ------------------------------------------------------------------------
@router.get(
    "/me/loans",
    response=list[LoanOut],
    summary="我的借阅 / my loans",
    description="``open`` true (default): not yet returned, soonest due first; false: returned, "
    "last returned first. Empty for an account that has never borrowed.",
)
def my_loans(request, page: Query[MinePage], open: bool = True):  # noqa: A002
    reader = selectors.reader_of(request.user)
    if reader is None:
        return []
    loans = selectors.reader_loans(reader, open=open)[page.offset : page.offset + page.limit]
    today = timezone.localdate()
    return [loan_out(loan, today) for loan in loans]


@router.get(
    "/me/holds",
    response=list[HoldOut],
    summary="我的预约 / my holds",
    description="Holds in force: ready to collect first (soonest expiry), then waiting.",
)
def my_holds(request, page: Query[MinePage]):
    reader = selectors.reader_of(request.user)
    if reader is None:
        return []
    holds = selectors.reader_holds(reader)[page.offset : page.offset + page.limit]
    return [hold_out(h) for h in holds]


@router.get(
    "/me/orders",
    response=list[OrderOut],
    summary="我的借阅单 / my one-click orders",
    description="Active orders first, then collected and cancelled ones, newest first in each "
    "(``active`` true / false: only those).",
)
def my_orders(request, page: Query[MinePage], active: bool | None = None):
    reader = selectors.reader_of(request.user)
    if reader is None:
        return []
    orders = selectors.reader_deliveries(reader, active=active)
    return [order_out(o) for o in orders[page.offset : page.offset + page.limit]]


@router.post(
    "/me/loans/{loan_id}/renew",
    response={200: LoanOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="续借 / renew my loan",
    description="Another loan period from the due date. 409 overdue / renewals_used / "
    "holds_waiting / suspended / not_on_loan (returned); 404 not the caller's loan.",
)
def renew_loan(request, loan_id: int = row_id()):
    loan = selectors.reader_own(Loan, user=request.user, pk=loan_id)
    return loan_out(loan_renew(reader=loan.reader, loan=loan))


@router.post(
    "/me/holds/{hold_id}/cancel",
    response={200: HoldOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="取消预约 / cancel my hold",
    description="A waiting or ready hold (a copy kept for it passes to the next in the queue "
    "or goes back on the shelf). 409 not_found when it is no longer active; 404 not the "
    "caller's hold.",
)
def cancel_hold(request, hold_id: int = row_id()):
    hold = selectors.reader_own(Hold, user=request.user, pk=hold_id)
    return hold_out(hold_cancel(reader=hold.reader, hold=hold))


@router.post(
    "/me/orders/{order_id}/cancel",
    response={200: OrderOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="取消借阅单 / cancel my order",
    description="While it is still placed (not yet picked): the copy goes back on the shelf "
    "and the order stops counting against the limit. Cancelling a cancelled order changes "
    "nothing. 409 too_late (on its way: ask the branch) / not_active (collected); 404 not the "
    "caller's order.",
)
def cancel_order(request, order_id: int = row_id()):
    order = selectors.reader_own(DeliveryOrder, user=request.user, pk=order_id)
    return order_out(delivery_cancel(actor=request.user, order=order, reason=""))
