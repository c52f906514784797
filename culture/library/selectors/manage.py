"""What the library staff pages read about one branch beyond its desk overview: the branches
list with today's figures, the hold shelf, open transfers, the year's books-to-the-grassroots
batches, one active delivery order, a reader's holds on the shelf here, and what a second scan
of a barcode returned or received here today finds (nothing is changed: the desk answers
again). Each is a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from culture.activities.models import Activity
from culture.core.errors import ServiceError
from culture.core.scope import viewer_scope
from culture.library.models import (
    ACTIVE_DELIVERY,
    Copy,
    CopyStatus,
    DeliveryOrder,
    DeliveryStatus,
    Hold,
    HoldStatus,
    Loan,
    Reader,
    Transfer,
)
from culture.library.selectors.desk import MAX_DESK_ROWS, desk_branches
from culture.library.services.common import copy_by_barcode
from culture.library.services.loans import ReturnResult
from culture.library.services.transfers import BATCH_KIND
from culture.venues.access import venue_q
from culture.venues.models import LIBRARY_KINDS, Venue, VenueKind

# Who a row's reader is, joined in the row's own query (the desk shows the masked name and phone).
READER = "reader__resident__user"


def _count(qs: QuerySet[Any]) -> Any:
    """The number of rows of ``qs`` (correlated to the branch by OuterRef) as a subquery."""
    one = qs.order_by().annotate(g=Value(1)).values("g").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(one[:1]), 0)


def branches_with_counts(viewer: Any, q: str = "", *, today: date) -> QuerySet[Venue]:
    """The library branches whose desk the viewer may work (``desk_branches``), or for a
    read-only role those they may see, the district library first, each with ``today``'s
    figures (one counting subquery per figure, so the query count does not grow with the
    branches): lent (n_out) and returned (n_back) today, the hold shelf (n_holds), incoming
    transfers (n_incoming), overdue loans (n_overdue), orders whose next step is here
    (n_orders). ``q`` filters by name or code."""
    scope = viewer_scope(viewer)
    scope.require_staff()
    start = datetime.combine(today, time(), tzinfo=timezone.get_current_timezone())
    end = start + timedelta(days=1)
    if scope.is_read_only:
        qs = Venue.objects.filter(venue_q(viewer), kind__in=LIBRARY_KINDS).select_related(
            "operator_unit"
        )
    else:
        qs = desk_branches(viewer)
    q = (q or "").strip()[:100]
    if q:
        qs = qs.filter(Q(name_zh__icontains=q) | Q(code__icontains=q))
    here = OuterRef("pk")
    moving = [DeliveryStatus.IN_TRANSIT, DeliveryStatus.READY]
    to_handle = DeliveryOrder.objects.filter(status__in=ACTIVE_DELIVERY).filter(
        Q(from_branch=here, status__in=[DeliveryStatus.PLACED, DeliveryStatus.PICKED])
        | Q(pickup_branch=here, status__in=moving)
        | Q(from_branch=here, to_home=True, status__in=moving)
    )
    return qs.annotate(
        n_out=_count(Loan.objects.filter(out_branch=here, out_at__gte=start, out_at__lt=end)),
        n_back=_count(Loan.objects.filter(return_branch=here, returned_at__gte=start,
                                          returned_at__lt=end)),
        n_holds=_count(Hold.objects.filter(pickup_branch=here, status=HoldStatus.READY)),
        n_incoming=_count(Transfer.objects.filter(to_branch=here, received_at__isnull=True)),
        n_overdue=_count(Loan.objects.filter(out_branch=here, returned_at__isnull=True,
                                             due_on__lt=today)),
        n_orders=_count(to_handle),
        district_first=Case(When(kind=VenueKind.LIBRARY, then=Value(0)), default=Value(1)),
    ).order_by("district_first", "code")  # fmt: skip


def hold_shelf(branch: Venue) -> QuerySet[Hold]:
    """The holds ready on ``branch``'s shelf, the first to expire first, with their readers."""
    return (
        Hold.objects.filter(pickup_branch=branch, status=HoldStatus.READY)
        .select_related("title", "copy", READER)
        .order_by("expires_on", "ready_at", "pk")
    )


def reader_at_desk(reader_id: int) -> Reader | None:
    """The reader chosen at a desk (by their record number), with who they are."""
    return Reader.objects.select_related("resident__user").filter(pk=reader_id).first()


def reader_holds_here(reader: Reader, branch: Venue) -> list[Hold]:
    """``reader``'s holds ready on ``branch``'s shelf (the desk hands them over)."""
    return list(
        Hold.objects.filter(reader=reader, status=HoldStatus.READY, pickup_branch=branch)
        .select_related("title", "copy")
        .order_by("expires_on", "pk")
    )


