"""Transfers of a branch: copies on their way here (received by scanning their barcode) and on
their way out, and the form to send a copy on the shelf here to another branch."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from culture.core.errors import ServiceError
from culture.library import selectors, services
from culture.library.errors import CirculationRefused
from culture.library.models import CopyStatus, Transfer
from culture.library.views.manage.common import (
    OtherBranchField,
    back,
    branch_context,
    branch_get,
    is_refusal,
    reader_label,
)
from culture.venues.models import Venue

REASONS = {
    "hold": gettext_lazy("预约调拨"),
    "return_home": gettext_lazy("归还原馆"),
    "rebalance": gettext_lazy("馆藏调配"),
    "grassroots": gettext_lazy("送书下基层"),
    "delivery": gettext_lazy("一键借阅"),
}


class SendForm(forms.Form):
    barcode = forms.CharField(label=gettext_lazy("图书条码"), max_length=200)
    to_branch = OtherBranchField(label=gettext_lazy("调往"))

    def __init__(self, *args: Any, branch: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].limit_to(branch)  # type: ignore[attr-defined]


def _open(branch: Venue, *, incoming: bool) -> list[Transfer]:
    rows = selectors.transfers_open(branch, incoming=incoming)
    for t in rows:
        t.reason_label = REASONS.get(t.reason, t.reason)  # type: ignore[attr-defined]
    return rows


def _render(request: HttpRequest, branch: Venue, form: SendForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "library/manage/transfers.html",
        branch_context(
            request,
            branch,
            "transfers",
            incoming=_open(branch, incoming=True),
            outgoing=_open(branch, incoming=False),
            form=form,
        ),
        status=status,
    )


@login_required
@require_GET
def transfers(request: HttpRequest, venue_code: str) -> HttpResponse:
    branch = branch_get(viewer=request.user, code=venue_code)
    return _render(request, branch, SendForm(branch=branch))


@login_required
@require_POST
def transfer_receive(request: HttpRequest, venue_code: str) -> HttpResponse:
    """A copy on its way here arrives: its barcode is scanned. The message says where it goes
    (the shelf, or the hold shelf for a waiting reader); scanning it again says it was received."""
    branch = branch_get(viewer=request.user, code=venue_code, desk=True)
    scan = (request.POST.get("barcode") or "")[:200]
    try:
        transfer = services.transfer_receive(actor=request.user, branch=branch, barcode=scan)
    except CirculationRefused as exc:
        again = (
            selectors.received_today(branch, scan, today=timezone.localdate())
            if exc.code == "not_here"
            else None
        )
        if again is not None:
            messages.info(request, _received(again, again=True))
        else:
            messages.error(request, str(exc.message))
    except ServiceError as exc:
        if not is_refusal(exc):
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _received(transfer))
    return back(request, reverse("library:transfers", args=[branch.code]))


def _received(transfer: Transfer, *, again: bool = False) -> str:
    """What to do with the copy received: the shelf, or the hold shelf for its reader."""
    copy = transfer.copy
    copy.refresh_from_db(fields=["status", "current_branch"])
    hold = selectors.hold_of_copy(copy) if copy.status == CopyStatus.ON_HOLD_SHELF else None
    todo = (
        _("放到预约架（读者 %(who)s）") % {"who": reader_label(hold.reader)}
        if hold is not None
        else _("放回书架")
    )
    head = (
        _("已接收过（%(t)s）") % {"t": timezone.localtime(transfer.received_at).strftime("%H:%M")}
        if again
        else _("已接收")
    )
    return f"{head}：《{copy.title.title}》{copy.barcode} → {todo}"


@login_required
@require_POST
def transfer_send(request: HttpRequest, venue_code: str) -> HttpResponse:
    branch = branch_get(viewer=request.user, code=venue_code, desk=True)
    form = SendForm(request.POST, branch=branch)
    if not form.is_valid():
        return _render(request, branch, form, status=422)
    try:
        transfer = services.transfer_create(
            actor=request.user,
            branch=branch,
            barcode=form.cleaned_data["barcode"],
            to_branch=form.cleaned_data["to_branch"],
        )
    except ServiceError as exc:
        if not is_refusal(exc):
            raise
        form.add_error("barcode" if exc.field in (None, "barcode") else None, str(exc.message))
        return _render(request, branch, form, status=exc.status_code)
    messages.success(
        request,
        _("已发出：《%(t)s》%(b)s → %(to)s")
        % {
            "t": transfer.copy.title.title,
            "b": transfer.copy.barcode,
            "to": transfer.to_branch.name_zh,
        },
    )
    return back(request, reverse("library:transfers", args=[branch.code]))
