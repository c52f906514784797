"""One title: where its copies are (per branch, nearest to home first), and borrowing it in one
step (pickup at a branch, or delivered home) or, when no copy is free, joining the queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from culture.accounts.models import Resident
from culture.core.errors import NotFound, OutOfScope, ServiceError
from culture.library import selectors
from culture.library.models import (
    HoldStatus,
    Reader,
    Title,
)
from culture.library.selectors import Holding, title_holdings
from culture.library.services import (
    delivery_placement,
    delivery_refusal,
    hold_place,
    reader_for_resident,
)
from culture.library.views.resident.common import (
    Branch,
    branches_near,
    hold_rank,
    home_of,
    login_url,
    reader_of,
    resident_of,
    show_refusal,
)
from culture.venues.models import LIBRARY_KINDS, Venue, VenueStatus

HOME = "home"  # the value of the "where" choice for home delivery
MAX_ADDRESS = 255


@dataclass
class HoldingRow:
    """One branch's copies of the title (``culture.library.selectors.Holding``) with the
    branch's distance from home."""

    branch: Branch
    holding: Holding


def _title(title_id: int) -> Title:
    found = Title.objects.filter(pk=title_id).first()
    if found is None:
        raise NotFound(_("没有找到这本书（书目编号 %(id)d）") % {"id": title_id})
    return found


def _holdings(title: Title, branches: list[Branch]) -> list[HoldingRow]:
    """The title's holdings in the order of ``branches`` (nearest to home first); copies
    standing at a branch not offered (closed) come last, without a distance."""
    by_branch = {h.branch.pk: h for h in title_holdings(title)}
    rows = [HoldingRow(b, by_branch.pop(b.venue.pk)) for b in branches if b.venue.pk in by_branch]
    return rows + [HoldingRow(Branch(h.branch, None), h) for h in by_branch.values()]


# The borrow form shows the nearest few pickup places as big choices and the others in a list.
SHOWN_CHOICES = 4
OTHER = "other"


def _pickup_choices(holdings: list[HoldingRow], branches: list[Branch]) -> list[dict[str, Any]]:
    """Every library branch as a pickup place: those with a free copy first (nearest first),
    then the others (the copy is sent there)."""
    free_here = {h.branch.venue.pk for h in holdings if h.holding.available}
    first = [b for b in branches if b.venue.pk in free_here]
    rest = [b for b in branches if b.venue.pk not in free_here]
    return [{"branch": b, "has_free": b.venue.pk in free_here} for b in first + rest]


def _why_not(reader: Reader | None, title: Title, free: int) -> str:
    """Why the reader cannot borrow (a free copy) or queue for the title now because of their
    account, said instead of the form (``services.delivery_refusal``): at the loan limit stops
    borrowing only, a suspension both (``hold_place`` refuses it too)."""
    refusal = delivery_refusal(reader=reader, title=title) if reader is not None else None
    if refusal is None or (not free and refusal.code != "suspended"):
        return ""
    return str(refusal.message)


def _default_pickup(asked: str, choices: list[dict[str, Any]]) -> str:
    """The place chosen before (``?where=`` after a refusal) if it is still offered, else the
    first choice: the nearest branch with a free copy."""
    codes = [c["branch"].venue.code for c in choices]
    if asked in codes or (asked == HOME and settings.CULTURE_LIBRARY_HOME_DELIVERY):
        return asked
    return codes[0] if codes else ""


@require_GET
def title_page(request: HttpRequest, title_id: int) -> HttpResponse:
    title = _title(title_id)
    home = home_of(request.user)
    branches = branches_near(home)
    holdings = _holdings(title, branches)
    if home is None:  # no distances: the branches with a copy on the shelf first
        holdings.sort(key=lambda h: h.holding.available == 0)
    free = sum(h.holding.available for h in holdings)
    choices = _pickup_choices(holdings, branches)
    due = [h.holding.due_soonest for h in holdings if h.holding.due_soonest]
    resident = resident_of(request.user)
    reader = reader_of(request.user)
    mine = selectors.reader_title(reader, title)
    context = {
        "nav": "library",
        "tab": "search",
        "title": title,
        "holdings": holdings,
        "free": free,
        "lendable": selectors.title_lendable(title),
        "choices": choices,
        "shown_choices": choices[:SHOWN_CHOICES],
        "other_choices": choices[SHOWN_CHOICES:],
        "default_pickup": _default_pickup(request.GET.get("where", ""), choices),
        "home_delivery": settings.CULTURE_LIBRARY_HOME_DELIVERY,
        "queue": selectors.title_queue(title),
        "due_soonest": min(due) if due else None,
        "home": home,
        "is_resident": resident is not None,
        "login_url": login_url(request),
        "back_q": " ".join(request.GET.get("q", "").split())[:100],
        "why_not": _why_not(reader, title, free),
        "my_order": mine.order,
        "my_hold": mine.hold,
        "my_loan": mine.loan,
    }
    return render(request, "library/title.html", context)


