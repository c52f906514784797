"""Staff move a delivery order (一键借阅) one step at a time:

placed -> picked       at the sending branch: the copy is taken off the shelf (its barcode is
                       scanned; another copy of the title on the shelf there may be swapped in)
picked -> in_transit   sent (to the pickup branch, or out to the reader's home)
in_transit -> ready    arrived at the pickup branch (or at the door): the reader is told
ready -> collected     the reader collects (signs for it at home): the loan starts now (refused
                       "suspended" when the reader was suspended since placing)

Who: desk staff of the sending branch for picked and in_transit; desk staff of the pickup branch
(the sending branch for home delivery) for ready and collected. The order counted against the
limit when it was placed; collecting it does not count it again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.accounts.notifications import notify
from culture.core.audit import audit_record
from culture.core.errors import ValidationFailed
from culture.library.errors import CirculationRefused
from culture.library.models import Copy, CopyStatus, DeliveryOrder, DeliveryStatus, ItemType
from culture.library.services.common import (
    actor_of,
    copy_by_barcode,
    normalise_barcode,
    now_or,
    require_desk_staff,
)
from culture.library.services.deliveries import collect_branch, lock_order
from culture.library.services.holds import copy_back_on_shelf
from culture.library.services.lending import lend
from culture.library.services.readers import check_not_suspended
from culture.library.services.rules import loan_rule

NEXT = {
    DeliveryStatus.PLACED: DeliveryStatus.PICKED,
    DeliveryStatus.PICKED: DeliveryStatus.IN_TRANSIT,
    DeliveryStatus.IN_TRANSIT: DeliveryStatus.READY,
    DeliveryStatus.READY: DeliveryStatus.COLLECTED,
}


def _swap_in(order: DeliveryOrder, copy: Copy, barcode: str, now: datetime) -> Copy:
    """The copy picked for ``order`` at its sending branch: the reserved one, or another copy
    of the title on the shelf there (it becomes the reserved one; the other goes back)."""
    if not barcode:
        raise ValidationFailed(_("拣书时请扫描图书条码"), field="barcode")
    if normalise_barcode(barcode) == copy.barcode:
        return copy
    other = copy_by_barcode(barcode, lock=True)
    if (
        other.title_id != order.title_id
        or other.current_branch_id != order.from_branch_id
        or other.status != CopyStatus.AVAILABLE
        or other.item_type == ItemType.REFERENCE
    ):
        raise CirculationRefused(
            _("条码 %(b)s 不是本单《%(t)s》预留的图书，也不是本馆在架的同一书目可借馆藏")
            % {"b": other.barcode, "t": order.title.title},
            code="wrong_copy",
        )
    other.status = CopyStatus.RESERVED
    other.save(update_fields=["status", "updated_at"])
    order.copy = other
    order.save(update_fields=["copy", "updated_at"])  # before the old copy may go to a hold
    copy_back_on_shelf(copy=copy, now=now)
    return other


@transaction.atomic
def delivery_advance(
    *, actor: Any, order: DeliveryOrder, barcode: str = "", now: datetime | None = None
) -> DeliveryOrder:
    """Move ``order`` one step on (see the module). A barcode given at a later step must be the
    order's copy. Refusals: "not_active" (collected or cancelled), "wrong_copy"."""
    now = now_or(now)
    order, copy = lock_order(order.pk)
    step = NEXT.get(DeliveryStatus(order.status))
    if step is None or copy is None or order.from_branch is None:
        raise CirculationRefused(
            _("该借阅单已%(s)s，不能再办理") % {"s": DeliveryStatus(order.status).label},
            code="not_active",
        )
    before = order.status
    where = collect_branch(order)
    if step in (DeliveryStatus.PICKED, DeliveryStatus.IN_TRANSIT):
        require_desk_staff(actor, order.from_branch)
    else:
        require_desk_staff(actor, where)
    if step == DeliveryStatus.PICKED:
        copy = _swap_in(order, copy, barcode, now)
    elif barcode and normalise_barcode(barcode) != copy.barcode:
        raise CirculationRefused(
            _("条码 %(b)s 不是本单的图书（应为 %(c)s）")
            % {"b": normalise_barcode(barcode), "c": copy.barcode},
            code="wrong_copy",
        )
    loan = None
    if step == DeliveryStatus.READY and copy.current_branch_id != where.pk:
        copy.current_branch = where
        copy.save(update_fields=["current_branch", "updated_at"])
    elif step == DeliveryStatus.COLLECTED:
        # Suspended since the order was placed (overdue items, a blocked card): the book is
        # not handed over; the order waits, or staff cancel it with the reason.
        check_not_suspended(order.reader, timezone.localdate(now))
        rule = loan_rule(order.reader.category, copy.item_type)
        loan = lend(
            actor=actor,
            copy=copy,
            reader=order.reader,
            branch=where,
            rule=rule,
            now=now,
            audit_after={"delivery": order.pk},
        )
        order.loan = loan
    order.status = step
    order.status_at = now
    order.save(update_fields=["status", "status_at", "copy", "loan", "updated_at"])
    if step == DeliveryStatus.READY:
        _tell_ready(order)
    audit_record(
        actor=actor_of(actor),
        action=f"library.delivery_{step}",
        target=order,
        target_label=copy.barcode,
        org_path=where.operator_unit.path,
        before={"status": before},
        after={"status": step, "copy": copy.barcode},
    )
    return order


def _tell_ready(order: DeliveryOrder) -> None:
    title = order.title.title
    if order.to_home:
        text = _("您借阅的《%(t)s》已送达，请签收（收件地址：%(a)s）") % {
            "t": title,
            "a": order.address,
        }
    else:
        assert order.pickup_branch is not None
        text = _("您借阅的《%(t)s》已到%(b)s，请凭社保卡取书") % {
            "t": title,
            "b": order.pickup_branch.name_zh,
        }
    notify(user=order.reader.resident.user, kind="library.delivery_ready", text=text)
