"""Writing a copy off the stock (馆藏注销): 剔旧 (withdrawn: worn, outdated) or 遗失 (lost). Only
its own branch does it, for a copy on a shelf (not lent, kept for a reader or on its way), with
a reason; the copy leaves the stock S17 counts (the standards are recomputed) and is no longer
lent, ordered or found free. Writing off again answers with the copy and changes nothing."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from culture.core.audit import audit_record
from culture.core.errors import ValidationFailed
from culture.library.errors import CirculationRefused
from culture.library.models import Copy, CopyStatus
from culture.library.services.catalogue import stock_changed
from culture.library.services.common import actor_of, copy_by_barcode, require_desk_staff
from culture.venues.models import Venue

WRITE_OFF = (CopyStatus.WITHDRAWN, CopyStatus.LOST)


@transaction.atomic
def copy_write_off(*, actor: Any, branch: Venue, barcode: str, status: str, reason: str) -> Copy:
    """Write the copy ``barcode`` of ``branch`` off as ``status`` (withdrawn or lost)."""
    require_desk_staff(actor, branch)
    if status not in WRITE_OFF:
        raise ValidationFailed(_("请选择注销方式：剔旧或遗失"), field="status")
    reason = " ".join((reason or "").split())[:200]
    if not reason:
        raise ValidationFailed(_("请填写注销原因"), field="reason")
    copy = copy_by_barcode(barcode, lock=True)
    if copy.home_branch_id != branch.pk:
        raise CirculationRefused(
            _("条码 %(b)s 属于%(home)s，只能由所属馆注销")
            % {"b": copy.barcode, "home": copy.home_branch.name_zh},
            code="not_home",
        )
    if copy.status in WRITE_OFF:
        return copy
    if copy.status != CopyStatus.AVAILABLE:
        raise CirculationRefused(
            _("条码 %(b)s 当前状态为“%(s)s”，请先归还或收回后再注销")
            % {"b": copy.barcode, "s": CopyStatus(copy.status).label},
            code="not_available",
        )
    copy.status = status
    copy.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor_of(actor),
        action="library.copy_written_off",
        target=copy,
        target_label=copy.barcode,
        org_path=branch.operator_unit.path,
        before={"status": CopyStatus.AVAILABLE},
        after={"status": status, "reason": reason},
    )
    stock_changed(None)  # the stock of every year leaves it out (no write-off date is kept)
    return copy
