"""What every way of lending shares: the loan-limit counter and the lending of one copy.

``limit_take`` counts one more item against the reader's loan limit (a desk checkout, a delivery
order placed); ``lend`` starts the loan of a copy (a desk checkout, a delivery order collected).
Both the desk and one-click borrowing go through them, so the two can never disagree.

The guard (settings.CULTURE_LIBRARY_GUARD, on everywhere but the negative-control test): the
reader row is locked and the counter moved by a conditional UPDATE ``open_loans < limit``, so
simultaneous checkouts cannot pass the limit. Off, the counter is read, compared and moved by an
unconditional UPDATE with no lock: a rush can overshoot (what the control shows).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.core.audit import audit_record
from culture.library.errors import CirculationRefused
from culture.library.models import Copy, CopyStatus, Loan, Reader
from culture.library.services.common import actor_of
from culture.library.services.readers import check_not_suspended
from culture.library.services.rules import Rule, due_date
from culture.venues.models import Venue


def reader_locked(reader_id: int) -> Reader:
    """The reader row, locked when the guard is on (lock order: copy, then reader)."""
    qs = Reader.objects.select_related("resident__user")
    if settings.CULTURE_LIBRARY_GUARD:
        qs = qs.select_for_update(of=("self",))
    return qs.get(pk=reader_id)


def limit_take(*, reader: Reader, rule: Rule, today: date) -> Reader:
    """Count one more item against ``reader``'s limit (open loans and active delivery orders),
    or refuse ("suspended", "limit") changing nothing. Returns the reader as read."""
    reader = reader_locked(reader.pk)
    check_not_suspended(reader, today)
    rows = Reader.objects.filter(pk=reader.pk)
    if settings.CULTURE_LIBRARY_GUARD:
        moved = rows.filter(open_loans__lt=rule.loan_limit).update(open_loans=F("open_loans") + 1)
    else:  # the negative control: a plain check, then an unconditional UPDATE
        moved = reader.open_loans < rule.loan_limit and rows.update(open_loans=F("open_loans") + 1)
    if not moved:
        raise limit_reached(reader=reader, rule=rule)
    return reader


def limit_reached(*, reader: Reader, rule: Rule) -> CirculationRefused:
    """The refusal "limit": ``reader`` has as many items out (open loans and active orders) as
    ``rule`` allows."""
    return CirculationRefused(
        _("该读者已借 %(n)d 册，达到可借上限 %(limit)d 册，请先归还后再借")
        % {"n": reader.open_loans, "limit": rule.loan_limit},
        code="limit",
    )


def limit_give_back(*, reader_id: int) -> None:
    """One item less against the reader's limit (a return, a cancelled order)."""
    reader_locked(reader_id)
    Reader.objects.filter(pk=reader_id, open_loans__gt=0).update(open_loans=F("open_loans") - 1)


def lend(
    *,
    actor: Any,
    copy: Copy,
    reader: Reader,
    branch: Venue,
    rule: Rule,
    now: datetime,
    audit_after: dict[str, Any] | None = None,
) -> Loan:
    """Start the loan of ``copy`` (locked by the caller) to ``reader`` at ``branch``: the loan
    for the rule's period (due date past the branch's closed days), the copy ON_LOAN, the audit
    entry. The caller has counted it against the limit. A copy with an open loan already (the
    partial unique index) is refused "not_available"."""
    today = timezone.localdate(now)
    try:
        with transaction.atomic():
            loan = Loan.objects.create(
                copy=copy,
                reader=reader,
                out_branch=branch,
                out_at=now,
                due_on=due_date(branch, today, rule.loan_days),
                staff=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:  # one open loan per copy: lent at the same moment elsewhere
        raise CirculationRefused(
            _("条码 %(b)s 刚刚已被借出，不能重复借出") % {"b": copy.barcode},
            code="not_available",
        ) from None
    copy.status = CopyStatus.ON_LOAN
    copy.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor_of(actor),
        action="library.loan_checkout",
        target=loan,
        target_label=copy.barcode,
        org_path=branch.operator_unit.path,
        after={
            "copy": copy.barcode,
            "reader": reader.pk,
            "due_on": loan.due_on,
            **(audit_after or {}),
        },
    )
    return loan
