"""One-click borrowing (一键借阅): a reader orders a title online, to collect at a branch or
bookroom of their choice or delivered home; staff move the order along (delivery_steps.py).

From the moment an order is placed, one lendable copy is set aside for it (RESERVED) and it
counts against the reader's loan limit (``Reader.open_loans`` counts open loans and active
orders, moved under the reader lock by the conditional UPDATE in lending.py). Database backing:
one active order per reader and title, one per copy (partial unique indexes). Locks: placing
locks the reader, then takes a copy with SKIP LOCKED (it never waits for a copy, so it cannot
deadlock with a checkout, which locks the copy, then the reader); cancelling and the steps lock
the copy, then the reader, then the order. A copy freed by a cancelled order goes to the first
waiting hold for its title, if any.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.accounts.notifications import notify
from culture.core.audit import audit_record
from culture.core.errors import OutOfScope, ValidationFailed
from culture.library.errors import CirculationRefused
from culture.library.models import (
    ACTIVE_DELIVERY,
    Copy,
    CopyStatus,
    DeliveryOrder,
    DeliveryStatus,
    Hold,
    HoldStatus,
    ItemType,
    Reader,
    Title,
)
from culture.library.services.common import (
    actor_of,
    now_or,
    require_desk_staff,
    require_open_branch,
)
from culture.library.services.holds import copy_back_on_shelf
from culture.library.services.lending import (
    limit_give_back,
    limit_reached,
    limit_take,
    reader_locked,
)
from culture.library.services.readers import check_not_suspended
from culture.library.services.rules import loan_rule
from culture.venues.models import Venue, VenueStatus

MAX_ADDRESS = 255
MAX_REASON = 200


def active_order(reader: Reader, title: Title) -> DeliveryOrder | None:
    return DeliveryOrder.objects.filter(
        reader=reader, title=title, status__in=ACTIVE_DELIVERY
    ).first()


def collect_branch(order: DeliveryOrder) -> Venue:
    """Where the reader collects (or the branch that delivers home)."""
    branch = order.from_branch if order.to_home else order.pickup_branch
    assert branch is not None  # the check constraint and delivery_place guarantee it
    return branch


def _check_destination(pickup_branch: Venue | None, to_home: bool, address: str) -> None:
    if to_home:
        if not settings.CULTURE_LIBRARY_HOME_DELIVERY:
            raise CirculationRefused(
                _("本馆暂未开通送书到家服务，请选择到馆取书"), code="home_delivery_off"
            )
        if not address:
            raise CirculationRefused(
                _("送书到家需要填写收件地址"), code="no_address", field="address"
            )
        if len(address) > MAX_ADDRESS:
            raise ValidationFailed(
                _("收件地址不能超过 %(n)d 个字") % {"n": MAX_ADDRESS}, field="address"
            )
        return
    if pickup_branch is None:
        raise ValidationFailed(_("请选择取书的图书馆或分馆"), field="pickup_branch")
    require_open_branch(pickup_branch)


def _set_aside(title: Title, near: Venue | None) -> Copy | None:
    """One lendable copy on the shelf of a branch that is not closed, locked (others being
    taken are skipped): preferably one standing at ``near``, else any branch's (oldest
    first)."""
    qs = (
        Copy.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("current_branch__operator_unit", "title")
        .filter(title=title, status=CopyStatus.AVAILABLE)
        .exclude(item_type=ItemType.REFERENCE)
        .exclude(current_branch__status=VenueStatus.CLOSED)
    )
    if near is not None:
        qs = qs.annotate(
            here=Case(
                When(current_branch=near, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("here", "pk")
    else:
        qs = qs.order_by("pk")
    return qs.first()


def _kept_for_you(title: Title) -> CirculationRefused:
    return CirculationRefused(
        _("您预约的《%(t)s》已有图书为您保留或正在调来，请等候取书通知") % {"t": title.title},
        code="duplicate_hold",
    )


def _own_hold(reader: Reader, title: Title) -> Hold | None:
    """The reader's own waiting hold for ``title``, which the order will serve; refused when a
    copy is already kept for it or on its way to it."""
    hold = Hold.objects.filter(
        reader=reader, title=title, status__in=[HoldStatus.WAITING, HoldStatus.READY]
    ).first()
    if hold is not None and (hold.status == HoldStatus.READY or hold.copy_id is not None):
        raise _kept_for_you(title)
    return hold


def _serve_hold(hold: Hold, copy: Copy) -> None:
    """The order serves the reader's waiting hold: it leaves the queue as collected (like a
    desk checkout of the title). Conditional, so a copy given to the hold meanwhile by a return
    refuses the order instead (everything rolled back)."""
    served = Hold.objects.filter(pk=hold.pk, status=HoldStatus.WAITING, copy__isnull=True).update(
        status=HoldStatus.COLLECTED, position=None, copy=copy, updated_at=timezone.now()
    )
    if not served:
        raise _kept_for_you(hold.title)


@dataclass(frozen=True)
class Placement:
    """What ``delivery_placement`` did: ``created`` False when ``order`` is the reader's active
    order of the title placed before (a second submit: nothing changed)."""

    order: DeliveryOrder
    created: bool


def delivery_refusal(
    *, reader: Reader, title: Title, today: date | None = None
) -> CirculationRefused | None:
    """Why ``reader`` cannot order ``title`` now because of their account ("suspended", or
    "limit": as many items out as their rule allows), read without changing anything, so a
    page can say it before the reader fills in the form. The checks are the services' own
    (``check_not_suspended``, the rule of the title's lendable copies, ``limit_reached``);
    ``delivery_place`` makes them again under the reader lock."""
    today = today or timezone.localdate()
    try:
        check_not_suspended(reader, today)
    except CirculationRefused as exc:
        return exc
    item_type = (
        Copy.objects.filter(title=title)
        .exclude(item_type=ItemType.REFERENCE)
        .order_by("pk")
        .values_list("item_type", flat=True)
        .first()
    )
    rule = loan_rule(reader.category, item_type or ItemType.BOOK)
    if reader.open_loans >= rule.loan_limit:
        return limit_reached(reader=reader, rule=rule)
    return None


def delivery_place(
    *,
    reader: Reader,
    title: Title,
    pickup_branch: Venue | None,
    to_home: bool = False,
    address: str = "",
    now: datetime | None = None,
) -> DeliveryOrder:
    """Order ``title`` for ``reader`` (``delivery_placement``): the new order, or the active
    order of the title placed before."""
    return delivery_placement(
        reader=reader,
        title=title,
        pickup_branch=pickup_branch,
        to_home=to_home,
        address=address,
        now=now,
    ).order


@transaction.atomic
def delivery_placement(
    *,
    reader: Reader,
    title: Title,
    pickup_branch: Venue | None,
    to_home: bool = False,
    address: str = "",
    now: datetime | None = None,
) -> Placement:
    """Order ``title`` for ``reader``: to collect at ``pickup_branch``, or delivered home to
    ``address``. A copy is set aside at once and the order counts against the loan limit.
    Placing again for the same title answers with the active order (``created`` False,
    nothing changed); the reader's own waiting hold for the title is served by the order
    (collected). Refusals (codes): "none_available" (no copy free anywhere: a hold is the
    way), "limit", "suspended", "not_for_loan", "no_address", "home_delivery_off",
    "not_lendable_branch", "duplicate_hold" (a copy is already kept for the reader's hold of
    the title, or on its way)."""
    now = now_or(now)
    today = timezone.localdate(now)
    address = " ".join((address or "").split())
    if to_home:
        pickup_branch = None
    reader = reader_locked(reader.pk)
    existing = active_order(reader, title)
    if existing is not None:
        return Placement(order=existing, created=False)
    check_not_suspended(reader, today)
    _check_destination(pickup_branch, to_home, address)
    hold = _own_hold(reader, title)
    if not Copy.objects.filter(title=title).exclude(item_type=ItemType.REFERENCE).exists():
        raise CirculationRefused(
            _("《%(t)s》没有可外借的馆藏（工具书仅供馆内阅览）") % {"t": title.title},
            code="not_for_loan",
        )
    copy = _set_aside(title, pickup_branch)
    if copy is None:
        raise CirculationRefused(
            _("《%(t)s》目前各馆都没有在架的可借馆藏，可以预约排队") % {"t": title.title},
            code="none_available",
        )
    rule = loan_rule(reader.category, copy.item_type)
    reader = limit_take(reader=reader, rule=rule, today=today)
    try:
        with transaction.atomic():
            order = DeliveryOrder.objects.create(
                reader=reader,
                title=title,
                copy=copy,
                from_branch=copy.current_branch,
                to_home=to_home,
                address=address if to_home else "",
                pickup_branch=pickup_branch,
                status=DeliveryStatus.PLACED,
                placed_at=now,
                status_at=now,
            )
    except IntegrityError:  # the same title placed at this moment (only with the guard off)
        raise CirculationRefused(
            _("您已下单借阅《%(t)s》，请勿重复提交") % {"t": title.title}, code="duplicate_order"
        ) from None
    copy.status = CopyStatus.RESERVED
    copy.save(update_fields=["status", "updated_at"])
    if hold is not None:
        _serve_hold(hold, copy)
    audit_record(
        actor=reader.resident.user,
        action="library.delivery_placed",
        target=order,
        target_label=copy.barcode,
        org_path=copy.current_branch.operator_unit.path,
        after={
            "title": title.pk,
            "copy": copy.barcode,
            "from": copy.current_branch.code,
            "to": pickup_branch.code if pickup_branch is not None else "home",
        },
    )
    return Placement(order=order, created=True)


def _is_reader(actor: Any, order: DeliveryOrder) -> bool:
    user_id = getattr(actor, "pk", None)
    return user_id is not None and user_id == order.reader.resident.user_id


def _require_staff_of_either(actor: Any, order: DeliveryOrder) -> None:
    """Desk staff of the sending branch or of the pickup branch."""
    branches = [b for b in (order.from_branch, order.pickup_branch) if b is not None]
    refusal: OutOfScope | None = None
    for branch in branches:
        try:
            require_desk_staff(actor, branch)
            return
        except OutOfScope as exc:
            refusal = exc
    if refusal is not None:
        raise refusal


def lock_order(order_id: int) -> tuple[DeliveryOrder, Copy | None]:
    """The order and its copy, locked in the usual order (copy first), read afresh."""
    copy_id = DeliveryOrder.objects.filter(pk=order_id).values_list("copy_id", flat=True).first()
    copy = (
        Copy.objects.select_for_update(of=("self",))
        .select_related("current_branch", "title")
        .filter(pk=copy_id)
        .first()
        if copy_id
        else None
    )
    order = (
        DeliveryOrder.objects.select_for_update(of=("self",))
        .select_related(
            "reader__resident__user",
            "title",
            "from_branch__operator_unit",
            "pickup_branch__operator_unit",
        )
        .get(pk=order_id)
    )
    return order, copy


@transaction.atomic
def delivery_cancel(
    *, actor: Any, order: DeliveryOrder, reason: str, now: datetime | None = None
) -> DeliveryOrder:
    """Cancel an order: the reader (``actor`` their user) while it is still placed; desk staff
    of the sending or the pickup branch at any step before it is collected, giving a reason
    (the reader is told). The copy goes back on the shelf where it stands and the order stops
    counting against the limit. Cancelling a cancelled order changes nothing."""
    now = now_or(now)
    reason = " ".join((reason or "").split())[:MAX_REASON]
    order, copy = lock_order(order.pk)
    if order.status == DeliveryStatus.CANCELLED:
        return order
    if order.status == DeliveryStatus.COLLECTED:
        raise CirculationRefused(_("该借阅单已取书，不能取消；请按期归还"), code="not_active")
    by_reader = _is_reader(actor, order)
    if by_reader and order.status != DeliveryStatus.PLACED:
        raise CirculationRefused(
            _("图书已在配送途中（%(s)s），不能自行取消，请联系%(b)s")
            % {"s": DeliveryStatus(order.status).label, "b": collect_branch(order).name_zh},
            code="too_late",
        )
    if not by_reader:
        _require_staff_of_either(actor, order)
        if not reason:
            raise ValidationFailed(_("工作人员取消借阅单需要填写原因"), field="reason")
    before = order.status
    order.status = DeliveryStatus.CANCELLED
    order.status_at = now
    order.cancel_reason = reason
    order.save(update_fields=["status", "status_at", "cancel_reason", "updated_at"])
    if copy is not None and copy.status == CopyStatus.RESERVED:
        copy_back_on_shelf(copy=copy, now=now)
    limit_give_back(reader_id=order.reader_id)
    if not by_reader:
        notify(
            user=order.reader.resident.user,
            kind="library.delivery_cancelled",
            text=_("您借阅的《%(t)s》已被图书馆取消，原因：%(r)s")
            % {"t": order.title.title, "r": reason},
        )
    audit_record(
        actor=actor_of(actor),
        action="library.delivery_cancelled",
        target=order,
        target_label=order.title.title,
        org_path=collect_branch(order).operator_unit.path,
        before={"status": before},
        after={"status": order.status, "reason": reason},
    )
    return order