def _resident_for_post(request: HttpRequest) -> Resident:
    """The signed-in resident; a staff account without a resident profile is refused (403)."""
    resident = resident_of(request.user)
    if resident is None:
        raise OutOfScope(_("借阅需要居民账号：请用居民账号登录后再借书"))
    return resident


def _branch(code: str) -> Venue | None:
    return Venue.objects.filter(code=code, kind__in=LIBRARY_KINDS, status=VenueStatus.OPEN).first()


@require_POST
def title_borrow(request: HttpRequest, title_id: int) -> HttpResponse:
    page = reverse("library:title", args=[title_id])
    if not request.user.is_authenticated:  # sign in, then back to the title (not the POST URL)
        return redirect_to_login(page)
    resident = _resident_for_post(request)
    title = _title(title_id)
    where = request.POST.get("where", "").strip()
    if where == OTHER:  # one of the places past the nearest few, chosen in the list
        where = request.POST.get("other", "").strip()
    to_home = where == HOME
    pickup = None if to_home else _branch(where)
    if not to_home and pickup is None:
        messages.error(request, _("请选择取书的图书馆或分馆"))
        return redirect(page)
    address = " ".join(request.POST.get("address", "").split())[:MAX_ADDRESS] if to_home else ""
    try:
        with transaction.atomic():  # a refusal leaves no reader record made for it behind
            placed = delivery_placement(
                reader=reader_for_resident(resident=resident),
                title=title,
                pickup_branch=pickup,
                to_home=to_home,
                address=address,
            )
    except ServiceError as exc:
        show_refusal(request, exc)
        return redirect(page + "?" + urlencode({"where": where}))  # the choice kept
    order = placed.order
    if not placed.created:  # submitted again: the order placed before, nothing changed
        messages.info(request, _("您已借阅此书，借阅单进行中"))
    elif order.to_home:
        messages.success(
            request,
            _("借阅成功！《%(t)s》会送到 %(a)s，送到前会通知您。")
            % {"t": title.title, "a": order.address},
        )
    else:
        messages.success(
            request,
            _("借阅成功！《%(t)s》备好后会通知您到 %(b)s 取书。")
            % {
                "t": title.title,
                "b": order.pickup_branch.display_name if order.pickup_branch else "",
            },
        )
    return redirect("library:mine")


@require_POST
def title_hold(request: HttpRequest, title_id: int) -> HttpResponse:
    page = reverse("library:title", args=[title_id])
    if not request.user.is_authenticated:
        return redirect_to_login(page)
    resident = _resident_for_post(request)
    title = _title(title_id)
    pickup = _branch(request.POST.get("pickup", "").strip())
    if pickup is None:
        messages.error(request, _("请选择取书的图书馆或分馆"))
        return redirect(page)
    try:
        with transaction.atomic():  # a refusal leaves no reader record made for it behind
            hold = hold_place(
                reader=reader_for_resident(resident=resident), title=title, pickup_branch=pickup
            )
    except ServiceError as exc:
        show_refusal(request, exc)
        return redirect(page)
    if hold.status == HoldStatus.READY and hold.expires_on is not None:
        messages.success(
            request,
            _("%(b)s 正好有一本，已为您留在预约架上，请于 %(d)s 前凭社保卡取书。")
            % {"b": pickup.display_name, "d": hold.expires_on.isoformat()},
        )
    else:
        messages.success(
            request,
            _("已加入排队，您排第 %(n)d 位。轮到您时书会送到 %(b)s，并通知您取书。")
            % {"n": hold_rank(hold), "b": pickup.display_name},
        )
    return redirect("library:mine")
