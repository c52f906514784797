"""Checkout at the desk: the card, the barcode, the rules, the due date past closed days."""

from __future__ import annotations

from datetime import date

import pytest

from culture.accounts.services import resident_register
from culture.accounts.tests.factories import PASSWORD
from culture.core.errors import NotFound, ValidationFailed
from culture.library.errors import CirculationRefused
from culture.library.models import (
    CopyStatus,
    ItemType,
    Loan,
    LoanRule,
    Reader,
)
from culture.library.services import (
    loan_checkout,
    loan_rule,
    reader_for_card,
)
from culture.library.tests.factories import branch, card_of, copy, reader
from culture.library.tests.helpers import local, nothing_lent

pytestmark = pytest.mark.django_db

X_CARD = "33010519850101118X"  # a valid number whose check digit is X


# ----- the card ---------------------------------------------------------------------------
def test_a_card_typed_with_spaces_lower_case_x_and_full_width_digits_finds_the_reader():
    resident_register(
        actor=None, name="张三", phone="13500000001", password=PASSWORD, id_number=X_CARD
    )
    typed = " ３３０１０５ 1985 0101 118x "
    first = reader_for_card(card=typed)
    assert first.resident.name == "张三"
    assert reader_for_card(card=X_CARD).pk == first.pk  # created once, found after
    assert Reader.objects.count() == 1


def test_a_bad_card_number_says_what_is_wrong_and_creates_nothing():
    with pytest.raises(ValidationFailed) as err:
        reader_for_card(card="330105198501011181")  # check digit should be X
    assert "校验位" in str(err.value.message)
    assert err.value.field == "card"
    with pytest.raises(ValidationFailed) as err:
        reader_for_card(card="33010519850101")
    assert "18位" in str(err.value.message)
    assert Reader.objects.count() == 0


def test_an_unknown_card_is_refused_with_a_masked_number():
    with pytest.raises(NotFound) as err:
        reader_for_card(card=X_CARD)
    assert "未登记" in str(err.value.message)
    assert "330105********118X" in str(err.value.message)
    assert Reader.objects.count() == 0


def test_a_suspended_card_is_refused_and_nothing_changes():
    who = reader()
    who.blocked_until = date(2026, 6, 30)
    who.save(update_fields=["blocked_until"])
    here = branch()
    item = copy(branch=here)
    with pytest.raises(CirculationRefused) as err:
        loan_checkout(
            actor=None, branch=here, card=card_of(who), barcode=item.barcode, now=local(2026, 6, 1)
        )
    assert err.value.code == "suspended"
    assert "2026-06-30" in str(err.value.message)
    nothing_lent(who)
    item.refresh_from_db()
    assert item.status == CopyStatus.AVAILABLE


# ----- checkout ---------------------------------------------------------------------------
def test_checkout_lends_the_copy_for_the_loan_period():
    who = reader()
    here = branch()
    item = copy(branch=here)
    loan = loan_checkout(
        actor=None, branch=here, card=card_of(who), barcode=item.barcode, now=local(2026, 6, 1)
    )
    assert loan.due_on == date(2026, 7, 1)  # 30 days (default), open every day
    item.refresh_from_db()
    assert item.status == CopyStatus.ON_LOAN
    assert Reader.objects.get(pk=who.pk).open_loans == 1


def test_a_barcode_with_spaces_and_full_width_letters_is_the_same_copy():
    who = reader()
    here = branch()
    item = copy(branch=here, barcode="LB00012345")
    loan = loan_checkout(actor=None, branch=here, card=card_of(who), barcode="  ＬＢ 0001 2345 ")
    assert loan.copy_id == item.pk


def test_the_same_barcode_scanned_twice_is_one_loan():
    who = reader()
    here = branch()
    item = copy(branch=here)
    first = loan_checkout(actor=None, branch=here, card=card_of(who), barcode=item.barcode)
    again = loan_checkout(actor=None, branch=here, card=card_of(who), barcode=item.barcode)
    assert again.pk == first.pk
    assert Loan.objects.count() == 1
    assert Reader.objects.get(pk=who.pk).open_loans == 1


def test_a_copy_lent_to_someone_else_is_refused():
    here = branch()
    item = copy(branch=here)
    loan_checkout(actor=None, branch=here, card=card_of(reader()), barcode=item.barcode)
    other = reader()
    with pytest.raises(CirculationRefused) as err:
        loan_checkout(actor=None, branch=here, card=card_of(other), barcode=item.barcode)
    assert err.value.code == "not_available"
    assert Loan.objects.count() == 1
    assert Reader.objects.get(pk=other.pk).open_loans == 0


