"""One-click borrowing (一键借阅): placing an order sets a copy aside and counts against the
limit; staff move it placed > picked > in_transit > ready > collected; cancelling gives both
back. After every step the counter equals open loans + active orders."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from culture.accounts.models import Notification
from culture.accounts.tests.factories import staff_user
from culture.core.errors import NotFound, OutOfScope, ValidationFailed
from culture.core.roles import Role
from culture.library.models import (
    CopyStatus,
    DeliveryOrder,
    DeliveryStatus,
    HoldStatus,
    ItemType,
    Loan,
    Reader,
    Transfer,
)
from culture.library.services import (
    delivery_advance,
    delivery_cancel,
    delivery_place,
    hold_place,
    reader_for_resident,
)
from culture.library.tests.factories import branch, copy, reader, title
from culture.library.tests.helpers import counted, local, refused
from culture.venues.models import VenueKind, VenueStatus

pytestmark = pytest.mark.django_db


# ----- the reader -------------------------------------------------------------------------
def test_reader_for_resident_is_made_once_and_a_deactivated_account_is_refused():
    who = reader()
    resident = who.resident
    assert reader_for_resident(resident=resident).pk == who.pk
    assert Reader.objects.count() == 1
    resident.user.is_active = False
    resident.user.save(update_fields=["is_active"])
    refused("suspended", reader_for_resident, resident=resident)


# ----- placing ------------------------------------------------------------------------------
def test_an_order_sets_aside_a_copy_at_the_pickup_branch_and_counts_at_once():
    far, near = branch(), branch()
    book = title(title="活着")
    copy(title=book, branch=far, barcode="FAR1")
    mine = copy(title=book, branch=near, barcode="NEAR1")
    who = reader()
    order = delivery_place(reader=who, title=book, pickup_branch=near, now=local(2026, 5, 4))
    assert (order.status, order.copy_id, order.from_branch_id) == ("placed", mine.pk, near.pk)
    assert order.placed_at == local(2026, 5, 4)
    mine.refresh_from_db()
    assert mine.status == CopyStatus.RESERVED
    assert counted(who) == 1
    again = delivery_place(reader=who, title=book, pickup_branch=far)
    assert again.pk == order.pk  # placing again is the same order
    assert counted(who) == 1
    assert DeliveryOrder.objects.count() == 1


def test_with_none_at_the_pickup_branch_a_copy_from_another_branch_is_set_aside():
    far, near = branch(), branch()
    book = title()
    there = copy(title=book, branch=far)
    copy(title=book, branch=near, status=CopyStatus.ON_LOAN)
    order = delivery_place(reader=reader(), title=book, pickup_branch=near)
    assert (order.copy_id, order.from_branch_id, order.pickup_branch_id) == (
        there.pk,
        far.pk,
        near.pk,
    )


def test_no_copy_free_anywhere_is_refused_none_available_and_nothing_counts():
    here = branch()
    book = title(title="围城")
    copy(title=book, branch=here, status=CopyStatus.ON_LOAN)
    copy(title=book, branch=here, status=CopyStatus.RESERVED)
    who = reader()
    error = refused("none_available", delivery_place, reader=who, title=book, pickup_branch=here)
    assert "围城" in str(error)
    assert counted(who) == 0
    assert DeliveryOrder.objects.count() == 0


def test_reference_only_titles_are_not_for_loan():
    here = branch()
    book = title()
    copy(title=book, branch=here, item_type=ItemType.REFERENCE)
    refused("not_for_loan", delivery_place, reader=reader(), title=book, pickup_branch=here)


def test_the_limit_and_a_suspension_are_refused(settings):
    settings.CULTURE_LIBRARY_LOAN_LIMIT = 1
    here = branch()
    first, second = title(), title()
    copy(title=first, branch=here)
    copy(title=second, branch=here)
    who = reader()
    delivery_place(reader=who, title=first, pickup_branch=here)
    refused("limit", delivery_place, reader=who, title=second, pickup_branch=here)
    assert counted(who) == 1
    other = reader()
    other.blocked_until = date(2099, 1, 1)
    other.save(update_fields=["blocked_until"])
    refused("suspended", delivery_place, reader=other, title=second, pickup_branch=here)
    assert counted(other) == 0


def test_home_delivery_needs_an_address_and_the_service_switched_on(settings):
    here = branch()
    book = title()
    copy(title=book, branch=here)
    who = reader()
    refused("no_address", delivery_place, reader=who, title=book, pickup_branch=None, to_home=True)
    settings.CULTURE_LIBRARY_HOME_DELIVERY = False
    refused(
        "home_delivery_off",
        delivery_place,
        reader=who,
        title=book,
        pickup_branch=None,
        to_home=True,
        address="湖墅南路1号",
    )
    assert counted(who) == 0


def test_a_pickup_place_that_is_not_a_library_is_refused_and_none_at_all_is_invalid():
    here = branch()
    book = title()
    copy(title=book, branch=here)
    museum = branch(kind=VenueKind.MUSEUM)
    refused(
        "not_lendable_branch", delivery_place, reader=reader(), title=book, pickup_branch=museum
    )
    with pytest.raises(ValidationFailed) as invalid:
        delivery_place(reader=reader(), title=book, pickup_branch=None)
    assert invalid.value.field == "pickup_branch"


# ----- the life of an order -----------------------------------------------------------------
@pytest.fixture
def two_branches(tree):
    """A sending branch in community c11 and a pickup bookroom in c21, each with its staff."""
    sender = branch(operator=tree["c11"], name="湖墅分馆")
    pickup = branch(operator=tree["c21"], kind=VenueKind.CITY_BOOKROOM, name="武林书房")
    return {
        "sender": sender,
        "pickup": pickup,
        "sender_staff": staff_user(Role.COMMUNITY_WORKER, tree["c11"]),
        "pickup_staff": staff_user(Role.COMMUNITY_WORKER, tree["c21"]),
    }


def test_an_order_goes_through_every_step_to_a_loan_at_the_pickup_branch(two_branches):
    sender, pickup = two_branches["sender"], two_branches["pickup"]
    s_staff, p_staff = two_branches["sender_staff"], two_branches["pickup_staff"]
    book = title(title="平凡的世界")
    reserved = copy(title=book, branch=sender, barcode="R0001")
    swapped = copy(title=book, branch=sender, barcode="R0002")
    who = reader()
    order = delivery_place(reader=who, title=book, pickup_branch=pickup, now=local(2026, 5, 4))
    assert order.copy_id == reserved.pk
    assert counted(who) == 1

    # picked at the sending branch: the other copy on the shelf there is scanned, swapped in
    with pytest.raises(NotFound):
        delivery_advance(actor=s_staff, order=order, barcode="NOPE1")
    with pytest.raises(ValidationFailed):  # picking needs the scan
        delivery_advance(actor=s_staff, order=order)
    copy(title=title(), branch=sender, barcode="OTHER1")
    refused("wrong_copy", delivery_advance, actor=s_staff, order=order, barcode="OTHER1")
    with pytest.raises(OutOfScope):
        delivery_advance(actor=p_staff, order=order, barcode="R0002")
    order = delivery_advance(actor=s_staff, order=order, barcode=" r0002 ", now=local(2026, 5, 4))
    assert (order.status, order.copy_id) == ("picked", swapped.pk)
    reserved.refresh_from_db()
    swapped.refresh_from_db()
    assert (reserved.status, swapped.status) == (CopyStatus.AVAILABLE, CopyStatus.RESERVED)
    assert counted(who) == 1

    order = delivery_advance(actor=s_staff, order=order, now=local(2026, 5, 5))
    assert order.status == "in_transit"
    assert counted(who) == 1

    with pytest.raises(OutOfScope):  # arriving is the pickup branch's business
        delivery_advance(actor=s_staff, order=order)
    order = delivery_advance(actor=p_staff, order=order, barcode="R0002", now=local(2026, 5, 6))
    assert order.status == "ready"
    swapped.refresh_from_db()
    assert (swapped.current_branch_id, swapped.status) == (pickup.pk, CopyStatus.RESERVED)
    told = Notification.objects.get(user=who.resident.user, kind="library.delivery_ready")
    assert "平凡的世界" in told.text and "武林书房" in told.text
    assert counted(who) == 1

    order = delivery_advance(actor=p_staff, order=order, now=local(2026, 5, 7))
    assert (order.status, order.status_at) == ("collected", local(2026, 5, 7))
    loan = Loan.objects.get(reader=who)
    assert order.loan_id == loan.pk
    # the loan starts when collected, at the pickup branch: 30 days (the default) from 7 May
    assert (loan.copy_id, loan.out_branch_id, loan.due_on) == (
        swapped.pk,
        pickup.pk,
        date(2026, 6, 6),
    )
    assert loan.staff_id == p_staff.pk
    swapped.refresh_from_db()
    assert swapped.status == CopyStatus.ON_LOAN
    assert counted(who) == 1  # not counted a second time

    refused("not_active", delivery_advance, actor=p_staff, order=order)
    refused("not_active", delivery_cancel, actor=p_staff, order=order, reason="误操作")


def test_a_home_delivery_is_worked_by_the_sending_branch_to_the_end(two_branches):
    sender, s_staff = two_branches["sender"], two_branches["sender_staff"]
    book = title(title="红楼梦")
    item = copy(title=book, branch=sender, barcode="H0001")
    who = reader()
    order = delivery_place(
        reader=who, title=book, pickup_branch=None, to_home=True, address=" 湖墅南路  88号 "
    )
    assert (order.to_home, order.address, order.pickup_branch_id) == (True, "湖墅南路 88号", None)
    for expected in ("picked", "in_transit", "ready", "collected"):
        order = delivery_advance(actor=s_staff, order=order, barcode="H0001")
        assert order.status == expected
        assert counted(who) == 1
    told = Notification.objects.get(user=who.resident.user, kind="library.delivery_ready")
    assert "红楼梦" in told.text and "湖墅南路 88号" in told.text
    item.refresh_from_db()
    assert (item.status, item.current_branch_id) == (CopyStatus.ON_LOAN, sender.pk)
    assert Loan.objects.get(reader=who).out_branch_id == sender.pk


def test_a_reader_suspended_since_placing_is_not_handed_the_book(two_branches):
    sender, s_staff = two_branches["sender"], two_branches["sender_staff"]
    book = title(title="围城")
    copy(title=book, branch=sender, barcode="S0001")
    who = reader()
    order = delivery_place(reader=who, title=book, pickup_branch=sender, now=local(2026, 5, 4))
    for _step in ("picked", "in_transit", "ready"):
        order = delivery_advance(actor=s_staff, order=order, barcode="S0001", now=local(2026, 5, 4))
    Reader.objects.filter(pk=who.pk).update(blocked_until=date(2026, 5, 31))

    refused("suspended", delivery_advance, actor=s_staff, order=order, now=local(2026, 5, 5))

    order.refresh_from_db()
    assert order.status == "ready" and order.loan_id is None
    assert not Loan.objects.filter(reader=who).exists()
    assert counted(who) == 1


# ----- cancelling ---------------------------------------------------------------------------
def test_the_reader_cancels_while_placed_and_everything_goes_back(two_branches):
    book = title()
    item = copy(title=book, branch=two_branches["sender"])
    who = reader()
    order = delivery_place(reader=who, title=book, pickup_branch=two_branches["pickup"])
    order = delivery_cancel(actor=who.resident.user, order=order, reason="")
    assert order.status == DeliveryStatus.CANCELLED
    item.refresh_from_db()
    assert item.status == CopyStatus.AVAILABLE
    assert counted(who) == 0
    assert not Notification.objects.filter(kind="library.delivery_cancelled").exists()
    assert delivery_cancel(actor=who.resident.user, order=order, reason="").pk == order.pk
    assert counted(who) == 0  # cancelling twice gives back once
    # a new order for the same title may be placed after the cancelled one
    assert (
        delivery_place(reader=who, title=book, pickup_branch=two_branches["pickup"]).pk != order.pk
    )


def test_once_picked_only_staff_cancel_with_a_reason_and_the_reader_is_told(two_branches):
    s_staff, p_staff = two_branches["sender_staff"], two_branches["pickup_staff"]
    book = title(title="边城")
    item = copy(title=book, branch=two_branches["sender"], barcode="B0001")
    who = reader()
    order = delivery_place(reader=who, title=book, pickup_branch=two_branches["pickup"])
    order = delivery_advance(actor=s_staff, order=order, barcode="B0001")
    order = delivery_advance(actor=s_staff, order=order)
    refused("too_late", delivery_cancel, actor=who.resident.user, order=order, reason="不要了")
    with pytest.raises(OutOfScope):  # another reader is not staff
        delivery_cancel(actor=reader().resident.user, order=order, reason="x")
    with pytest.raises(ValidationFailed) as invalid:
        delivery_cancel(actor=p_staff, order=order, reason="  ")
    assert invalid.value.field == "reason"
    order = delivery_cancel(actor=p_staff, order=order, reason="图书破损")
    assert (order.status, order.cancel_reason) == ("cancelled", "图书破损")
    item.refresh_from_db()
    assert (item.status, item.current_branch_id) == (
        CopyStatus.AVAILABLE,
        two_branches["sender"].pk,
    )
    told = Notification.objects.get(user=who.resident.user, kind="library.delivery_cancelled")
    assert "边城" in told.text and "图书破损" in told.text
    assert counted(who) == 0


def test_a_copy_freed_by_a_cancelled_order_goes_to_the_first_waiting_hold():
    here, there = branch(), branch()
    book = title(title="三国演义")
    item = copy(title=book, branch=here)
    first, second = reader(), reader()
    order = delivery_place(reader=first, title=book, pickup_branch=here)
    refused("none_available", delivery_place, reader=second, title=book, pickup_branch=here)
    waiting = hold_place(reader=second, title=book, pickup_branch=there)
    assert waiting.status == HoldStatus.WAITING
    delivery_cancel(actor=first.resident.user, order=order, reason="")
    waiting.refresh_from_db()
    item.refresh_from_db()
    # the hold is to collect at the other branch: the copy is sent there for it
    assert (waiting.copy_id, item.status) == (item.pk, CopyStatus.IN_TRANSIT)
    assert Transfer.objects.get(copy=item).to_branch_id == there.pk
    assert counted(first) == 0


def test_a_refusal_reads_in_english_for_an_english_reader():
    here = branch()
    book = title(title="围城")
    copy(title=book, branch=here, status=CopyStatus.ON_LOAN)
    with translation.override("en"):
        error = refused(
            "none_available", delivery_place, reader=reader(), title=book, pickup_branch=here
        )
        assert str(error.message) == (
            "No branch has a copy of “围城” on the shelf now; you can place a hold and join the queue"
        )


def test_a_closed_branch_is_no_pickup_place_and_its_copies_are_not_set_aside():
    open_branch, closed = branch(), branch(name="停用分馆")
    closed.status = VenueStatus.CLOSED
    closed.save(update_fields=["status"])
    book = title()
    copy(title=book, branch=closed)
    who = reader()
    error = refused(
        "not_lendable_branch", delivery_place, reader=who, title=book, pickup_branch=closed
    )
    assert "停用分馆" in str(error)
    refused("none_available", delivery_place, reader=who, title=book, pickup_branch=open_branch)
    assert counted(who) == 0


def test_an_order_serves_the_readers_own_waiting_hold_but_not_one_with_a_copy_kept():
    a, b = branch(), branch()
    book = title(title="骆驼祥子")
    copy(title=book, branch=b)  # on the shelf at B only: a hold for pickup at A waits
    who = reader()
    waiting = hold_place(reader=who, title=book, pickup_branch=a)
    assert waiting.status == HoldStatus.WAITING
    order = delivery_place(reader=who, title=book, pickup_branch=a)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.position, waiting.copy_id) == (
        HoldStatus.COLLECTED,
        None,
        order.copy_id,
    )
    assert counted(who) == 1

    other_book = title(title="茶馆")
    copy(title=other_book, branch=a)
    copy(title=other_book, branch=a)
    ready = hold_place(reader=who, title=other_book, pickup_branch=a)  # kept on the shelf
    assert ready.status == HoldStatus.READY
    error = refused("duplicate_hold", delivery_place, reader=who, title=other_book, pickup_branch=a)
    assert "茶馆" in str(error)
    assert counted(who) == 1
