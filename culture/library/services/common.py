"""What the circulation services share: barcodes as scanned, who may work a library desk, the
branch check, and "now"."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.core.errors import NotFound, OutOfScope, ValidationFailed
from culture.core.scope import viewer_scope
from culture.library.errors import CirculationRefused
from culture.library.models import Copy, CopyStatus, Transfer
from culture.venues.access import can_write
from culture.venues.models import LIBRARY_KINDS, Venue, VenueStatus


def now_or(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


def normalise_barcode(raw: Any) -> str:
    """A barcode as scanned, typed or imported (a spreadsheet may hold it as a number):
    full-width characters made half-width (NFKC), spaces at the ends trimmed and inner
    whitespace removed, letters upper-case. The one rule of the desk and the importers."""
    text = unicodedata.normalize("NFKC", str(raw if raw is not None else ""))
    return "".join(text.split()).upper()


def copy_by_barcode(raw: str, *, lock: bool = False) -> Copy:
    barcode = normalise_barcode(raw)
    if not barcode:
        raise ValidationFailed(_("请扫描或输入条码号"), field="barcode")
    qs = Copy.objects.select_related("title", "home_branch", "current_branch")
    if lock:
        qs = qs.select_for_update(of=("self",))
    copy = qs.filter(barcode=barcode).first()
    if copy is None:
        raise NotFound(_("条码号 %(b)s 不是本馆系统中的馆藏") % {"b": barcode}, field="barcode")
    return copy


def require_library_branch(branch: Venue) -> None:
    if branch.kind not in LIBRARY_KINDS:
        raise CirculationRefused(
            _("%(name)s 不是图书馆或分馆，不能办理借还") % {"name": branch.name_zh},
            code="not_lendable_branch",
        )


def require_open_branch(branch: Venue) -> None:
    """A library branch that books can be sent to or collected at: of a library kind and not
    closed."""
    require_library_branch(branch)
    if branch.status == VenueStatus.CLOSED:
        raise CirculationRefused(
            _("%(name)s 已关闭，不能作为取书或调入的馆") % {"name": branch.name_zh},
            code="not_lendable_branch",
        )


def require_desk_staff(actor: Any, branch: Venue) -> None:
    """Staff who may work ``branch``'s desk: those who may write the venue (its managers and
    staff of its operator unit). ``actor`` None is the system (commands, tasks)."""
    require_library_branch(branch)
    if actor is None:
        return
    if getattr(actor, "is_authenticated", False) and can_write(actor, branch):
        return
    scope = viewer_scope(actor)
    if scope.is_read_only and scope.is_staff_user:
        raise OutOfScope(_("您的角色只能查看，不能办理借还"))
    raise OutOfScope(_("%(name)s 不在您的管辖范围内，不能办理借还") % {"name": branch.name_zh})


def actor_of(actor: Any) -> Any:
    return actor if actor is not None else "system"


def transfer_send(*, copy: Copy, to_branch: Venue, reason: str, now: datetime) -> Transfer:
    """Send ``copy`` from where it stands to ``to_branch``: in transit until received."""
    copy.status = CopyStatus.IN_TRANSIT
    copy.save(update_fields=["status", "updated_at"])
    return Transfer.objects.create(
        copy=copy, from_branch=copy.current_branch, to_branch=to_branch, reason=reason, sent_at=now
    )
