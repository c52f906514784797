"""Small helpers the library's service tests share: a local time, a refusal expected with its
code, the loan-limit counter checked against what it counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone

from culture.library.errors import CirculationRefused
from culture.library.models import ACTIVE_DELIVERY, DeliveryOrder, Loan, Reader


def local(y: int, m: int, d: int, hh: int = 10) -> datetime:
    """``hh`` o'clock on that day in the platform's time zone (Hangzhou)."""
    return datetime(y, m, d, hh, tzinfo=timezone.get_current_timezone())


def refused(code: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> CirculationRefused:
    """``call(*args, **kwargs)`` refused with ``code``; the refusal, to look at its message."""
    with pytest.raises(CirculationRefused) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


def counted(who: Reader) -> int:
    """The counter, checked against what it counts: open loans + active orders."""
    value = Reader.objects.get(pk=who.pk).open_loans
    loans = Loan.objects.filter(reader=who, returned_at__isnull=True).count()
    orders = DeliveryOrder.objects.filter(reader=who, status__in=ACTIVE_DELIVERY).count()
    assert value == loans + orders
    return value


def nothing_lent(who: Reader) -> None:
    assert Loan.objects.count() == 0
    assert Reader.objects.get(pk=who.pk).open_loans == 0
