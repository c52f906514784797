"""Where a title's copies are: per branch, how many, how many on the shelf, the soonest due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Min, Q

from culture.library.models import Copy, CopyStatus, Hold, HoldStatus, ItemType, Loan, Title
from culture.venues.models import Venue

GONE = (CopyStatus.LOST, CopyStatus.WITHDRAWN)


@dataclass(frozen=True)
class Holding:
    """One branch's copies of a title: ``available`` lendable copies on the shelf now,
    ``due_soonest`` the earliest due date of those lent from there (None when none is out)."""

    branch: Venue
    total: int
    available: int
    on_loan: int
    due_soonest: date | None


def title_lendable(title: Title) -> bool:
    """Has ``title`` a copy that may leave the library (not reference only), wherever it is."""
    return Copy.objects.filter(title=title).exclude(item_type=ItemType.REFERENCE).exists()


def title_queue(title: Title) -> int:
    """How many readers wait in the queue for ``title``."""
    return Hold.objects.filter(title=title, status=HoldStatus.WAITING).count()


def title_holdings(title: Title) -> list[Holding]:
    """Per branch where a copy of ``title`` stands (lost and withdrawn copies left out), by
    branch code. Three queries whatever the number of branches and copies."""
    counts = list(
        Copy.objects.filter(title=title)
        .exclude(status__in=GONE)
        .values("current_branch_id")
        .annotate(
            total=Count("pk"),
            available=Count(
                "pk",
                filter=Q(status=CopyStatus.AVAILABLE) & ~Q(item_type=ItemType.REFERENCE),
            ),
            on_loan=Count("pk", filter=Q(status=CopyStatus.ON_LOAN)),
        )
        .order_by()
    )
    if not counts:
        return []
    due = dict(
        Loan.objects.filter(copy__title=title, returned_at__isnull=True)
        .values("copy__current_branch_id")
        .annotate(d=Min("due_on"))
        .order_by()
        .values_list("copy__current_branch_id", "d")
    )
    branches = Venue.objects.in_bulk([c["current_branch_id"] for c in counts])
    rows = [
        Holding(
            branch=branches[c["current_branch_id"]],
            total=c["total"],
            available=c["available"],
            on_loan=c["on_loan"],
            due_soonest=due.get(c["current_branch_id"]),
        )
        for c in counts
    ]
    return sorted(rows, key=lambda h: h.branch.code)
