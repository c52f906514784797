"""Checkout, return, renewal at a library desk (any branch), and the overdue list.

The guarantees: one open loan per copy (partial unique index; the copy row is locked first; a
clash answered "not_available"), a reader's loan limit under simultaneous checkouts (the reader
row locked, then the counter moved by a conditional UPDATE ``open_loans < limit``: see
services/lending.py, with the guard switch for the negative control), the same barcode scanned
twice = one loan.
Lock order everywhere: copy, then reader, then title.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.core.audit import audit_record
from culture.library.errors import CirculationRefused
from culture.library.models import Copy, CopyStatus, Hold, HoldStatus, Loan, Reader, Transfer
from culture.library.services.common import (
    actor_of,
    copy_by_barcode,
    now_or,
    require_desk_staff,
    transfer_send,
)
from culture.library.services.holds import hold_fill_from_return, hold_make_ready
from culture.library.services.lending import lend, limit_give_back, limit_take
from culture.library.services.readers import check_not_suspended, reader_for_card
from culture.library.services.rules import due_date, loan_rule
from culture.venues.models import Venue

RETURN_HOME = "home"
RETURN_FLOAT = "float"


@dataclass(frozen=True)
class ReturnResult:
    loan: Loan
    copy: Copy
    overdue_days: int
    # Where the copy goes now: "shelf" (stays here), "home" (a transfer to its home branch),
    # "hold_shelf" (ready for a hold here), "hold_transfer" (to a hold's pickup branch).
    destination: str
    hold: Hold | None
    transfer: Transfer | None


def _available_to(copy: Copy, reader: Reader) -> Hold | None:
    """Refuse unless ``copy`` may go out to ``reader``: on the shelf, or on the hold shelf for
    this reader (that hold is returned, to be marked collected)."""
    if copy.status == CopyStatus.AVAILABLE:
        return None
    if copy.status == CopyStatus.ON_HOLD_SHELF:
        hold = Hold.objects.filter(copy=copy, status=HoldStatus.READY).first()
        if hold is not None and hold.reader_id == reader.pk:
            return hold
        raise CirculationRefused(
            _("条码 %(b)s 已为其他读者预约保留，不能借出") % {"b": copy.barcode},
            code="not_available",
        )
    raise CirculationRefused(
        _("条码 %(b)s 当前状态为“%(s)s”，不能借出")
        % {"b": copy.barcode, "s": CopyStatus(copy.status).label},
        code="not_available",
    )


def loan_checkout(
    *, actor: Any, branch: Venue, card: str, barcode: str, now: datetime | None = None
) -> Loan:
    """Lend the copy ``barcode`` at ``branch`` to the holder of the social-security card
    ``card``. Scanning the same copy for the same reader again answers with the open loan and
    changes nothing."""
    if not settings.CULTURE_LIBRARY_GUARD:
        # The negative control runs without a transaction around it (each statement commits on
        # its own, as booking's unguarded path): on SQLite the IMMEDIATE transaction takes the
        # database's write lock at its start and would serialise the checkouts, so the naive
        # check-then-update could never race there and the control would show nothing.
        return _checkout(actor=actor, branch=branch, card=card, barcode=barcode, now=now)
    with transaction.atomic():
        return _checkout(actor=actor, branch=branch, card=card, barcode=barcode, now=now)


def _checkout(*, actor: Any, branch: Venue, card: str, barcode: str, now: datetime | None) -> Loan:
    now = now_or(now)
    today = timezone.localdate(now)
    require_desk_staff(actor, branch)
    reader = reader_for_card(card=card)
    # select_for_update needs a transaction: without the guard there is none (and no lock).
    copy = copy_by_barcode(barcode, lock=settings.CULTURE_LIBRARY_GUARD)
    existing = Loan.objects.filter(copy=copy, returned_at__isnull=True).first()
    if existing is not None:
        if existing.reader_id == reader.pk:
            return existing
        raise CirculationRefused(
            _("条码 %(b)s 已借出给其他读者，请先办理归还") % {"b": copy.barcode},
            code="not_available",
        )
    if copy.current_branch_id != branch.pk:
        raise CirculationRefused(
            _("条码 %(b)s 的馆藏在%(where)s，不在本馆（%(here)s），不能在此借出")
            % {"b": copy.barcode, "where": copy.current_branch.name_zh, "here": branch.name_zh},
            code="not_here",
        )
    rule = loan_rule(reader.category, copy.item_type)
    hold = _available_to(copy, reader)
    reader = limit_take(reader=reader, rule=rule, today=today)
    loan = lend(actor=actor, copy=copy, reader=reader, branch=branch, rule=rule, now=now)
    if hold is None:  # the reader's own waiting hold for this title is served by this loan
        hold = Hold.objects.filter(
            reader=reader, title_id=copy.title_id, status=HoldStatus.WAITING
        ).first()
    if hold is not None:
        hold.status = HoldStatus.COLLECTED
        hold.position = None
        hold.copy = copy
        hold.save(update_fields=["status", "position", "copy", "updated_at"])
    return loan


@transaction.atomic
def loan_return(
    *, actor: Any, branch: Venue, barcode: str, now: datetime | None = None
) -> ReturnResult:
    """Take back the copy ``barcode`` at ``branch`` (any branch). A hold waiting for the title
    gets it first (queue order): on the hold shelf here, or sent to the pickup branch. Otherwise
    it stays here or goes home (CULTURE_LIBRARY_RETURN_POLICY "float" or "home")."""
    now = now_or(now)
    today = timezone.localdate(now)
    require_desk_staff(actor, branch)
    copy = copy_by_barcode(barcode, lock=True)
    loan = Loan.objects.filter(copy=copy, returned_at__isnull=True).first()
    if loan is None:
        raise CirculationRefused(
            _("条码 %(b)s 没有未还的借阅记录，无需归还") % {"b": copy.barcode},
            code="not_on_loan",
        )
    limit_give_back(reader_id=loan.reader_id)
    loan.returned_at = now
    loan.return_branch = branch
    loan.save(update_fields=["returned_at", "return_branch", "updated_at"])
    copy.current_branch = branch
    copy.status = CopyStatus.AVAILABLE
    copy.save(update_fields=["current_branch", "status", "updated_at"])

    transfer: Transfer | None = None
    hold = hold_fill_from_return(copy=copy, now=now)
    if hold is not None:
        if hold.pickup_branch_id == branch.pk:
            destination = "hold_shelf"
            hold_make_ready(hold=hold, copy=copy, now=now)
        else:
            destination = "hold_transfer"
            transfer = transfer_send(
                copy=copy, to_branch=hold.pickup_branch, reason="hold", now=now
            )
    elif settings.CULTURE_LIBRARY_RETURN_POLICY == RETURN_HOME and copy.home_branch_id != branch.pk:
        destination = "home"
        transfer = transfer_send(
            copy=copy, to_branch=copy.home_branch, reason="return_home", now=now
        )
    else:
        destination = "shelf"
    overdue = max((today - loan.due_on).days, 0)
    audit_record(
        actor=actor_of(actor),
        action="library.loan_returned",
        target=loan,
        target_label=copy.barcode,
        org_path=branch.operator_unit.path,
        after={"copy": copy.barcode, "destination": destination, "overdue_days": overdue},
    )
    return ReturnResult(loan, copy, overdue, destination, hold, transfer)


@transaction.atomic
def transfer_receive(
    *, actor: Any, branch: Venue, barcode: str, now: datetime | None = None
) -> Transfer:
    """The copy ``barcode`` in transit arrives at ``branch`` (its transfer's destination): it
    stands here, on the hold shelf when a hold waits for it here (the reader is told)."""
    now = now_or(now)
    require_desk_staff(actor, branch)
    copy = copy_by_barcode(barcode, lock=True)
    transfer = Transfer.objects.filter(copy=copy, received_at__isnull=True).first()
    if transfer is None or transfer.to_branch_id != branch.pk:
        raise CirculationRefused(
            _("条码 %(b)s 没有调往本馆（%(here)s）的在途记录")
            % {"b": copy.barcode, "here": branch.name_zh},
            code="not_here",
        )
    transfer.received_at = now
    transfer.save(update_fields=["received_at", "updated_at"])
    copy.current_branch = branch
    copy.status = CopyStatus.AVAILABLE
    copy.save(update_fields=["current_branch", "status", "updated_at"])
    hold = Hold.objects.filter(copy=copy, status=HoldStatus.WAITING).first()
    if hold is not None and hold.pickup_branch_id == branch.pk:
        hold_make_ready(hold=hold, copy=copy, now=now)
    audit_record(
        actor=actor_of(actor),
        action="library.transfer_received",
        target=transfer,
        target_label=copy.barcode,
        org_path=branch.operator_unit.path,
    )
    return transfer


@transaction.atomic
def loan_renew(*, reader: Reader, loan: Loan, now: datetime | None = None) -> Loan:
    """Renew the reader's open loan for another loan period from its due date (skipping days
    the branch is closed). Refused when someone is waiting for the title, when the renewals are
    used up, or when the loan is overdue."""
    now = now_or(now)
    today = timezone.localdate(now)
    loan = Loan.objects.select_for_update().select_related("copy", "out_branch").get(pk=loan.pk)
    if loan.reader_id != reader.pk or loan.returned_at is not None:
        raise CirculationRefused(_("这不是您当前未还的借阅，不能续借"), code="not_on_loan")
    reader = Reader.objects.get(pk=reader.pk)
    check_not_suspended(reader, today)
    rule = loan_rule(reader.category, loan.copy.item_type)
    if loan.due_on < today:
        raise CirculationRefused(
            _("该书已于 %(d)s 到期，逾期的借阅不能续借，请尽快归还")
            % {"d": loan.due_on.isoformat()},
            code="overdue",
        )
    if loan.renewals_used >= rule.renewals:
        raise CirculationRefused(
            _("该书已续借 %(n)d 次，达到可续借次数上限") % {"n": loan.renewals_used},
            code="renewals_used",
        )
    if Hold.objects.filter(title_id=loan.copy.title_id, status=HoldStatus.WAITING).exists():
        raise CirculationRefused(
            _("该书有其他读者在排队预约，不能续借，请按期归还"), code="holds_waiting"
        )
    before = loan.due_on
    loan.due_on = due_date(loan.out_branch, loan.due_on, rule.loan_days)
    loan.renewals_used += 1
    loan.save(update_fields=["due_on", "renewals_used", "updated_at"])
    audit_record(
        actor=reader.resident.user,
        action="library.loan_renewed",
        target=loan,
        target_label=loan.copy.barcode,
        before={"due_on": before},
        after={"due_on": loan.due_on},
    )
    return loan


def loans_overdue(*, branch: Venue | None = None, today: date | None = None) -> QuerySet[Loan]:
    """Open loans past their due date (oldest due first), optionally those lent at ``branch``."""
    today = today or timezone.localdate()
    qs = Loan.objects.filter(returned_at__isnull=True, due_on__lt=today)
    if branch is not None:
        qs = qs.filter(out_branch=branch)
    return qs.select_related("copy__title", "reader__resident", "out_branch").order_by(
        "due_on", "pk"
    )


__all__ = [
    "RETURN_FLOAT",
    "RETURN_HOME",
    "ReturnResult",
    "loan_checkout",
    "loan_renew",
    "loan_return",
    "loans_overdue",
    "transfer_receive",
]
