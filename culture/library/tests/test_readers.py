"""Readers: the card's birth date gives the category (so the loan rules per category apply
without any registration), and library staff set what the card cannot tell (残障读者, a
suspension), with a reason, in the audit log."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from culture.accounts.services import resident_register
from culture.accounts.tests.factories import PASSWORD, staff_user
from culture.core.errors import OutOfScope, ValidationFailed
from culture.core.models import AuditEntry
from culture.core.roles import Role
from culture.library.errors import CirculationRefused
from culture.library.models import ItemType, LoanRule, Reader
from culture.library.services import age_category, loan_checkout, reader_for_card, reader_update
from culture.library.tests.factories import born_id_number, branch, card_of, copy, reader

pytestmark = pytest.mark.django_db


def test_age_category_at_its_edges(settings):
    settings.CULTURE_LIBRARY_CHILD_UNDER = 14
    settings.CULTURE_LIBRARY_ELDERLY_FROM = 60
    number = born_id_number(date(2012, 6, 15), 1)
    assert age_category(number, date(2026, 6, 14)) == "child"  # 13 the day before
    assert age_category(number, date(2026, 6, 15)) == "adult"  # 14 on the birthday
    elder = born_id_number(date(1966, 6, 15), 2)
    assert age_category(elder, date(2026, 6, 14)) == "adult"  # 59
    assert age_category(elder, date(2026, 6, 15)) == "elderly"  # 60


def _resident(born: date, n: int) -> str:
    number = born_id_number(born, n)
    resident_register(actor=None, name=f"读者{n}", phone=f"1370000{n:04d}", password=PASSWORD,
                      id_number=number)  # fmt: skip
    return number


def test_the_card_makes_a_child_reader_and_the_childrens_rule_applies():
    today = timezone.localdate()
    card = _resident(date(today.year - 9, 1, 1), 11)
    LoanRule.objects.create(reader_category="child", item_type=ItemType.BOOK, loan_limit=2,
                            loan_days=14, renewals=0, hold_expiry_days=3)  # fmt: skip
    here = branch()
    items = [copy(branch=here) for _ in range(3)]
    for item in items[:2]:
        loan = loan_checkout(actor=None, branch=here, card=card, barcode=item.barcode)
        assert loan.due_on >= today + timedelta(days=14)
    with pytest.raises(CirculationRefused) as err:
        loan_checkout(actor=None, branch=here, card=card, barcode=items[2].barcode)
    assert err.value.code == "limit"
    assert Reader.objects.get().category == "child"


def test_the_category_follows_the_birthday_and_keeps_a_disabled_reader(settings):
    settings.CULTURE_LIBRARY_ELDERLY_FROM = 60
    today = timezone.localdate()
    card = _resident(date(today.year - 61, 1, 1), 12)
    made = reader_for_card(card=card)
    assert made.category == "elderly"
    Reader.objects.filter(pk=made.pk).update(category="adult")  # e.g. bulk-imported readers
    assert reader_for_card(card=card).category == "elderly"
    Reader.objects.filter(pk=made.pk).update(category="disabled")
    assert reader_for_card(card=card).category == "disabled"


def test_staff_set_disabled_and_suspend_with_a_reason_in_the_audit_log(tree):
    here = branch(operator=tree["c11"])
    desk = staff_user(Role.COMMUNITY_WORKER, tree["c11"])
    who = reader()
    with pytest.raises(ValidationFailed) as err:
        reader_update(actor=desk, reader=who, branch=here, category="disabled", reason="  ")
    assert err.value.field == "reason"
    with pytest.raises(OutOfScope):
        reader_update(actor=staff_user(Role.COMMUNITY_WORKER, tree["c21"]), reader=who,
                      branch=here, category="disabled", reason="残疾人证")  # fmt: skip
    assert Reader.objects.get(pk=who.pk).category == "adult"

    until = timezone.localdate() + timedelta(days=10)
    reader_update(actor=desk, reader=who, branch=here, category="disabled",
                  blocked_until=until, reason="残疾人证；逾期未还暂停")  # fmt: skip
    who.refresh_from_db()
    assert (who.category, who.blocked_until) == ("disabled", until)
    entry = AuditEntry.objects.filter(action="library.reader_update").get()
    assert entry.after["reason"] == "残疾人证；逾期未还暂停"
    with pytest.raises(CirculationRefused) as refused:
        loan_checkout(actor=desk, branch=here, card=card_of(who), barcode=copy(branch=here).barcode)
    assert refused.value.code == "suspended"

    # lifted, and back to the category the birth date gives
    reader_update(actor=desk, reader=who, branch=here, category="child", blocked_until=None,
                  reason="证件有误，已核实")  # fmt: skip
    who.refresh_from_db()
    assert (who.category, who.blocked_until) == ("adult", None)
    loan_checkout(actor=desk, branch=here, card=card_of(who), barcode=copy(branch=here).barcode)
