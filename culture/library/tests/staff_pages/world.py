"""What the library staff page tests share: the fixed clock, the readers' numbers, and helpers
to sign in, to build a URL, to read a page, to lend and to count what a refusal must leave alone."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.test import Client
from django.urls import reverse

from culture.library.models import Hold, HoldStatus, Loan, Transfer
from culture.library.services import loan_checkout

TZ = ZoneInfo("Asia/Shanghai")


NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=TZ)  # a Wednesday


HOURS = "Mo-Su 08:00-21:00"


PASSWORD = "a-long-resident-password-7"


WANG_ID, WANG_PHONE = "330105199001011233", "13957112345"


LI_ID, LI_PHONE = "330105198503171232", "13857154321"


def as_(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def url(name: str, *args: Any) -> str:
    return reverse(f"library:{name}", args=args)


def text(response) -> str:
    return response.content.decode()


def lend(w, barcode: str, reader: str = "wang", *, days_ago: int = 0) -> Loan:
    card = WANG_ID if reader == "wang" else LI_ID
    return loan_checkout(actor=None, branch=w["branch"], card=card, barcode=barcode,
                         now=NOW.astimezone(dt.UTC) - dt.timedelta(days=days_ago))  # fmt: skip


def counts() -> tuple[int, int, int, int]:
    return (
        Loan.objects.count(),
        Loan.objects.filter(returned_at__isnull=True).count(),
        Transfer.objects.count(),
        Hold.objects.exclude(status=HoldStatus.WAITING).count(),
    )
