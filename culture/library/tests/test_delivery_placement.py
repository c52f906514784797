"""What one-click borrowing tells its callers before and after placing: ``delivery_refusal`` (why
a reader cannot order now, read without changing anything) and ``delivery_placement`` (whether
the order is new or the one placed before)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from culture.library.models import DeliveryOrder
from culture.library.services import (
    delivery_place,
    delivery_placement,
    delivery_refusal,
    loan_rule_set,
)
from culture.library.tests.factories import branch, copy, reader, title
from culture.library.tests.helpers import counted, local

pytestmark = pytest.mark.django_db


def test_a_second_placement_says_it_is_the_order_placed_before():
    here = branch()
    book = title(title="活着")
    copy(title=book, branch=here)
    copy(title=book, branch=here)
    who = reader()
    first = delivery_placement(reader=who, title=book, pickup_branch=here, now=local(2026, 5, 4))
    again = delivery_placement(reader=who, title=book, pickup_branch=here, now=local(2026, 5, 5))
    assert (first.created, again.created) == (True, False)
    assert again.order.pk == first.order.pk
    assert again.order.placed_at == local(2026, 5, 4)
    assert counted(who) == 1 and DeliveryOrder.objects.count() == 1


def test_the_refusal_up_front_is_the_limit_of_the_titles_rule_or_a_suspension():
    here = branch()
    book, other = title(), title()
    copy(title=book, branch=here)
    copy(title=other, branch=here)
    loan_rule_set(actor=None, reader_category="adult", item_type="book", loan_limit=1,
                  loan_days=30, renewals=1, hold_expiry_days=7)  # fmt: skip
    who = reader()
    assert delivery_refusal(reader=who, title=book) is None
    delivery_place(reader=who, title=other, pickup_branch=here)
    who.refresh_from_db()
    at_limit = delivery_refusal(reader=who, title=book)
    assert at_limit is not None and at_limit.code == "limit"
    assert "已借 1 册，达到可借上限 1 册" in str(at_limit.message)
    assert counted(who) == 1  # nothing changed by asking
    who.blocked_until = timezone.localdate() + timedelta(days=3)
    who.save(update_fields=["blocked_until"])
    suspended = delivery_refusal(reader=who, title=book)
    assert suspended is not None and suspended.code == "suspended"
    who.blocked_until = timezone.localdate() - timedelta(days=1)  # ended yesterday
    who.save(update_fields=["blocked_until"])
    again = delivery_refusal(reader=who, title=book)
    assert again is not None and again.code == "limit"
