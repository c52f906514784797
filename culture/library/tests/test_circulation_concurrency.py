"""Simultaneous checkouts from threads (each its own database connection) on the test database
in use (a WAL file database on SQLite; run with DATABASE_URL=postgres://... for PostgreSQL):
the same barcode scanned at once is one loan; a reader's loan limit holds."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.utils import timezone

from culture.core.tests.threads import race
from culture.library.errors import CirculationRefused
from culture.library.models import (
    Copy,
    CopyStatus,
    DeliveryOrder,
    Hold,
    HoldStatus,
    ItemType,
    Loan,
    LoanRule,
    Reader,
)
from culture.library.services import (
    delivery_place,
    hold_cancel,
    hold_place,
    loan_checkout,
    loan_return,
    loan_rule,
)
from culture.library.services.lending import lend
from culture.library.tests.factories import branch, card_of, copy, reader, title

pytestmark = pytest.mark.django_db(transaction=True)


def outcome(result: Any) -> str:
    if isinstance(result, Loan):
        return "loan"
    if isinstance(result, CirculationRefused):
        return result.code
    return repr(result)


def test_the_same_barcode_scanned_at_once_is_one_loan():
    here = branch()
    item = copy(branch=here)
    card = card_of(reader())
    results = race(
        [lambda: loan_checkout(actor=None, branch=here, card=card, barcode=item.barcode)] * 8
    )
    assert Counter(map(outcome, results)) == {"loan": 8}, results
    assert len({r.pk for r in results}) == 1
    assert Loan.objects.filter(copy=item).count() == 1
    assert Reader.objects.get().open_loans == 1


def test_the_same_copy_for_different_readers_at_once_goes_to_one():
    here = branch()
    item = copy(branch=here)
    cards = [card_of(reader()) for _ in range(6)]
    results = race(
        [
            lambda c=c: loan_checkout(actor=None, branch=here, card=c, barcode=item.barcode)
            for c in cards
        ]
    )
    assert Counter(map(outcome, results)) == {"loan": 1, "not_available": 5}, results
    assert Loan.objects.count() == 1
    assert sorted(Reader.objects.values_list("open_loans", flat=True)) == [0] * 5 + [1]


def test_a_reader_at_limit_three_gets_exactly_three_of_eight_copies_at_once():
    LoanRule.objects.create(
        reader_category="adult",
        item_type=ItemType.BOOK,
        loan_limit=3,
        loan_days=30,
        renewals=1,
        hold_expiry_days=7,
    )
    here = branch()
    items = [copy(branch=here) for _ in range(8)]
    who = reader()
    card = card_of(who)
    results = race(
        [
            lambda i=i: loan_checkout(actor=None, branch=here, card=card, barcode=i.barcode)
            for i in items
        ]
    )
    assert Counter(map(outcome, results)) == {"loan": 3, "limit": 5}, results
    assert Loan.objects.filter(reader=who).count() == 3
    assert Reader.objects.get(pk=who.pk).open_loans == 3
    statuses = Copy.objects.filter(pk__in=[x.pk for x in items]).values_list("status", flat=True)
    assert Counter(statuses) == {CopyStatus.AVAILABLE: 5, CopyStatus.ON_LOAN: 3}


def test_simultaneous_holds_get_distinct_positions():
    here = branch()
    book = title()
    item = copy(title=book, branch=here)
    loan_checkout(actor=None, branch=here, card=card_of(reader()), barcode=item.barcode)
    people = [reader() for _ in range(8)]
    results = race(
        [lambda p=p: hold_place(reader=p, title=book, pickup_branch=here) for p in people]
    )
    assert all(isinstance(r, Hold) for r in results), results
    positions = sorted(Hold.objects.filter(title=book).values_list("position", flat=True))
    assert positions == list(range(1, 9))


def test_a_ready_hold_cancelled_twice_at_once_passes_its_copy_on_once():
    here = branch()
    book = title()
    item = copy(title=book, branch=here)
    first = hold_place(reader=reader(), title=book, pickup_branch=here)  # ready at once
    second = hold_place(reader=reader(), title=book, pickup_branch=here)
    third = hold_place(reader=reader(), title=book, pickup_branch=here)
    results = race([lambda: hold_cancel(reader=first.reader, hold=first)] * 4)
    assert Counter(map(lambda r: outcome(r) if not isinstance(r, Hold) else "ok", results)) == {
        "ok": 1,
        "not_found": 3,
    }, results
    statuses = [Hold.objects.get(pk=h.pk).status for h in (first, second, third)]
    assert statuses == [HoldStatus.CANCELLED, HoldStatus.READY, HoldStatus.WAITING]
    assert Hold.objects.get(pk=second.pk).copy_id == item.pk
    item.refresh_from_db()
    assert item.status == CopyStatus.ON_HOLD_SHELF


# ----- the guard switch and the one-open-loan index -------------------------------------
def test_lending_a_copy_that_has_an_open_loan_is_refused_not_available_by_the_index():
    """What a checkout meets when another desk lent the copy between its checks and its
    insert: the partial unique index answers, turned into a refusal (never a 500)."""
    here = branch()
    item = copy(branch=here)
    loan_checkout(actor=None, branch=here, card=card_of(reader()), barcode=item.barcode)
    other = reader()
    with pytest.raises(CirculationRefused) as refused:
        lend(
            actor=None,
            copy=item,
            reader=other,
            branch=here,
            rule=loan_rule("adult", ItemType.BOOK),
            now=timezone.now(),
        )
    assert refused.value.code == "not_available"
    assert item.barcode in str(refused.value)
    assert Loan.objects.filter(copy=item).count() == 1


@pytest.mark.parametrize("guard", [True, False])
def test_one_at_a_time_the_limit_holds_with_the_guard_on_or_off(settings, guard):
    settings.CULTURE_LIBRARY_GUARD = guard
    settings.CULTURE_LIBRARY_LOAN_LIMIT = 2
    here = branch()
    who = reader()
    items = [copy(branch=here) for _ in range(3)]
    card = card_of(who)
    loan_checkout(actor=None, branch=here, card=card, barcode=items[0].barcode)
    loan_checkout(actor=None, branch=here, card=card, barcode=items[1].barcode)
    with pytest.raises(CirculationRefused) as refused:
        loan_checkout(actor=None, branch=here, card=card, barcode=items[2].barcode)
    assert refused.value.code == "limit"
    assert Reader.objects.get(pk=who.pk).open_loans == 2
    loan_return(actor=None, branch=here, barcode=items[0].barcode)
    assert Reader.objects.get(pk=who.pk).open_loans == 1


# ----- one-click borrowing ----------------------------------------------------------------
def test_eight_readers_ordering_the_last_free_copy_at_once_make_exactly_one_order():
    here = branch()
    book = title()
    item = copy(title=book, branch=here)
    copy(title=book, branch=here, status=CopyStatus.ON_LOAN)
    people = [reader() for _ in range(8)]
    results = race(
        [lambda p=p: delivery_place(reader=p, title=book, pickup_branch=here) for p in people]
    )
    kinds = Counter("order" if isinstance(r, DeliveryOrder) else outcome(r) for r in results)
    assert kinds == {"order": 1, "none_available": 7}, results
    order = DeliveryOrder.objects.get()
    assert order.copy_id == item.pk
    item.refresh_from_db()
    assert item.status == CopyStatus.RESERVED
    counters = sorted(Reader.objects.values_list("open_loans", flat=True))
    assert counters == [0] * 7 + [1]


def test_one_reader_placing_the_same_title_eight_times_at_once_has_one_order():
    here = branch()
    book = title()
    for _ in range(3):
        copy(title=book, branch=here)
    who = reader()
    results = race([lambda: delivery_place(reader=who, title=book, pickup_branch=here)] * 8)
    assert all(isinstance(r, DeliveryOrder) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Reader.objects.get(pk=who.pk).open_loans == 1
    assert Copy.objects.filter(title=book, status=CopyStatus.RESERVED).count() == 1


def test_orders_and_desk_checkouts_for_the_last_copy_at_once_give_it_to_one():
    here = branch()
    book = title()
    item = copy(title=book, branch=here)
    ordering = [reader() for _ in range(4)]
    cards = [card_of(reader()) for _ in range(4)]
    results = race(
        [lambda p=p: delivery_place(reader=p, title=book, pickup_branch=here) for p in ordering]
        + [
            lambda c=c: loan_checkout(actor=None, branch=here, card=c, barcode=item.barcode)
            for c in cards
        ]
    )
    won = [r for r in results if isinstance(r, (DeliveryOrder, Loan))]
    assert len(won) == 1, results
    lost = Counter(outcome(r) for r in results if r not in won)
    assert set(lost) <= {"none_available", "not_available"}, results
    item.refresh_from_db()
    expected = CopyStatus.RESERVED if isinstance(won[0], DeliveryOrder) else CopyStatus.ON_LOAN
    assert item.status == expected
    assert DeliveryOrder.objects.count() + Loan.objects.count() == 1
    assert sorted(Reader.objects.values_list("open_loans", flat=True)) == [0] * 7 + [1]
