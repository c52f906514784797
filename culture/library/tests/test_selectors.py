"""The library's reads: holdings per branch, a reader's own lists, a desk's work, the branches a
user may work. Expected values by hand; list reads keep their query count as rows grow."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from culture.accounts.models import RoleAssignment
from culture.accounts.tests.factories import staff_user
from culture.core.roles import Role
from culture.library.models import CopyStatus, DeliveryStatus, HoldStatus, ItemType
from culture.library.selectors import (
    desk_branches,
    desk_overview,
    reader_deliveries,
    reader_history,
    reader_holds,
    reader_loans,
    title_holdings,
)
from culture.library.services import (
    delivery_advance,
    delivery_cancel,
    delivery_place,
    hold_cancel,
    hold_place,
    loan_checkout,
    loan_return,
    transfer_create,
)
from culture.library.tests.factories import branch, card_of, copy, reader, title
from culture.library.tests.helpers import local
from culture.venues.models import VenueKind, VenueStatus

pytestmark = pytest.mark.django_db


# ----- holdings -----------------------------------------------------------------------------
def test_holdings_per_branch_count_the_shelf_the_loans_and_the_soonest_due():
    a = branch(name="A馆")
    b = branch(name="B馆")
    book = title()
    copy(title=book, branch=a, barcode="HA1")
    copy(title=book, branch=a, item_type=ItemType.REFERENCE)  # on the shelf, not lendable
    copy(title=book, branch=a, status=CopyStatus.LOST)  # not counted at all
    copy(title=book, branch=b, barcode="HB1")
    copy(title=book, branch=b, barcode="HB2")
    copy(title=title(), branch=b)  # another title
    loan_checkout(
        actor=None, branch=b, card=card_of(reader()), barcode="HB1", now=local(2026, 5, 1)
    )
    loan_checkout(
        actor=None, branch=b, card=card_of(reader()), barcode="HB2", now=local(2026, 5, 4)
    )
    rows = title_holdings(book)
    # by branch code (A was made first); loans of 30 days (the default) from 1 and 4 May
    got = [(h.branch.pk, h.total, h.available, h.on_loan, h.due_soonest) for h in rows]
    assert got == [(a.pk, 2, 1, 0, None), (b.pk, 2, 0, 2, date(2026, 5, 31))]
    assert title_holdings(title()) == []


def test_holdings_take_three_queries_however_many_branches(django_assert_max_num_queries):
    book = title()
    for _ in range(6):
        copy(title=book, branch=branch())
    with django_assert_max_num_queries(3):
        assert len(title_holdings(book)) == 6


# ----- a reader's own lists -----------------------------------------------------------------
def test_a_readers_loans_open_soonest_due_first_and_history_last_returned_first():
    here = branch()
    who = reader()
    card = card_of(who)
    items = [copy(branch=here, barcode=f"RL{i}") for i in range(3)]
    for i, day in enumerate((5, 1, 3)):
        loan_checkout(
            actor=None, branch=here, card=card, barcode=items[i].barcode, now=local(2026, 5, day)
        )
    assert [x.copy.barcode for x in reader_loans(who)] == ["RL1", "RL2", "RL0"]
    loan_return(actor=None, branch=here, barcode="RL2", now=local(2026, 5, 10))
    loan_return(actor=None, branch=here, barcode="RL0", now=local(2026, 5, 12))
    assert [x.copy.barcode for x in reader_loans(who)] == ["RL1"]
    assert [x.copy.barcode for x in reader_loans(who, open=False)] == ["RL0", "RL2"]
    assert [x.copy.barcode for x in reader_history(who)] == ["RL0", "RL2"]
    assert list(reader_loans(reader())) == []


def test_a_readers_holds_ready_first_then_waiting_and_none_ended():
    here = branch()
    who = reader()
    waiting_book, ready_book, gone_book = title(), title(), title()
    copy(title=waiting_book, branch=here, status=CopyStatus.ON_LOAN)
    copy(title=ready_book, branch=here)
    copy(title=gone_book, branch=here, status=CopyStatus.ON_LOAN)
    waiting = hold_place(reader=who, title=waiting_book, pickup_branch=here)
    ready = hold_place(reader=who, title=ready_book, pickup_branch=here)
    hold_cancel(reader=who, hold=hold_place(reader=who, title=gone_book, pickup_branch=here))
    assert [(h.pk, h.status) for h in reader_holds(who)] == [
        (ready.pk, HoldStatus.READY),
        (waiting.pk, HoldStatus.WAITING),
    ]


def test_a_readers_orders_active_first_newest_first(django_assert_max_num_queries):
    here = branch()
    who = reader()
    books = [title() for _ in range(3)]
    for b in books:
        copy(title=b, branch=here)
    first = delivery_place(reader=who, title=books[0], pickup_branch=here, now=local(2026, 5, 1))
    second = delivery_place(reader=who, title=books[1], pickup_branch=here, now=local(2026, 5, 2))
    third = delivery_place(reader=who, title=books[2], pickup_branch=here, now=local(2026, 5, 3))
    delivery_cancel(actor=who.resident.user, order=third, reason="")
    assert [o.pk for o in reader_deliveries(who)] == [second.pk, first.pk, third.pk]
    assert [o.pk for o in reader_deliveries(who, active=True)] == [second.pk, first.pk]
    assert [o.pk for o in reader_deliveries(who, active=False)] == [third.pk]
    with django_assert_max_num_queries(1):
        assert [o.pickup_branch.pk for o in reader_deliveries(who)] == [here.pk] * 3


# ----- a desk -------------------------------------------------------------------------------
def _desk_world(here, there, n: int) -> None:
    """``n`` of each thing the desk of ``here`` sees, and some it must not."""
    for _ in range(n):
        book = title()
        copy(title=book, branch=here)  # picked from here, collected there
        delivery_place(reader=reader(), title=book, pickup_branch=there)
        book = title()
        copy(title=book, branch=here)  # picked here, to send to there
        order = delivery_place(reader=reader(), title=book, pickup_branch=there)
        delivery_advance(actor=None, order=order, barcode=order.copy.barcode)
        book = title()
        copy(title=book, branch=there)  # from there, to collect here: in transit
        order = delivery_place(reader=reader(), title=book, pickup_branch=here)
        order = delivery_advance(actor=None, order=order, barcode=order.copy.barcode)
        delivery_advance(actor=None, order=order)
        book = title()
        copy(title=book, branch=here)  # to collect here, ready
        order = delivery_place(reader=reader(), title=book, pickup_branch=here)
        for _step in range(3):
            order = delivery_advance(actor=None, order=order, barcode=order.copy.barcode)
        book = title()
        copy(title=book, branch=here)
        hold_place(reader=reader(), title=book, pickup_branch=here)  # ready at once
        transfer_create(
            actor=None, branch=there, barcode=copy(branch=there).barcode, to_branch=here
        )
        item = copy(branch=here)
        loan_checkout(
            actor=None,
            branch=here,
            card=card_of(reader()),
            barcode=item.barcode,
            now=local(2026, 1, 5),
        )  # due 4 Feb: overdue on 1 March


def test_a_desk_sees_its_orders_hold_shelf_transfers_and_overdue_count():
    here, there = branch(name="本馆"), branch(name="他馆")
    _desk_world(here, there, 1)
    view = desk_overview(here, today=date(2026, 3, 1))
    assert [o.status for o in view.to_pick] == [DeliveryStatus.PLACED]
    assert view.to_pick[0].pickup_branch_id == there.pk
    assert [(o.status, o.pickup_branch_id) for o in view.to_send] == [
        (DeliveryStatus.PICKED, there.pk)
    ]
    assert [(o.status, o.from_branch_id) for o in view.to_receive] == [
        (DeliveryStatus.IN_TRANSIT, there.pk)
    ]
    assert [(o.status, o.pickup_branch_id) for o in view.ready] == [(DeliveryStatus.READY, here.pk)]
    assert [h.status for h in view.hold_shelf] == [HoldStatus.READY]
    assert [t.from_branch_id for t in view.incoming] == [there.pk]
    assert view.overdue == 1
    assert desk_overview(here, today=date(2026, 2, 4)).overdue == 0  # due that day: not yet
    other = desk_overview(there, today=date(2026, 3, 1))
    assert (len(other.to_pick), len(other.to_receive), len(other.ready)) == (0, 0, 0)
    assert other.to_send == [] and other.hold_shelf == [] and other.overdue == 0


def test_a_desk_overview_keeps_its_query_count_at_n_and_2n(django_assert_max_num_queries):
    here, there = branch(), branch()
    _desk_world(here, there, 2)
    with django_assert_max_num_queries(7):
        view = desk_overview(here, today=date(2026, 3, 1))
        names = [
            o.reader.resident.name
            for o in view.to_pick + view.to_send + view.to_receive + view.ready
        ]
        names += [h.reader.resident.name for h in view.hold_shelf]
        names += [t.copy.title.title for t in view.incoming]
    assert len(names) == 2 * 6
    _desk_world(here, there, 2)
    with django_assert_max_num_queries(7):
        view = desk_overview(here, today=date(2026, 3, 1))
        names = [
            o.reader.resident.name
            for o in view.to_pick + view.to_send + view.to_receive + view.ready
        ]
        names += [h.reader.resident.name for h in view.hold_shelf]
        names += [t.copy.title.title for t in view.incoming]
    assert len(names) == 4 * 6


def test_the_branches_a_user_may_work(tree):
    mine = branch(operator=tree["c11"], name="c11分馆")
    room = branch(operator=tree["c11"], kind=VenueKind.READING_ROOM, name="c11阅览室")
    branch(operator=tree["c11"], kind=VenueKind.MUSEUM)  # not a library
    closed = branch(operator=tree["c11"])
    closed.status = VenueStatus.CLOSED
    closed.save(update_fields=["status"])
    theirs = branch(operator=tree["c21"], name="c21分馆")
    worker = staff_user(Role.COMMUNITY_WORKER, tree["c11"])
    assert set(desk_branches(worker)) == {mine, room}
    officer = staff_user(Role.DISTRICT_OFFICER, tree["district"])
    assert {mine, room, theirs} <= set(desk_branches(officer))
    assert closed not in set(desk_branches(officer))
    manager = staff_user(Role.VENUE_MANAGER, tree["district"])
    RoleAssignment.objects.filter(user=manager).update(venue=theirs)
    assert list(desk_branches(manager)) == [theirs]
    assert list(desk_branches(staff_user(Role.EVALUATOR))) == []
    assert list(desk_branches(AnonymousUser())) == []
    assert list(desk_branches(reader().resident.user)) == []
