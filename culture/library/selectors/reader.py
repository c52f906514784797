"""A reader's own circulation: loans (open or returned), holds, delivery orders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from culture.core.errors import NotFound
from culture.library.models import (
    ACTIVE_DELIVERY,
    DeliveryOrder,
    Hold,
    HoldStatus,
    Loan,
    Reader,
    Title,
)

Own = TypeVar("Own", Loan, Hold, DeliveryOrder)
NOT_YOURS = {
    Loan: _("没有找到您的这条借阅记录"),
    Hold: _("没有找到您的这条预约"),
    DeliveryOrder: _("没有找到您的这张借阅单"),
}


@dataclass(frozen=True)
class ReaderTitle:
    """Where ``reader`` stands with one title: their active order, their hold in force (waiting
    or ready), their open loan of a copy of it (the soonest due); None for each they have not."""

    order: DeliveryOrder | None
    hold: Hold | None
    loan: Loan | None


def reader_title(reader: Reader | None, title: Title) -> ReaderTitle:
    """``reader``'s order, hold and loan of ``title`` (all None without a reader)."""
    if reader is None:
        return ReaderTitle(order=None, hold=None, loan=None)
    return ReaderTitle(
        order=DeliveryOrder.objects.select_related("pickup_branch")
        .filter(reader=reader, title=title, status__in=ACTIVE_DELIVERY)
        .first(),
        hold=Hold.objects.select_related("pickup_branch")
        .filter(reader=reader, title=title, status__in=[HoldStatus.WAITING, HoldStatus.READY])
        .first(),
        loan=Loan.objects.filter(reader=reader, copy__title=title, returned_at__isnull=True)
        .order_by("due_on")
        .first(),
    )


def reader_of(user: Any) -> Reader | None:
    """The signed-in ``user``'s reader record when there is one (a read: only borrowing or a hold
    creates it)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Reader.objects.filter(resident__user_id=user.pk).first()


def reader_own(model: type[Own], *, user: Any, pk: int) -> Own:
    """The signed-in ``user``'s own loan, hold or delivery order ``pk`` (with its reader and
    title); NotFound for anybody else's or an unknown id alike, so ids cannot be probed."""
    found = None
    if user is not None and getattr(user, "is_authenticated", False):
        found = (
            model.objects.select_related("reader__resident__user")
            .filter(pk=pk, reader__resident__user_id=user.pk)
            .first()
        )
    if found is None:
        raise NotFound(NOT_YOURS[model])
    return found


def reader_loans(reader: Reader, *, open: bool = True) -> QuerySet[Loan]:  # noqa: A002
    """``open``: the reader's loans not yet returned, soonest due first; else the returned
    ones, last returned first."""
    qs = Loan.objects.filter(reader=reader).select_related(
        "copy__title", "out_branch", "return_branch"
    )
    if open:
        return qs.filter(returned_at__isnull=True).order_by("due_on", "pk")
    return qs.filter(returned_at__isnull=False).order_by("-returned_at", "-pk")


def reader_history(reader: Reader) -> QuerySet[Loan]:
    """Everything the reader has borrowed and returned, last returned first."""
    return reader_loans(reader, open=False)


def reader_holds(reader: Reader) -> QuerySet[Hold]:
    """The reader's holds still in force: ready to collect first (soonest expiry), then those
    waiting (oldest first)."""
    return (
        Hold.objects.filter(reader=reader, status__in=[HoldStatus.READY, HoldStatus.WAITING])
        .select_related("title", "pickup_branch", "copy")
        .annotate(
            ready_first=Case(
                When(status=HoldStatus.READY, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("ready_first", "expires_on", "created_at", "pk")
    )


def reader_deliveries(reader: Reader, *, active: bool | None = None) -> QuerySet[DeliveryOrder]:
    """The reader's delivery orders (一键借阅): the active ones first, then collected and
    cancelled ones, newest first in each. ``active`` True/False keeps only those."""
    qs = DeliveryOrder.objects.filter(reader=reader).select_related(
        "title", "copy", "from_branch", "pickup_branch", "loan"
    )
    if active is True:
        qs = qs.filter(status__in=ACTIVE_DELIVERY)
    elif active is False:
        qs = qs.exclude(status__in=ACTIVE_DELIVERY)
    return qs.annotate(
        active_first=Case(
            When(status__in=ACTIVE_DELIVERY, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("active_first", "-placed_at", "-pk")
