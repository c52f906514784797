"""Copies sent between branches by staff (调拨: rebalancing, a circulation to the grassroots),
and the district library's batches of books to the grassroots (送书下基层, counted by S45).

A transfer leaves a copy IN_TRANSIT until ``transfer_receive`` at the destination; one open
transfer per copy (partial unique index).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.activities.models import Activity
from culture.activities.services import activity_create
from culture.core.audit import audit_record
from culture.core.errors import ValidationFailed
from culture.library.errors import CirculationRefused
from culture.library.models import Copy, CopyStatus, Transfer
from culture.library.services.common import (
    actor_of,
    copy_by_barcode,
    normalise_barcode,
    now_or,
    require_desk_staff,
    require_open_branch,
    transfer_send,
)
from culture.org.models import OrgLevel
from culture.venues.models import Venue, VenueKind

MAX_BATCH_BOOKS = 100_000
# The kind of activity a batch of books to the grassroots is recorded as (the S45 calculator
# counts it).
BATCH_KIND = "books_to_grassroots"
MAX_NOTE = 200
# The hour a batch counts from on its day (the activity's start and end).
BATCH_HOUR = time(9, 0)


def _send(*, copy: Copy, branch: Venue, to_branch: Venue, reason: str, now: datetime) -> Transfer:
    """Send ``copy`` (locked) standing at ``branch`` on the shelf to ``to_branch``."""
    if copy.current_branch_id != branch.pk:
        raise CirculationRefused(
            _("条码 %(b)s 的馆藏在%(where)s，不在本馆（%(here)s），不能从此发出")
            % {"b": copy.barcode, "where": copy.current_branch.name_zh, "here": branch.name_zh},
            code="not_here",
        )
    if copy.status != CopyStatus.AVAILABLE:
        raise CirculationRefused(
            _("条码 %(b)s 当前状态为“%(s)s”，只有在架的馆藏可以调拨")
            % {"b": copy.barcode, "s": CopyStatus(copy.status).label},
            code="not_available",
        )
    try:
        with transaction.atomic():
            return transfer_send(copy=copy, to_branch=to_branch, reason=reason, now=now)
    except IntegrityError:  # one open transfer per copy
        raise CirculationRefused(
            _("条码 %(b)s 已在调拨途中") % {"b": copy.barcode}, code="not_available"
        ) from None


def _check_destination(branch: Venue, to_branch: Venue) -> None:
    require_open_branch(to_branch)
    if to_branch.pk == branch.pk:
        raise ValidationFailed(_("调入馆不能是本馆"), field="to_branch")


@transaction.atomic
def transfer_create(
    *,
    actor: Any,
    branch: Venue,
    barcode: str,
    to_branch: Venue,
    reason: str = "rebalance",
    now: datetime | None = None,
) -> Transfer:
    """Staff of ``branch`` send the copy ``barcode`` standing on its shelf to ``to_branch``:
    in transit until received there. Refusals: "not_here", "not_available",
    "not_lendable_branch"."""
    now = now_or(now)
    require_desk_staff(actor, branch)
    _check_destination(branch, to_branch)
    reason = (reason or "rebalance").strip()[:32]
    copy = copy_by_barcode(barcode, lock=True)
    transfer = _send(copy=copy, branch=branch, to_branch=to_branch, reason=reason, now=now)
    audit_record(
        actor=actor_of(actor),
        action="library.transfer_sent",
        target=transfer,
        target_label=copy.barcode,
        org_path=branch.operator_unit.path,
        after={"to": to_branch.code, "reason": reason},
    )
    return transfer


def district_library() -> Venue:
    """The district library (区图书馆): the library run by the district unit."""
    found = (
        Venue.objects.select_related("operator_unit")
        .filter(kind=VenueKind.LIBRARY, operator_unit__level=OrgLevel.DISTRICT)
        .order_by("pk")
        .first()
    )
    if found is None:
        raise CirculationRefused(
            _("系统中没有区图书馆（由区级单位运营的图书馆），无法登记送书下基层"),
            code="no_district_library",
        )
    return found


def _batch_barcodes(barcodes: list[str] | None, books: int) -> list[str]:
    if isinstance(books, bool) or not isinstance(books, int) or not 1 <= books <= MAX_BATCH_BOOKS:
        raise ValidationFailed(
            _("送书册数应为 1 到 %(n)d 之间的整数") % {"n": MAX_BATCH_BOOKS}, field="books"
        )
    codes = [normalise_barcode(b) for b in barcodes or []]
    codes = [c for c in codes if c]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise ValidationFailed(_("条码重复：%(b)s") % {"b": "、".join(repeated)}, field="barcodes")
    if len(codes) > books:
        raise ValidationFailed(
            _("扫描了 %(n)d 个条码，多于送书册数 %(books)d") % {"n": len(codes), "books": books},
            field="books",
        )
    return codes


@transaction.atomic
def grassroots_batch_record(
    *,
    actor: Any,
    to_branch: Venue,
    sent_on: date,
    books: int,
    barcodes: list[str] | None = None,
    note: str = "",
) -> Activity:
    """The district library sends ``books`` books to ``to_branch`` on ``sent_on`` (送书下基层 /
    a circulation to a branch, standard S45): recorded as an activity of kind
    "books_to_grassroots" organised by the district library's operator unit at ``to_branch``
    (what the S45 calculator counts). With ``barcodes``, each of those copies (on the shelf where
    the actor may work) is also sent to ``to_branch``, reason "grassroots". District-library
    staff only."""
    home = district_library()
    require_desk_staff(actor, home)
    require_open_branch(to_branch)
    if sent_on > timezone.localdate():
        raise ValidationFailed(_("送书日期不能晚于今天"), field="sent_on")
    if to_branch.pk == home.pk:
        raise ValidationFailed(_("送书下基层的接收馆不能是区图书馆本身"), field="to_branch")
    codes = _batch_barcodes(barcodes, books)
    note = " ".join((note or "").split())[:MAX_NOTE]
    start = timezone.make_aware(datetime.combine(sent_on, BATCH_HOUR))
    sent = []
    for code in codes:
        copy = copy_by_barcode(code, lock=True)
        require_desk_staff(actor, copy.current_branch)
        _check_destination(copy.current_branch, to_branch)
        _send(
            copy=copy,
            branch=copy.current_branch,
            to_branch=to_branch,
            reason="grassroots",
            now=start,
        )
        sent.append(copy.barcode)
    # The activity's writer is the district library's desk (checked above), which may be a
    # venue manager without the district's org scope: written as the system, audited below.
    activity = activity_create(
        actor=None,
        external_id=f"library-grassroots-{uuid.uuid4().hex}",
        title=f"送书下基层：{to_branch.name_zh} {books} 册",  # data, stored in Chinese
        kind=BATCH_KIND,
        organiser=home.operator_unit,
        venue=to_branch,
        start_at=start,
        end_at=start,
        attendance=0,
        books_count=books,
        description=note,
    )
    audit_record(
        actor=actor_of(actor),
        action="library.grassroots_batch",
        target=activity,
        target_label=to_branch.name_zh,
        org_path=home.operator_unit.path,
        after={"to": to_branch.code, "books": books, "barcodes": sent, "sent_on": sent_on},
    )
    return activity