def transfers_open(branch: Venue, *, incoming: bool) -> list[Transfer]:
    """Transfers not yet received, on their way to ``branch`` (``incoming``) or from it, the
    oldest first (at most MAX_DESK_ROWS)."""
    side = Q(to_branch=branch) if incoming else Q(from_branch=branch)
    return list(
        Transfer.objects.filter(side, received_at__isnull=True)
        .select_related("copy__title", "from_branch", "to_branch")
        .order_by("sent_at", "pk")[:MAX_DESK_ROWS]
    )


def grassroots_batches(home: Venue, year: int) -> list[Activity]:
    """The batches of books to the grassroots the district library ``home`` recorded in
    ``year`` (activities of its operator unit), the latest first."""
    return list(
        Activity.objects.filter(kind=BATCH_KIND, organiser=home.operator_unit, start_at__year=year)
        .select_related("venue")
        .order_by("-start_at", "-pk")
    )


def branch_order(branch: Venue, order_id: int) -> DeliveryOrder | None:
    """The active delivery order ``order_id`` sent from or going to ``branch``, else None."""
    return (
        DeliveryOrder.objects.filter(pk=order_id, status__in=ACTIVE_DELIVERY)
        .filter(Q(from_branch=branch) | Q(pickup_branch=branch))
        .select_related("title", "copy", READER, "from_branch", "pickup_branch")
        .first()
    )


def hold_of_copy(copy: Copy, status: str = HoldStatus.READY) -> Hold | None:
    """The hold ``copy`` serves (ready on a shelf, or waiting for it to arrive), with its
    reader."""
    return Hold.objects.filter(copy=copy, status=status).select_related(READER).first()


def _copy_or_none(barcode: str) -> Copy | None:
    try:
        return copy_by_barcode(barcode)
    except ServiceError:  # an empty or unknown barcode: nothing was scanned here before
        return None


def return_seen_today(branch: Venue, barcode: str, *, today: date) -> ReturnResult | None:
    """The copy ``barcode`` was returned at ``branch`` on ``today`` and is still where that
    return sent it: the return as it was answered (where the copy goes, the hold it serves,
    days overdue), read from where the copy is now. None otherwise (lent again, moved on)."""
    copy = _copy_or_none(barcode)
    if copy is None:
        return None
    loan = (
        Loan.objects.filter(copy=copy, returned_at__isnull=False, return_branch=branch)
        .select_related("copy__title", READER)
        .order_by("-returned_at")
        .first()
    )
    if loan is None or loan.returned_at is None or timezone.localdate(loan.returned_at) != today:
        return None
    overdue = max((today - loan.due_on).days, 0)
    hold: Hold | None = None
    transfer: Transfer | None = None
    if copy.status == CopyStatus.ON_HOLD_SHELF and copy.current_branch_id == branch.pk:
        destination = "hold_shelf"
        hold = hold_of_copy(copy, HoldStatus.READY)
    elif copy.status == CopyStatus.IN_TRANSIT:
        transfer = (
            Transfer.objects.filter(copy=copy, received_at__isnull=True, from_branch=branch)
            .select_related("to_branch")
            .first()
        )
        if transfer is None:
            return None
        destination = "hold_transfer" if transfer.reason == "hold" else "home"
        hold = hold_of_copy(copy, HoldStatus.WAITING) if transfer.reason == "hold" else None
    elif copy.status == CopyStatus.AVAILABLE and copy.current_branch_id == branch.pk:
        destination = "shelf"
    else:
        return None
    return ReturnResult(
        loan=loan,
        copy=copy,
        overdue_days=overdue,
        destination=destination,
        hold=hold,
        transfer=transfer,
    )


def received_today(branch: Venue, barcode: str, *, today: date) -> Transfer | None:
    """The transfer of the copy ``barcode`` received at ``branch`` on ``today``, when the copy
    is still here (on the shelf or the hold shelf); else None."""
    copy = _copy_or_none(barcode)
    if copy is None:
        return None
    if copy.current_branch_id != branch.pk or copy.status not in (
        CopyStatus.AVAILABLE,
        CopyStatus.ON_HOLD_SHELF,
    ):
        return None
    transfer = (
        Transfer.objects.filter(copy=copy, to_branch=branch, received_at__isnull=False)
        .select_related("copy__title")
        .order_by("-received_at")
        .first()
    )
    if transfer is None or transfer.received_at is None:
        return None
    return transfer if timezone.localdate(transfer.received_at) == today else None


def written_off(branch: Venue) -> QuerySet[Copy]:
    """The branch's copies written off (剔旧, 遗失), the latest first (at most MAX_DESK_ROWS)."""
    return (
        Copy.objects.filter(home_branch=branch, status__in=[CopyStatus.WITHDRAWN, CopyStatus.LOST])
        .select_related("title")
        .order_by("-updated_at", "-pk")[:MAX_DESK_ROWS]
    )
