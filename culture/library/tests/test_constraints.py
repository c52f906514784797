"""The database guarantees, each shown by a direct second insert that the database refuses."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from culture.library.models import Hold, HoldStatus, ItemType, Loan, LoanRule, Transfer
from culture.library.tests.factories import branch, copy, reader, title

pytestmark = pytest.mark.django_db


def refused(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def _loan(item, who, returned: bool = False) -> Loan:
    now = timezone.now()
    return Loan.objects.create(
        copy=item,
        reader=who,
        out_branch=item.current_branch,
        out_at=now,
        due_on=now.date(),
        returned_at=now if returned else None,
    )


def test_one_open_loan_per_copy():
    item = copy()
    _loan(item, reader())
    assert refused(lambda: _loan(item, reader()))
    _loan(item, reader(), returned=True)  # returned loans are history: any number
    assert Loan.objects.filter(copy=item).count() == 2


def _hold(book, who, pickup, position, status=HoldStatus.WAITING) -> Hold:
    return Hold.objects.create(
        title=book, reader=who, pickup_branch=pickup, status=status, position=position
    )


def test_unique_queue_positions_per_title():
    book, pickup = title(), branch()
    _hold(book, reader(), pickup, 1)
    assert refused(lambda: _hold(book, reader(), pickup, 1))
    _hold(title(), reader(), pickup, 1)  # another title's queue


def test_one_active_hold_per_reader_and_title():
    book, pickup, who = title(), branch(), reader()
    _hold(book, who, pickup, 1)
    assert refused(lambda: _hold(book, who, pickup, 2))
    _hold(book, who, pickup, None, status=HoldStatus.CANCELLED)  # history


def test_a_position_exactly_when_waiting():
    book, pickup = title(), branch()
    assert refused(lambda: _hold(book, reader(), pickup, None))
    assert refused(lambda: _hold(book, reader(), pickup, 3, status=HoldStatus.READY))


def test_one_open_transfer_per_copy():
    item = copy()
    there = branch()

    def send() -> Transfer:
        return Transfer.objects.create(
            copy=item,
            from_branch=item.current_branch,
            to_branch=there,
            reason="hold",
            sent_at=timezone.now(),
        )

    first = send()
    assert refused(send)
    first.received_at = timezone.now()
    first.save(update_fields=["received_at"])
    send()


def test_one_loan_rule_per_category_and_item_type():
    def rule() -> LoanRule:
        return LoanRule.objects.create(
            reader_category="adult",
            item_type=ItemType.BOOK,
            loan_limit=5,
            loan_days=30,
            renewals=1,
            hold_expiry_days=7,
        )

    rule()
    assert refused(rule)
