"""What a library desk works on: the branches a user may work, and one branch's day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from culture.core.scope import viewer_scope
from culture.library.models import DeliveryOrder, DeliveryStatus, Hold, HoldStatus, Loan, Transfer
from culture.venues.access import managed_venue_ids
from culture.venues.models import LIBRARY_KINDS, Venue, VenueStatus

# The longest list of one kind a desk page gets (the oldest first, so nothing old is hidden).
MAX_DESK_ROWS = 200


def desk_branches(user: Any) -> QuerySet[Venue]:
    """The library branches (venues of the library kinds, not closed) whose desk ``user`` may
    work: those of the org units they may write, and the venues they manage. By code."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Venue.objects.none()
    scope = viewer_scope(user)
    allowed = Q(pk__in=[])
    if not scope.is_read_only:
        allowed = scope.q("operator_unit__path", write=True)
    managed = managed_venue_ids(user)
    if managed:
        allowed |= Q(pk__in=managed)
    return (
        Venue.objects.filter(allowed, kind__in=LIBRARY_KINDS)
        .exclude(status=VenueStatus.CLOSED)
        .select_related("operator_unit")
        .order_by("code")
    )


@dataclass(frozen=True)
class DeskOverview:
    """One branch's work: delivery orders to pick here (placed), to send (picked), to receive
    (in transit to here: pickups here, and home deliveries sent from here), ready here; the
    hold shelf; transfers on their way here; how many loans lent here are overdue."""

    branch: Venue
    to_pick: list[DeliveryOrder]
    to_send: list[DeliveryOrder]
    to_receive: list[DeliveryOrder]
    ready: list[DeliveryOrder]
    hold_shelf: list[Hold]
    incoming: list[Transfer]
    overdue: int


def _orders(q: Q) -> list[DeliveryOrder]:
    return list(
        DeliveryOrder.objects.filter(q)
        .select_related("title", "copy", "reader__resident__user", "from_branch", "pickup_branch")
        .order_by("status_at", "pk")[:MAX_DESK_ROWS]
    )


def _served_here(branch: Venue) -> Q:
    """Orders collected at ``branch``: picked up here, or delivered home from here."""
    return Q(pickup_branch=branch) | Q(to_home=True, from_branch=branch)


def desk_overview(branch: Venue, *, today: date) -> DeskOverview:
    """``branch``'s desk on ``today`` (a fixed number of queries, each list oldest first)."""
    return DeskOverview(
        branch=branch,
        to_pick=_orders(Q(from_branch=branch, status=DeliveryStatus.PLACED)),
        to_send=_orders(Q(from_branch=branch, status=DeliveryStatus.PICKED)),
        to_receive=_orders(_served_here(branch) & Q(status=DeliveryStatus.IN_TRANSIT)),
        ready=_orders(_served_here(branch) & Q(status=DeliveryStatus.READY)),
        hold_shelf=list(
            Hold.objects.filter(pickup_branch=branch, status=HoldStatus.READY)
            .select_related("title", "copy", "reader__resident__user")
            .order_by("expires_on", "pk")[:MAX_DESK_ROWS]
        ),
        incoming=list(
            Transfer.objects.filter(to_branch=branch, received_at__isnull=True)
            .select_related("copy__title", "from_branch")
            .order_by("sent_at", "pk")[:MAX_DESK_ROWS]
        ),
        overdue=Loan.objects.filter(
            out_branch=branch, returned_at__isnull=True, due_on__lt=today
        ).count(),
    )
