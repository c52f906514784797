"""The circulation desk of a branch: 借出 (scan the reader's card, then the copies' barcodes one
after another) and 归还 (scan the barcode; the answer says where the copy goes now).

Like the booking check-in desk: one input that keeps focus (a scanner types and presses Enter),
a big clear answer, and a second scan of the same thing answers again without changing anything.
The reader chosen by their card travels as a signed token in the form (their record number, not
their card number), so no card number is ever written into the page.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from culture.booking.views.manage.common import hhmm
from culture.core.errors import ServiceError, ValidationFailed
from culture.core.personal import decrypt
from culture.library import selectors, services
from culture.library.errors import CirculationRefused
from culture.library.models import ItemType, Reader
from culture.library.services import ReturnResult
from culture.library.views.manage.common import (
    branch_context,
    branch_get,
    is_refusal,
    reader_label,
)
from culture.venues.models import Venue

MODES = ("checkout", "return")
READER_SALT = "library.desk.reader"
# A reader chosen at the desk stays chosen this long without a scan (a desk left open forgets).
READER_MAX_AGE = timedelta(minutes=30)
SCAN_MAX = 200
CARD_SHAPE = re.compile(r"[0-9]{15}|[0-9]{17}[0-9X]")


def reader_token(reader: Reader, branch: Venue) -> str:
    return signing.dumps({"r": reader.pk, "b": branch.pk}, salt=READER_SALT)


def _reader_from_token(token: str, branch: Venue) -> Reader | None:
    if not token:
        return None
    try:
        data = signing.loads(token, salt=READER_SALT, max_age=READER_MAX_AGE)
    except signing.BadSignature:  # expired or altered: choose the reader again
        return None
    if (
        not isinstance(data, dict)
        or data.get("b") != branch.pk
        or not isinstance(data.get("r"), int)
    ):
        return None
    return selectors.reader_at_desk(data["r"])


def _card_shaped(text: str) -> bool:
    """Typed or scanned like an ID number (15 or 18 digits, the last may be X), valid or not:
    a bad one is told what is wrong with it rather than taken for a barcode."""
    compact = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    return bool(CARD_SHAPE.fullmatch(compact))


def _looks_like_card(text: str) -> bool:
    try:
        services.normalise_card(text)
    except ServiceError:
        return False
    return True


def reader_panel(reader: Reader, branch: Venue, today: Any) -> dict[str, Any]:
    """Who is at the desk: masked name and phone, open loans against the limit (which counts
    the active one-click orders too), the open loans, the active orders and the holds waiting
    for them on this branch's shelf."""
    reader = selectors.reader_at_desk(reader.pk) or reader  # read afresh: the counter moved
    limit = services.loan_rule(reader.category, ItemType.BOOK).loan_limit
    loans = list(selectors.reader_loans(reader, open=True))
    for loan in loans:
        loan.overdue_days = max((today - loan.due_on).days, 0)  # type: ignore[attr-defined]
    orders = list(selectors.reader_deliveries(reader, active=True))
    holds = selectors.reader_holds_here(reader, branch)
    blocked = (
        reader.blocked_until if reader.blocked_until and reader.blocked_until >= today else None
    )
    return {
        "label": reader_label(reader),
        "category": reader.get_category_display(),
        "disabled": reader.category == "disabled",
        "blocked_until_value": reader.blocked_until,
        "open": reader.open_loans,
        "limit": limit,
        "full": reader.open_loans >= limit,
        "blocked_until": blocked,
        "loans": loans,
        "orders": orders,
        "holds": holds,
    }


def _render(
    request: HttpRequest,
    branch: Venue,
    mode: str,
    *,
    result: dict[str, Any] | None = None,
    reader: Reader | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "library/manage/desk.html",
        branch_context(
            request,
            branch,
            "desk",
            mode=mode,
            result=result,
            reader=reader_panel(reader, branch, today) if reader is not None else None,
            reader_token=reader_token(reader, branch) if reader is not None else "",
        ),
        status=status,
    )


@login_required
@require_GET
def desk(request: HttpRequest, venue_code: str) -> HttpResponse:
    branch = branch_get(viewer=request.user, code=venue_code, desk=True)
    mode = request.GET.get("mode", "checkout")
    return _render(request, branch, mode if mode in MODES else "checkout")


def _scan(request: HttpRequest) -> str:
    return (request.POST.get("scan") or "").strip()[:SCAN_MAX]


def _refused(exc: ServiceError, verdict: str) -> tuple[dict[str, Any], int]:
    return {"ok": False, "verdict": verdict, "message": str(exc.message)}, exc.status_code


@login_required
@require_POST
def desk_checkout(request: HttpRequest, venue_code: str) -> HttpResponse:
    """Without a chosen reader the scan is their card; with one it is a copy's barcode (or
    another reader's card, which changes the reader)."""
    branch = branch_get(viewer=request.user, code=venue_code, desk=True)
    reader = _reader_from_token(request.POST.get("reader", ""), branch)
    scan = _scan(request)
    result: dict[str, Any] | None = None
    status = 200
    if not scan:
        result, status = _refused(
            ValidationFailed(_("请扫描读者社保卡或图书条码")), _("没有扫到内容")
        )
    elif reader is None and not _card_shaped(scan):  # a barcode before any card
        result, status = _refused(
            ValidationFailed(_("请先刷读者社保卡，再扫描图书条码")), _("不能识别读者")
        )
    elif reader is None or _looks_like_card(scan):
        try:
            reader = services.reader_for_card(card=scan)
        except ServiceError as exc:
            if not is_refusal(exc):
                raise
            result, status = _refused(exc, _("不能识别读者"))
    else:
        result, status = _checkout(request, branch, reader, scan)
    return _render(request, branch, "checkout", result=result, reader=reader, status=status)


