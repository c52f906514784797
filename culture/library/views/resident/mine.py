"""The reader's own library: loans (due dates, renewing), orders (一键借阅, cancelling while
placed) and holds (place in the queue, cancelling), and the history of returned loans."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from culture.core.errors import ServiceError
from culture.library.errors import CirculationRefused
from culture.library.models import (
    ACTIVE_DELIVERY,
    DeliveryOrder,
    DeliveryStatus,
    Hold,
    HoldStatus,
    Loan,
    Reader,
)
from culture.library.selectors import (
    reader_deliveries,
    reader_history,
    reader_holds,
    reader_loans,
    reader_own,
)
from culture.library.services import delivery_cancel, hold_cancel, loan_renew, loan_rule
from culture.library.views.resident.common import (
    hold_rank,
    hold_ranks,
    reader_of,
    resident_of,
    show_refusal,
)

MAX_HISTORY = 100


def _renewals(reader: Reader, item_type: str, known: dict[str, int]) -> int:
    """The renewals the rule allows (one look-up per item type; 0 for items not for loan)."""
    if item_type not in known:
        try:
            known[item_type] = loan_rule(reader.category, item_type).renewals
        except CirculationRefused:
            known[item_type] = 0
    return known[item_type]


def _loans(reader: Reader | None) -> list[dict[str, Any]]:
    if reader is None:
        return []
    today = timezone.localdate()
    known: dict[str, int] = {}
    rows = []
    for loan in reader_loans(reader, open=True):
        renewals = _renewals(reader, loan.copy.item_type, known)
        rows.append(
            {
                "loan": loan,
                "overdue_days": max((today - loan.due_on).days, 0),
                "days_left": (loan.due_on - today).days,
                "renewals": renewals,
                "can_renew": loan.renewals_used < renewals and loan.due_on >= today,
            }
        )
    return rows


def _orders(reader: Reader | None) -> list[DeliveryOrder]:
    if reader is None:
        return []
    return list(reader_deliveries(reader, active=True))


def _holds(reader: Reader | None) -> list[tuple[Hold, int | None]]:
    if reader is None:
        return []
    holds = list(reader_holds(reader))
    ranks = hold_ranks(holds)
    return [(h, ranks.get(h.pk)) for h in holds]


@never_cache
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    reader = reader_of(request.user)
    return render(
        request,
        "library/mine.html",
        {
            "nav": "library",
            "tab": "mine",
            "is_resident": resident_of(request.user) is not None,
            "reader": reader,
            "loans": _loans(reader),
            "orders": _orders(reader),
            "holds": _holds(reader),
        },
    )


@never_cache
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    reader = reader_of(request.user)
    loans: list[Loan] = []
    orders: list[DeliveryOrder] = []
    if reader is not None:
        loans = list(reader_history(reader)[:MAX_HISTORY])
        orders = list(
            reader_deliveries(reader, active=False).filter(status=DeliveryStatus.CANCELLED)[
                :MAX_HISTORY
            ]
        )
    return render(
        request,
        "library/history.html",
        {
            "nav": "library",
            "tab": "history",
            "is_resident": resident_of(request.user) is not None,
            "loans": loans,
            "cancelled": orders,
        },
    )


@require_POST
def loan_renew_view(request: HttpRequest, loan_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("library:mine"))
    loan = reader_own(Loan, user=request.user, pk=loan_id)
    try:
        renewed = loan_renew(reader=loan.reader, loan=loan)
    except ServiceError as exc:
        show_refusal(request, exc)
        return redirect("library:mine")
    messages.success(
        request,
        _("续借成功！《%(t)s》新的应还日期是 %(d)s。")
        % {"t": renewed.copy.title.title, "d": renewed.due_on.isoformat()},
    )
    return redirect("library:mine")


@never_cache
@require_http_methods(["GET", "POST"])
def hold_cancel_view(request: HttpRequest, hold_id: int) -> HttpResponse:
    """GET: the confirm step; POST: cancel through the service."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    hold = reader_own(Hold, user=request.user, pk=hold_id)
    if request.method == "GET":
        active = hold.status in (HoldStatus.WAITING, HoldStatus.READY)
        return render(
            request,
            "library/cancel.html",
            {
                "nav": "library",
                "tab": "mine",
                "what": "hold",
                "item": hold,
                "rank": hold_rank(hold) if hold.status == HoldStatus.WAITING else None,
                "allowed": active,
                "reason": "" if active else _("这条预约已结束，不用再取消"),
            },
        )
    try:
        hold_cancel(reader=hold.reader, hold=hold)
    except ServiceError as exc:
        show_refusal(request, exc)
        return redirect("library:mine")
    messages.success(request, _("已取消《%(t)s》的预约。") % {"t": hold.title.title})
    return redirect("library:mine")


@never_cache
@require_http_methods(["GET", "POST"])
def order_cancel_view(request: HttpRequest, order_id: int) -> HttpResponse:
    """GET: the confirm step; POST: cancel through the service (only while placed)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    order = reader_own(DeliveryOrder, user=request.user, pk=order_id)
    if request.method == "GET":
        return render(
            request,
            "library/cancel.html",
            {
                "nav": "library",
                "tab": "mine",
                "what": "order",
                "item": order,
                "allowed": order.status == DeliveryStatus.PLACED,
                "reason": order_cancel_reason(order),
            },
        )
    try:
        delivery_cancel(actor=request.user, order=order, reason=_("读者本人取消"))
    except ServiceError as exc:
        show_refusal(request, exc)
        return redirect("library:mine")
    messages.success(request, _("已取消《%(t)s》的借阅订单。") % {"t": order.title.title})
    return redirect("library:mine")


def order_cancel_reason(order: DeliveryOrder) -> str:
    """Why the reader cannot cancel ``order`` on line ("" while it is only placed)."""
    if order.status == DeliveryStatus.PLACED:
        return ""
    if order.status in ACTIVE_DELIVERY:
        return _("图书馆已在为您备书或配送，网上不能再取消；不需要了可以不取，或联系取书的图书馆。")
    return _("这条订单已结束，不用再取消")
