"""Holds: queue positions, ready at once when a copy is on the shelf, filled in queue order as
copies come back, cancelled, expired."""

from __future__ import annotations

from datetime import date

import pytest

from culture.library.errors import CirculationRefused
from culture.library.models import CopyStatus, Hold, HoldStatus, ItemType
from culture.library.services import (
    hold_cancel,
    hold_place,
    holds_expire,
    loan_checkout,
    loan_return,
)
from culture.library.tests.factories import branch, card_of, copy, reader, title
from culture.library.tests.helpers import local

pytestmark = pytest.mark.django_db


def _all_out(n_copies: int = 1):
    """A title whose every copy (at one branch) is on loan."""
    here = branch()
    book = title()
    items = [copy(title=book, branch=here) for _ in range(n_copies)]
    for item in items:
        loan_checkout(actor=None, branch=here, card=card_of(reader()), barcode=item.barcode)
    return here, book, items


def test_holds_queue_in_order_of_placing():
    here, book, _items = _all_out()
    holds = [hold_place(reader=reader(), title=book, pickup_branch=here) for _ in range(3)]
    assert [h.position for h in holds] == [1, 2, 3]
    assert {h.status for h in holds} == {HoldStatus.WAITING}


def test_a_copy_on_the_shelf_at_the_pickup_branch_makes_the_hold_ready_at_once():
    here = branch()
    book = title()
    item = copy(title=book, branch=here)
    hold = hold_place(reader=reader(), title=book, pickup_branch=here, now=local(2026, 6, 1))
    assert (hold.status, hold.position, hold.copy_id) == (HoldStatus.READY, None, item.pk)
    assert hold.expires_on == date(2026, 6, 8)
    item.refresh_from_db()
    assert item.status == CopyStatus.ON_HOLD_SHELF


def test_a_copy_at_another_branch_does_not_make_the_hold_ready():
    book = title()
    copy(title=book, branch=branch())
    hold = hold_place(reader=reader(), title=book, pickup_branch=branch())
    assert (hold.status, hold.position) == (HoldStatus.WAITING, 1)


def test_a_second_hold_for_the_same_title_is_refused():
    here, book, _items = _all_out()
    who = reader()
    hold_place(reader=who, title=book, pickup_branch=here)
    with pytest.raises(CirculationRefused) as err:
        hold_place(reader=who, title=book, pickup_branch=here)
    assert err.value.code == "duplicate_hold"
    assert Hold.objects.filter(reader=who).count() == 1


def test_a_title_with_only_reference_copies_cannot_be_held():
    book = title()
    copy(title=book, item_type=ItemType.REFERENCE)
    with pytest.raises(CirculationRefused) as err:
        hold_place(reader=reader(), title=book, pickup_branch=branch())
    assert err.value.code == "not_for_loan"
    assert Hold.objects.count() == 0


def test_holds_are_filled_in_queue_order_as_copies_come_back():
    here, book, items = _all_out(n_copies=2)
    first, second, third = (
        hold_place(reader=reader(), title=book, pickup_branch=here) for _ in range(3)
    )
    loan_return(actor=None, branch=here, barcode=items[1].barcode)
    statuses = [Hold.objects.get(pk=h.pk).status for h in (first, second, third)]
    assert statuses == [HoldStatus.READY, HoldStatus.WAITING, HoldStatus.WAITING]
    assert Hold.objects.get(pk=first.pk).copy_id == items[1].pk
    loan_return(actor=None, branch=here, barcode=items[0].barcode)
    statuses = [Hold.objects.get(pk=h.pk).status for h in (first, second, third)]
    assert statuses == [HoldStatus.READY, HoldStatus.READY, HoldStatus.WAITING]
    assert Hold.objects.get(pk=second.pk).copy_id == items[0].pk


def test_cancelling_a_ready_hold_passes_the_copy_to_the_next_in_the_queue():
    here, book, items = _all_out()
    first = hold_place(reader=reader(), title=book, pickup_branch=here)
    second = hold_place(reader=reader(), title=book, pickup_branch=here)
    loan_return(actor=None, branch=here, barcode=items[0].barcode)
    hold_cancel(reader=first.reader, hold=first)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == HoldStatus.CANCELLED
    assert (second.status, second.copy_id) == (HoldStatus.READY, items[0].pk)


def test_cancelling_the_last_hold_puts_the_copy_back_on_the_shelf():
    here = branch()
    book = title()
    item = copy(title=book, branch=here)
    hold = hold_place(reader=reader(), title=book, pickup_branch=here)
    hold_cancel(reader=hold.reader, hold=hold)
    item.refresh_from_db()
    assert item.status == CopyStatus.AVAILABLE


def test_someone_else_cannot_cancel_a_hold():
    here, book, _items = _all_out()
    hold = hold_place(reader=reader(), title=book, pickup_branch=here)
    with pytest.raises(CirculationRefused):
        hold_cancel(reader=reader(), hold=hold)
    hold.refresh_from_db()
    assert hold.status == HoldStatus.WAITING


def test_a_new_hold_after_a_cancelled_one_takes_the_next_position():
    here, book, _items = _all_out()
    a = hold_place(reader=reader(), title=book, pickup_branch=here)
    b = hold_place(reader=reader(), title=book, pickup_branch=here)
    hold_cancel(reader=b.reader, hold=b)
    c = hold_place(reader=reader(), title=book, pickup_branch=here)
    assert (a.position, c.position) == (1, 2)


def test_ready_holds_expire_after_their_date_and_the_copy_goes_to_the_next():
    here, book, items = _all_out()
    first = hold_place(reader=reader(), title=book, pickup_branch=here)
    second = hold_place(reader=reader(), title=book, pickup_branch=here)
    loan_return(actor=None, branch=here, barcode=items[0].barcode, now=local(2026, 6, 1))
    assert Hold.objects.get(pk=first.pk).expires_on == date(2026, 6, 8)
    assert holds_expire(now=local(2026, 6, 8, 20)) == 0  # the last day still counts
    assert holds_expire(now=local(2026, 6, 9)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == HoldStatus.EXPIRED
    assert (second.status, second.copy_id) == (HoldStatus.READY, items[0].pk)
    assert second.expires_on == date(2026, 6, 16)


def test_the_expiry_command_expires_past_holds():
    from io import StringIO

    from django.core.management import call_command

    here = branch()
    book = title()
    copy(title=book, branch=here)
    hold = hold_place(reader=reader(), title=book, pickup_branch=here, now=local(2020, 1, 6))
    out = StringIO()
    call_command("library_expire_holds", stdout=out)
    assert out.getvalue().strip() == "1 hold(s) expired"
    hold.refresh_from_db()
    assert hold.status == HoldStatus.EXPIRED


def test_a_closed_branch_is_no_pickup_place_for_a_hold():
    """Regression: the API placed a hold to collect at a closed branch (the pages only offer
    open ones); orders refused it already."""
    from culture.venues.models import VenueStatus

    closed = branch(name="停用分馆")
    closed.status = VenueStatus.CLOSED
    closed.save(update_fields=["status"])
    book = title()
    copy(title=book, branch=branch(), status=CopyStatus.ON_LOAN)
    with pytest.raises(CirculationRefused) as err:
        hold_place(reader=reader(), title=book, pickup_branch=closed)
    assert err.value.code == "not_lendable_branch" and "停用分馆" in str(err.value)
    assert not Hold.objects.exists()
