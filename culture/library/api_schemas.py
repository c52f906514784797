"""The schemas of /api/library/ (``culture.library.api``) and how a loan, a hold and an order
become their JSON (``loan_out``, ``hold_brief``, ``hold_out``, ``order_out``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from ninja import Field, Schema

from culture.library.models import DeliveryOrder, Hold, Loan


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


class BranchCopiesOut(Schema):
    branch: str = Field(description="venue code of the branch where the copies stand")
    branch_name: str
    copies: int
    free: int = Field(description="on the shelf now")


class TitleHitOut(Schema):
    id: int
    title: str
    author: str
    publisher: str
    pub_year: int | None
    isbn: str
    copies: int
    free: int
    branches: list[BranchCopiesOut]


class TitleFilters(Schema):
    q: str = Field("", max_length=100, description="words of the title, author, subject or ISBN")
    branch: str | None = Field(
        None, max_length=32, description="venue code: titles with a copy standing there"
    )
    available: bool = Field(False, description="only titles with a copy on the shelf (there)")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1000, description="the search ranks its best 1,100 at most")


class HoldingOut(Schema):
    branch: str = Field(description="venue code of the branch where the copies stand")
    branch_name: str
    total: int
    available: int = Field(description="lendable copies on the shelf now")
    on_loan: int
    due_soonest: date | None = Field(description="the earliest due date of those lent")


class TitleOut(Schema):
    id: int
    title: str
    author: str
    publisher: str
    pub_year: int | None
    isbn: str
    clc: str = Field(description="中图分类号 (Chinese Library Classification)")
    subject: str
    holdings: list[HoldingOut]


class MinePage(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class HoldIn(Schema):
    pickup_branch: str = Field(..., min_length=1, max_length=32, description="venue code")


class HoldOut(HoldBriefOut):
    created_at: datetime


class BorrowIn(Schema):
    pickup_branch: str | None = Field(
        None, max_length=32, description="venue code of the branch to collect at (not for home)"
    )
    to_home: bool = Field(False, description="delivered home to ``address`` instead")
    address: str = Field("", max_length=255, description="the delivery address (home only)")


class OrderOut(Schema):
    id: int
    title: int = Field(description="title id")
    title_name: str
    status: str = Field(description="placed, picked, in_transit, ready, collected or cancelled")
    status_label: str
    to_home: bool
    address: str
    pickup_branch: str | None = Field(description="venue code (None: delivered home)")
    pickup_branch_name: str | None
    from_branch: str | None = Field(description="venue code of the branch that sends the copy")
    from_branch_name: str | None
    barcode: str | None = Field(description="the copy set aside")
    placed_at: datetime | None
    status_at: datetime | None
    cancel_reason: str
    loan: int | None = Field(description="the loan's id once collected")


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


def overdue_days(loan: Loan, today: date) -> int:
    end = timezone.localdate(loan.returned_at) if loan.returned_at else today
    return max((end - loan.due_on).days, 0)


def loan_out(loan: Loan, today: date | None = None) -> dict[str, Any]:
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
        "overdue_days": overdue_days(loan, today or timezone.localdate()),
    }


def order_out(order: DeliveryOrder) -> dict[str, Any]:
    pickup, source = order.pickup_branch, order.from_branch
    return {
        "id": order.pk,
        "title": order.title_id,
        "title_name": order.title.title,
        "status": order.status,
        "status_label": str(order.get_status_display()),
        "to_home": order.to_home,
        "address": order.address,
        "pickup_branch": pickup.code if pickup else None,
        "pickup_branch_name": pickup.name_zh if pickup else None,
        "from_branch": source.code if source else None,
        "from_branch_name": source.name_zh if source else None,
        "barcode": order.copy.barcode if order.copy is not None else None,
        "placed_at": order.placed_at,
        "status_at": order.status_at,
        "cancel_reason": order.cancel_reason,
        "loan": order.loan_id,
    }


def hold_out(hold: Hold) -> dict[str, Any]:
    return {**hold_brief(hold), "created_at": hold.created_at}


def hold_brief(hold: Hold) -> dict[str, Any]:
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
