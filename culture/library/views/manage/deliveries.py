"""The deliveries board of a branch (一键借阅 orders): one column per step, placed / picked /
in transit / ready, and on each order the one button for its next step when this branch does it
(picking asks for the scanned barcode), and cancel with a reason."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from culture.core.errors import NotFound, ServiceError
from culture.library import selectors, services
from culture.library.models import DeliveryOrder, DeliveryStatus
from culture.library.views.manage.common import (
    back,
    branch_context,
    branch_get,
    is_refusal,
    reader_label,
)
from culture.venues.models import Venue

# The columns of the board: the overview's list of each, and the button that moves an order on.
COLUMNS = (
    (DeliveryStatus.PLACED, "to_pick", gettext_lazy("待拣书"), gettext_lazy("拣书")),
    (DeliveryStatus.PICKED, "to_send", gettext_lazy("已拣书，待发出"), gettext_lazy("发出")),
    (DeliveryStatus.IN_TRANSIT, "to_receive", gettext_lazy("配送中，待接收"),
     gettext_lazy("已到馆 / 已送达")),
    (DeliveryStatus.READY, "ready", gettext_lazy("待取 / 待签收"), gettext_lazy("读者已取书")),
)  # fmt: skip


@login_required
@require_GET
def deliveries(request: HttpRequest, venue_code: str) -> HttpResponse:
    """The orders whose next step is this branch's (``selectors.desk_overview``)."""
    branch = branch_get(viewer=request.user, code=venue_code)
    overview = selectors.desk_overview(branch, today=timezone.localdate())
    columns = []
    for status, attr, label, button in COLUMNS:
        orders = getattr(overview, attr)
        for order in orders:
            order.who = reader_label(order.reader)  # type: ignore[attr-defined]
        columns.append({"status": status, "label": label, "button": button, "orders": orders})
    return render(
        request,
        "library/manage/deliveries.html",
        branch_context(
            request, branch, "deliveries", columns=columns, max_rows=selectors.MAX_DESK_ROWS
        ),
    )


def _order_here(
    request: HttpRequest, venue_code: str, order_id: int
) -> tuple[Venue, DeliveryOrder]:
    """An active order sent from or going to the branch, whose desk the user works; else
    403/404."""
    branch = branch_get(viewer=request.user, code=venue_code, desk=True)
    order = selectors.branch_order(branch, order_id)
    if order is None:
        raise NotFound(_("本馆没有这张进行中的借阅配送单"))
    return branch, order


def _step(
    request: HttpRequest,
    venue_code: str,
    order_id: int,
    do: Callable[[DeliveryOrder], DeliveryOrder],
    said: Callable[[DeliveryOrder], str],
) -> HttpResponse:
    """``do`` (a service) to the order of the branch, then back to the board with what was
    done (``said`` of the order as it is now) or the refusal, naming the title."""
    branch, order = _order_here(request, venue_code, order_id)
    try:
        done = do(order)
    except ServiceError as exc:
        if not is_refusal(exc):
            raise
        messages.error(request, f"《{order.title.title}》：{exc.message}")
    else:
        messages.success(request, said(done))
    return back(request, reverse("library:deliveries", args=[branch.code]))


@login_required
@require_POST
def delivery_advance(request: HttpRequest, venue_code: str, order_id: int) -> HttpResponse:
    barcode = request.POST.get("barcode", "")[:200]
    return _step(
        request,
        venue_code,
        order_id,
        lambda order: services.delivery_advance(actor=request.user, order=order, barcode=barcode),
        lambda moved: (
            _("《%(t)s》（%(who)s）：%(s)s")
            % {
                "t": moved.title.title,
                "who": reader_label(moved.reader),
                "s": DeliveryStatus(moved.status).label,
            }
        ),
    )


@login_required
@require_POST
def delivery_cancel(request: HttpRequest, venue_code: str, order_id: int) -> HttpResponse:
    reason = request.POST.get("reason", "")[:200]
    return _step(
        request,
        venue_code,
        order_id,
        lambda order: services.delivery_cancel(actor=request.user, order=order, reason=reason),
        lambda cancelled: (
            _("已取消《%(t)s》（%(who)s）的借阅单，已通知读者")
            % {"t": cancelled.title.title, "who": reader_label(cancelled.reader)}
        ),
    )