def _checkout(
    request: HttpRequest, branch: Venue, reader: Reader, barcode: str
) -> tuple[dict[str, Any], int]:
    now = timezone.now()
    try:
        loan = services.loan_checkout(
            actor=request.user,
            branch=branch,
            card=decrypt(reader.resident.id_number_enc),
            barcode=barcode,
            now=now,
        )
    except ServiceError as exc:
        if not is_refusal(exc):
            raise
        return _refused(exc, _("不能借出"))
    already = loan.out_at != now  # the same copy scanned again for the same reader
    return {
        "ok": True,
        "already": already,
        "verdict": (_("已借出（%(t)s）") % {"t": hhmm(loan.out_at)} if already else _("借出成功")),
        "title": loan.copy.title.title,
        "barcode": loan.copy.barcode,
        "due_on": loan.due_on,
        "who": reader_label(reader),
    }, 200


@login_required
@require_POST
def desk_return(request: HttpRequest, venue_code: str) -> HttpResponse:
    branch = branch_get(viewer=request.user, code=venue_code, desk=True)
    scan = _scan(request)
    now = timezone.now()
    status = 200
    try:
        returned = services.loan_return(actor=request.user, branch=branch, barcode=scan, now=now)
    except CirculationRefused as exc:
        earlier = (
            selectors.return_seen_today(branch, scan, today=timezone.localdate(now))
            if exc.code == "not_on_loan"
            else None
        )
        if earlier is None:
            result, status = _refused(exc, _("不能归还"))
        else:  # the same barcode scanned again: the first answer again, nothing changed
            result = _return_answer(earlier, already=True)
    except ServiceError as exc:
        if not is_refusal(exc):
            raise
        result, status = _refused(exc, _("不能归还"))
    else:
        result = _return_answer(returned)
    return _render(request, branch, "return", result=result, status=status)


@login_required
@require_POST
def desk_reader(request: HttpRequest, venue_code: str) -> HttpResponse:
    """Set what the card cannot tell about the reader at the desk: 残障读者, and a suspension
    until a date (empty: none), with a reason (services.reader_update, audited)."""
    branch = branch_get(viewer=request.user, code=venue_code, desk=True)
    reader = _reader_from_token(request.POST.get("reader", ""), branch)
    if reader is None:
        result, status = _refused(
            ValidationFailed(_("请先刷读者社保卡，再修改读者设置")), _("不能识别读者")
        )
        return _render(request, branch, "checkout", result=result, status=status)
    raw_until = (request.POST.get("blocked_until") or "").strip()
    try:
        until = date.fromisoformat(raw_until) if raw_until else None
        if until is None and raw_until:
            raise ValueError
        services.reader_update(
            actor=request.user,
            reader=reader,
            branch=branch,
            category="disabled" if request.POST.get("disabled") else "adult",
            blocked_until=until,
            reason=request.POST.get("reason", "")[:200],
        )
    except ValueError:
        result, status = _refused(
            ValidationFailed(_("暂停借阅日期格式不对：%(d)s") % {"d": raw_until[:20]}),
            _("读者设置未保存"),
        )
    except ServiceError as exc:
        if not is_refusal(exc):
            raise
        result, status = _refused(exc, _("读者设置未保存"))
    else:
        result, status = {"ok": True, "verdict": _("读者设置已保存"), "settings": True}, 200
    return _render(request, branch, "checkout", result=result, reader=reader, status=status)


def _return_answer(returned: ReturnResult, *, already: bool = False) -> dict[str, Any]:
    """What to do with the copy now, in the words of the desk."""
    loan, destination, hold = returned.loan, returned.destination, returned.hold
    to_branch = returned.transfer.to_branch if returned.transfer is not None else None
    holder = reader_label(hold.reader) if hold is not None else ""
    if destination == "hold_shelf":
        todo = _("放到预约架（读者 %(who)s）") % {"who": holder}
    elif destination == "hold_transfer" and to_branch is not None:
        todo = _("调拨至 %(to)s（预约读者 %(who)s）") % {"to": to_branch.name_zh, "who": holder}
    elif destination == "home" and to_branch is not None:
        todo = _("调拨至 %(to)s") % {"to": to_branch.name_zh}
    else:
        todo = _("放回书架")
    return {
        "ok": True,
        "already": already,
        "verdict": (
            _("已归还（%(t)s）") % {"t": hhmm(loan.returned_at)} if already else _("归还成功")
        ),
        "todo": todo,
        "destination": destination,
        "title": loan.copy.title.title,
        "barcode": loan.copy.barcode,
        "who": reader_label(loan.reader),
        "overdue_days": returned.overdue_days,
    }
