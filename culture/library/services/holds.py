"""Holds: a reader's place in the queue for a title, filled in queue order as copies come back.

Queue positions are max + 1 taken under the title row's lock and backed by a partial unique
index (title, position) WHERE waiting; one active hold per reader and title by another.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.accounts.notifications import notify
from culture.core.audit import audit_record
from culture.library.errors import CirculationRefused
from culture.library.models import Copy, CopyStatus, Hold, HoldStatus, Reader, Title
from culture.library.services.common import now_or, require_open_branch, transfer_send
from culture.library.services.readers import check_not_suspended
from culture.library.services.rules import loan_rule, next_open_day
from culture.venues.models import Venue


def hold_make_ready(*, hold: Hold, copy: Copy, now: datetime) -> Hold:
    """``copy`` stands at the hold's pickup branch: onto the hold shelf, the hold ready until
    its expiry (hold expiry days, moved past closed days), and the reader told."""
    rule = loan_rule(hold.reader.category, copy.item_type)
    copy.status = CopyStatus.ON_HOLD_SHELF
    copy.save(update_fields=["status", "updated_at"])
    hold.status = HoldStatus.READY
    hold.position = None
    hold.copy = copy
    hold.ready_at = now
    hold.expires_on = next_open_day(
        hold.pickup_branch, timezone.localdate(now) + timedelta(days=rule.hold_expiry_days)
    )
    hold.save(update_fields=["status", "position", "copy", "ready_at", "expires_on", "updated_at"])
    notify(
        user=hold.reader.resident.user,
        kind="library.hold_ready",
        text=_("您预约的《%(t)s》已到%(b)s，请于 %(d)s 前凭社保卡取书")
        % {
            "t": hold.title.title,
            "b": hold.pickup_branch.name_zh,
            "d": hold.expires_on.isoformat(),
        },
    )
    audit_record(
        actor="system",
        action="library.hold_ready",
        target=hold,
        target_label=copy.barcode,
        org_path=hold.pickup_branch.operator_unit.path,
    )
    return hold


def hold_fill_from_return(*, copy: Copy, now: datetime) -> Hold | None:
    """The first waiting hold for the copy's title that has no copy on its way yet (queue
    order), now given ``copy``; None when nobody waits. The caller places the copy."""
    Title.objects.select_for_update().filter(pk=copy.title_id).first()
    hold = (
        Hold.objects.select_related("reader__resident__user", "pickup_branch", "title")
        .filter(title_id=copy.title_id, status=HoldStatus.WAITING, copy__isnull=True)
        .order_by("position")
        .first()
    )
    if hold is None:
        return None
    hold.copy = copy
    hold.save(update_fields=["copy", "updated_at"])
    return hold


@transaction.atomic
def hold_place(
    *, reader: Reader, title: Title, pickup_branch: Venue, now: datetime | None = None
) -> Hold:
    """Queue ``reader`` for ``title`` to collect at ``pickup_branch``. A copy on the shelf at
    that branch is put on the hold shelf at once (ready); otherwise the reader waits, last in
    the queue."""
    now = now_or(now)
    require_open_branch(pickup_branch)
    reader = Reader.objects.select_related("resident__user").get(pk=reader.pk)
    check_not_suspended(reader, timezone.localdate(now))
    Title.objects.select_for_update().filter(pk=title.pk).first()
    if Hold.objects.filter(
        title=title, reader=reader, status__in=[HoldStatus.WAITING, HoldStatus.READY]
    ).exists():
        raise CirculationRefused(
            _("您已预约《%(t)s》，不能重复预约") % {"t": title.title}, code="duplicate_hold"
        )
    lendable = Copy.objects.filter(title=title).exclude(item_type="reference")
    if not lendable.exists():
        raise CirculationRefused(
            _("《%(t)s》没有可外借的馆藏，不能预约") % {"t": title.title}, code="not_for_loan"
        )
    position = (
        Hold.objects.filter(title=title, status=HoldStatus.WAITING).aggregate(m=Max("position"))[
            "m"
        ]
        or 0
    ) + 1
    try:
        with transaction.atomic():
            hold = Hold.objects.create(
                title=title,
                reader=reader,
                pickup_branch=pickup_branch,
                status=HoldStatus.WAITING,
                position=position,
            )
    except IntegrityError:  # the unique indexes: a simultaneous hold by the same reader
        raise CirculationRefused(
            _("您已预约《%(t)s》，不能重复预约") % {"t": title.title}, code="duplicate_hold"
        ) from None
    audit_record(
        actor=reader.resident.user,
        action="library.hold_placed",
        target=hold,
        target_label=title.title,
        org_path=pickup_branch.operator_unit.path,
        after={"position": position},
    )
    copy = (
        lendable.select_for_update(skip_locked=True, of=("self",))
        .filter(current_branch=pickup_branch, status=CopyStatus.AVAILABLE)
        .order_by("pk")
        .first()
    )
    if copy is not None:
        hold.reader = reader
        hold_make_ready(hold=hold, copy=copy, now=now)
    return hold


@transaction.atomic
def hold_cancel(*, reader: Reader, hold: Hold, now: datetime | None = None) -> Hold:
    """The reader gives up a waiting or ready hold; a copy kept for it goes back on the shelf
    (or to the next in the queue, when someone waits)."""
    now = now_or(now)
    released = _release(
        hold.pk,
        HoldStatus.CANCELLED,
        now,
        still=lambda h: (
            h.reader_id == reader.pk and h.status in (HoldStatus.WAITING, HoldStatus.READY)
        ),
    )
    if released is None:
        raise CirculationRefused(_("这不是您当前有效的预约，无法取消"), code="not_found")
    audit_record(
        actor=reader.resident.user,
        action="library.hold_cancelled",
        target=released,
        target_label=released.title.title,
    )
    return released


def _release(
    hold_id: int, status: str, now: datetime, *, still: Callable[[Hold], bool]
) -> Hold | None:
    """End the hold with ``status`` if, read under lock, ``still`` holds for it (else None:
    someone collected, cancelled or expired it meanwhile). Lock order as everywhere: the copy,
    then the hold. A copy waiting for it on the hold shelf passes to the next hold in the queue
    (ready here, or sent to its pickup branch) or goes back on the shelf; a copy still on its
    way stays on its way and is shelved where it arrives."""
    copy_id = Hold.objects.filter(pk=hold_id).values_list("copy_id", flat=True).first()
    copy = Copy.objects.select_for_update().filter(pk=copy_id).first() if copy_id else None
    hold = (
        Hold.objects.select_for_update(of=("self",))
        .select_related("title", "pickup_branch")
        .filter(pk=hold_id)
        .first()
    )
    if hold is None or not still(hold):
        return None
    was_ready = hold.status == HoldStatus.READY
    hold.status = status
    hold.position = None
    hold.save(update_fields=["status", "position", "updated_at"])
    if copy is None or not was_ready or copy.status != CopyStatus.ON_HOLD_SHELF:
        return hold
    copy_back_on_shelf(copy=copy, now=now)
    return hold


def copy_back_on_shelf(*, copy: Copy, now: datetime) -> Hold | None:
    """``copy`` (locked) is free again where it stands (a hold given up, a delivery order
    cancelled): the first waiting hold for its title gets it (ready here, or sent to its pickup
    branch); otherwise it goes back on the shelf. Returns that hold, or None."""
    copy.status = CopyStatus.AVAILABLE
    copy.save(update_fields=["status", "updated_at"])
    nxt = hold_fill_from_return(copy=copy, now=now)
    if nxt is None:
        return None
    if nxt.pickup_branch_id == copy.current_branch_id:
        hold_make_ready(hold=nxt, copy=copy, now=now)
    else:
        transfer_send(copy=copy, to_branch=nxt.pickup_branch, reason="hold", now=now)
    return nxt


@transaction.atomic
def holds_expire(*, now: datetime | None = None) -> int:
    """Ready holds not collected by their expiry date become expired; their copies pass to the
    next in the queue or go back on the shelf. Returns how many expired."""
    now = now_or(now)
    today = timezone.localdate(now)
    count = 0
    due = Hold.objects.filter(status=HoldStatus.READY, expires_on__lt=today).order_by("pk")
    for hold_id in list(due.values_list("pk", flat=True)):
        hold = _release(
            hold_id,
            HoldStatus.EXPIRED,
            now,
            still=lambda h: (
                h.status == HoldStatus.READY and h.expires_on is not None and h.expires_on < today
            ),
        )
        if hold is None:
            continue
        audit_record(
            actor="system", action="library.hold_expired", target=hold, target_label=str(hold.pk)
        )
        count += 1
    return count