def test_a_copy_at_another_branch_is_refused_naming_both_branches():
    who = reader()
    here = branch(name="米市巷分馆")
    there = branch(name="拱宸桥分馆")
    item = copy(branch=there)
    with pytest.raises(CirculationRefused) as err:
        loan_checkout(actor=None, branch=here, card=card_of(who), barcode=item.barcode)
    assert err.value.code == "not_here"
    assert "拱宸桥分馆" in str(err.value.message) and "米市巷分馆" in str(err.value.message)
    nothing_lent(who)


def test_an_unknown_barcode_is_refused():
    who = reader()
    with pytest.raises(NotFound) as err:
        loan_checkout(actor=None, branch=branch(), card=card_of(who), barcode="NOPE 1")
    assert "NOPE1" in str(err.value.message)
    nothing_lent(who)


def test_a_reader_at_the_limit_is_refused_and_nothing_changes():
    LoanRule.objects.create(
        reader_category="adult",
        item_type=ItemType.BOOK,
        loan_limit=2,
        loan_days=14,
        renewals=1,
        hold_expiry_days=3,
    )
    who = reader()
    here = branch()
    a, b, c = copy(branch=here), copy(branch=here), copy(branch=here)
    loan_checkout(actor=None, branch=here, card=card_of(who), barcode=a.barcode)
    loan_checkout(actor=None, branch=here, card=card_of(who), barcode=b.barcode)
    with pytest.raises(CirculationRefused) as err:
        loan_checkout(actor=None, branch=here, card=card_of(who), barcode=c.barcode)
    assert err.value.code == "limit"
    assert "上限 2 册" in str(err.value.message)
    assert Loan.objects.count() == 2
    assert Reader.objects.get(pk=who.pk).open_loans == 2
    c.refresh_from_db()
    assert c.status == CopyStatus.AVAILABLE


def test_reference_items_are_not_for_loan():
    who = reader()
    here = branch()
    item = copy(branch=here, item_type=ItemType.REFERENCE)
    with pytest.raises(CirculationRefused) as err:
        loan_checkout(actor=None, branch=here, card=card_of(who), barcode=item.barcode)
    assert err.value.code == "not_for_loan"
    nothing_lent(who)


def test_checkout_at_a_venue_that_is_not_a_library_is_refused():
    who = reader()
    gym = branch(kind="gym")
    item = copy(branch=gym)
    with pytest.raises(CirculationRefused) as err:
        loan_checkout(actor=None, branch=gym, card=card_of(who), barcode=item.barcode)
    assert err.value.code == "not_lendable_branch"
    nothing_lent(who)


def test_loan_rules_come_from_the_settings_unless_a_row_overrides_them(settings):
    settings.CULTURE_LIBRARY_LOAN_LIMIT = 6
    settings.CULTURE_LIBRARY_LOAN_DAYS = 21
    assert loan_rule("child", ItemType.BOOK).loan_limit == 6
    assert loan_rule("child", ItemType.BOOK).loan_days == 21
    LoanRule.objects.create(
        reader_category="child",
        item_type=ItemType.CHILDREN,
        loan_limit=3,
        loan_days=14,
        renewals=0,
        hold_expiry_days=5,
    )
    assert loan_rule("child", ItemType.CHILDREN).loan_limit == 3
    assert loan_rule("adult", ItemType.CHILDREN).loan_limit == 6


# ----- the due date skips closed days -----------------------------------------------------
def _seven_day_rule() -> None:
    LoanRule.objects.create(
        reader_category="adult",
        item_type=ItemType.BOOK,
        loan_limit=10,
        loan_days=7,
        renewals=1,
        hold_expiry_days=3,
    )


def test_the_due_date_moves_past_a_weekly_closing_day():
    _seven_day_rule()
    here = branch(opening_hours="Tu-Su 09:00-17:00")  # closed on Mondays
    item = copy(branch=here)
    # Monday 8 June 2026 + 7 days = Monday 15 June, closed: due Tuesday 16 June.
    loan = loan_checkout(
        actor=None, branch=here, card=card_of(reader()), barcode=item.barcode, now=local(2026, 6, 8)
    )
    assert loan.due_on == date(2026, 6, 16)


def test_the_due_date_moves_past_a_public_holiday_when_the_branch_closes_on_holidays():
    _seven_day_rule()
    here = branch(opening_hours="Mo-Su 09:00-17:00; PH off")
    item = copy(branch=here)
    # 24 September 2026 + 7 days = 1 October (National Day), closed: due 2 October.
    loan = loan_checkout(
        actor=None,
        branch=here,
        card=card_of(reader()),
        barcode=item.barcode,
        now=local(2026, 9, 24),
    )
    assert loan.due_on == date(2026, 10, 2)
