"""Return and renewal at the desk: where a returned copy goes (the shelf, its home branch, a
hold), overdue days, renewals and their limits; who may work a desk; the rules set by an officer."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from culture.accounts.models import Notification
from culture.core.errors import ValidationFailed
from culture.library.errors import CirculationRefused
from culture.library.models import (
    CopyStatus,
    HoldStatus,
    ItemType,
    Loan,
    Reader,
    Transfer,
)
from culture.library.services import (
    hold_place,
    loan_checkout,
    loan_renew,
    loan_return,
    loan_rule,
    loans_overdue,
    transfer_receive,
)
from culture.library.tests.factories import branch, card_of, copy, reader, title
from culture.library.tests.helpers import local, nothing_lent

pytestmark = pytest.mark.django_db


# ----- return -----------------------------------------------------------------------------
def test_a_return_elsewhere_stays_there_under_the_float_policy(settings):
    settings.CULTURE_LIBRARY_RETURN_POLICY = "float"
    home, other = branch(), branch()
    who = reader()
    item = copy(branch=home)
    loan_checkout(actor=None, branch=home, card=card_of(who), barcode=item.barcode)
    result = loan_return(actor=None, branch=other, barcode=f" {item.barcode} ")
    assert result.destination == "shelf"
    item.refresh_from_db()
    assert (item.status, item.current_branch_id) == (CopyStatus.AVAILABLE, other.pk)
    assert Transfer.objects.count() == 0
    assert Reader.objects.get(pk=who.pk).open_loans == 0
    assert Loan.objects.get().return_branch_id == other.pk


def test_a_return_elsewhere_goes_home_under_the_home_policy(settings):
    settings.CULTURE_LIBRARY_RETURN_POLICY = "home"
    home, other = branch(), branch()
    item = copy(branch=home)
    loan_checkout(actor=None, branch=home, card=card_of(reader()), barcode=item.barcode)
    result = loan_return(actor=None, branch=other, barcode=item.barcode)
    assert result.destination == "home"
    transfer = Transfer.objects.get()
    assert (transfer.from_branch_id, transfer.to_branch_id) == (other.pk, home.pk)
    item.refresh_from_db()
    assert item.status == CopyStatus.IN_TRANSIT
    transfer_receive(actor=None, branch=home, barcode=item.barcode)
    item.refresh_from_db()
    assert (item.status, item.current_branch_id) == (CopyStatus.AVAILABLE, home.pk)


def test_a_return_of_a_copy_not_on_loan_is_refused():
    item = copy()
    with pytest.raises(CirculationRefused) as err:
        loan_return(actor=None, branch=item.current_branch, barcode=item.barcode)
    assert err.value.code == "not_on_loan"


def test_a_returned_copy_goes_to_the_hold_shelf_and_the_reader_is_told():
    here = branch(name="米市巷分馆")
    book = title(title="三体")
    item = copy(title=book, branch=here)
    loan_checkout(actor=None, branch=here, card=card_of(reader()), barcode=item.barcode)
    waiting = reader()
    hold = hold_place(reader=waiting, title=book, pickup_branch=here)
    assert hold.status == HoldStatus.WAITING
    result = loan_return(actor=None, branch=here, barcode=item.barcode, now=local(2026, 6, 1))
    assert result.destination == "hold_shelf"
    hold.refresh_from_db()
    assert (hold.status, hold.copy_id, hold.position) == (HoldStatus.READY, item.pk, None)
    assert hold.expires_on == date(2026, 6, 8)  # 7 days (default)
    item.refresh_from_db()
    assert item.status == CopyStatus.ON_HOLD_SHELF
    note = Notification.objects.get(user=waiting.resident.user)
    assert "三体" in note.text and "米市巷分馆" in note.text
    # Someone else cannot take it; the reader who waited can.
    with pytest.raises(CirculationRefused) as err:
        loan_checkout(actor=None, branch=here, card=card_of(reader()), barcode=item.barcode)
    assert err.value.code == "not_available"
    loan_checkout(actor=None, branch=here, card=card_of(waiting), barcode=item.barcode)
    hold.refresh_from_db()
    assert hold.status == HoldStatus.COLLECTED


def test_a_returned_copy_is_sent_to_the_pickup_branch_of_the_hold():
    here, pickup = branch(), branch()
    book = title()
    item = copy(title=book, branch=here)
    loan_checkout(actor=None, branch=here, card=card_of(reader()), barcode=item.barcode)
    waiting = reader()
    hold = hold_place(reader=waiting, title=book, pickup_branch=pickup)
    result = loan_return(actor=None, branch=here, barcode=item.barcode)
    assert result.destination == "hold_transfer"
    transfer = Transfer.objects.get()
    assert (transfer.to_branch_id, transfer.reason) == (pickup.pk, "hold")
    hold.refresh_from_db()
    assert hold.status == HoldStatus.WAITING
    transfer_receive(actor=None, branch=pickup, barcode=item.barcode)
    hold.refresh_from_db()
    item.refresh_from_db()
    assert hold.status == HoldStatus.READY
    assert (item.status, item.current_branch_id) == (CopyStatus.ON_HOLD_SHELF, pickup.pk)
    assert Notification.objects.filter(user=waiting.resident.user).count() == 1


# ----- renewal ----------------------------------------------------------------------------
def _lent(now: datetime) -> tuple[Reader, Loan]:
    who = reader()
    here = branch()
    item = copy(branch=here)
    loan = loan_checkout(actor=None, branch=here, card=card_of(who), barcode=item.barcode, now=now)
    return who, loan


def test_renewal_adds_a_loan_period_from_the_due_date():
    who, loan = _lent(local(2026, 6, 1))
    renewed = loan_renew(reader=who, loan=loan, now=local(2026, 6, 20))
    assert renewed.due_on == date(2026, 7, 31)
    assert renewed.renewals_used == 1


def test_renewal_is_refused_when_someone_is_waiting():
    who, loan = _lent(local(2026, 6, 1))
    hold_place(reader=reader(), title=loan.copy.title, pickup_branch=loan.out_branch)
    with pytest.raises(CirculationRefused) as err:
        loan_renew(reader=who, loan=loan, now=local(2026, 6, 20))
    assert err.value.code == "holds_waiting"
    loan.refresh_from_db()
    assert (loan.due_on, loan.renewals_used) == (date(2026, 7, 1), 0)


def test_renewal_is_refused_when_renewals_are_used_up():
    who, loan = _lent(local(2026, 6, 1))
    loan_renew(reader=who, loan=loan, now=local(2026, 6, 20))
    with pytest.raises(CirculationRefused) as err:
        loan_renew(reader=who, loan=loan, now=local(2026, 6, 21))
    assert err.value.code == "renewals_used"
    loan.refresh_from_db()
    assert loan.due_on == date(2026, 7, 31)


def test_renewal_is_refused_when_overdue():
    who, loan = _lent(local(2026, 6, 1))
    with pytest.raises(CirculationRefused) as err:
        loan_renew(reader=who, loan=loan, now=local(2026, 7, 2))
    assert err.value.code == "overdue"


def test_renewal_of_someone_elses_loan_is_refused():
    _who, loan = _lent(local(2026, 6, 1))
    with pytest.raises(CirculationRefused):
        loan_renew(reader=reader(), loan=loan, now=local(2026, 6, 2))


def test_the_overdue_list_has_open_loans_past_due_oldest_first():
    _a, late = _lent(local(2026, 5, 1))  # due 31 May
    _b, later = _lent(local(2026, 5, 10))  # due 9 June
    _c, on_time = _lent(local(2026, 6, 1))  # due 1 July
    _d, returned = _lent(local(2026, 5, 1))
    loan_return(actor=None, branch=returned.out_branch, barcode=returned.copy.barcode)
    assert list(loans_overdue(today=date(2026, 6, 15))) == [late, later]
    assert list(loans_overdue(today=date(2026, 6, 15), branch=later.out_branch)) == [later]
    assert on_time not in loans_overdue(today=date(2026, 6, 15))


# ----- who may work a desk; the rules set by an officer -----------------------------------
def test_staff_outside_the_branch_scope_cannot_lend(tree):
    from culture.accounts.tests.factories import staff_user
    from culture.core.errors import OutOfScope
    from culture.core.roles import Role

    here = branch(operator=tree["c11"])
    item = copy(branch=here)
    who = reader()
    outsider = staff_user(Role.COMMUNITY_WORKER, tree["c21"])
    with pytest.raises(OutOfScope):
        loan_checkout(actor=outsider, branch=here, card=card_of(who), barcode=item.barcode)
    nothing_lent(who)
    insider = staff_user(Role.COMMUNITY_WORKER, tree["c11"])
    loan = loan_checkout(actor=insider, branch=here, card=card_of(who), barcode=item.barcode)
    assert loan.staff_id == insider.pk


def test_loan_rule_set_overrides_and_refuses_a_zero_loan_period():
    from culture.library.services import loan_rule_set

    loan_rule_set(
        actor=None,
        reader_category="elderly",
        item_type=ItemType.BOOK,
        loan_limit=15,
        loan_days=60,
        renewals=2,
        hold_expiry_days=10,
    )
    assert loan_rule("elderly", ItemType.BOOK).loan_limit == 15
    with pytest.raises(ValidationFailed) as err:
        loan_rule_set(
            actor=None,
            reader_category="elderly",
            item_type=ItemType.BOOK,
            loan_limit=15,
            loan_days=0,
            renewals=2,
            hold_expiry_days=10,
        )
    assert err.value.field == "loan_days"
    assert loan_rule("elderly", ItemType.BOOK).loan_days == 60


def test_a_refusal_reads_in_english_for_an_english_desk():
    from django.utils import translation

    who = reader()
    here = branch(name="米市巷分馆")
    item = copy(branch=branch(name="拱宸桥分馆"), barcode="EN0001")
    with translation.override("en"), pytest.raises(CirculationRefused) as err:
        loan_checkout(actor=None, branch=here, card=card_of(who), barcode=item.barcode)
    assert str(err.value.message) == (
        "Barcode EN0001 is at 拱宸桥分馆, not at this branch (米市巷分馆): it cannot be lent here"
    )
