"""The library branches a user may work (or, for a read-only role, see), with today's counts."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from culture.core.scope import viewer_scope
from culture.library import selectors
from culture.library.models import (
    ACTIVE_DELIVERY,
    DeliveryOrder,
    DeliveryStatus,
    Hold,
    HoldStatus,
    Loan,
    Transfer,
)
from culture.library.views.manage.common import NAV, can_work
from culture.venues.access import venue_q
from culture.venues.models import LIBRARY_KINDS, Venue, VenueKind

PAGE_SIZE = 50


def _count(qs: QuerySet[Any]) -> Any:
    """The number of rows of ``qs`` (correlated to the branch by OuterRef) as a subquery."""
    one = qs.order_by().annotate(g=Value(1)).values("g").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(one[:1]), 0)


def branches_with_counts(viewer: Any, q: str = "") -> QuerySet[Venue]:
    """The library branches whose desk the viewer may work (``selectors.desk_branches``), or
    for a read-only role those they may see, each with today's figures (one counting subquery
    per figure, so the query count does not grow with the branches)."""
    scope = viewer_scope(viewer)
    scope.require_staff()
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    start = datetime.combine(today, time(), tzinfo=tz)
    end = start + timedelta(days=1)
    if scope.is_read_only:
        qs = Venue.objects.filter(venue_q(viewer), kind__in=LIBRARY_KINDS).select_related(
            "operator_unit"
        )
    else:
        qs = selectors.desk_branches(viewer)
    q = (q or "").strip()[:100]
    if q:
        qs = qs.filter(Q(name_zh__icontains=q) | Q(code__icontains=q))
    here = OuterRef("pk")
    active = DeliveryOrder.objects.filter(status__in=ACTIVE_DELIVERY)
    to_handle = active.filter(
        Q(from_branch=here, status__in=[DeliveryStatus.PLACED, DeliveryStatus.PICKED])
        | Q(pickup_branch=here, status__in=[DeliveryStatus.IN_TRANSIT, DeliveryStatus.READY])
        | Q(from_branch=here, to_home=True, status__in=[DeliveryStatus.IN_TRANSIT,
                                                          DeliveryStatus.READY])
    )  # fmt: skip
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


@login_required
@require_GET
def manage_home(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    page = Paginator(branches_with_counts(request.user, q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for branch in page:
        branch.can_work = can_work(request.user, branch)  # type: ignore[attr-defined]
    return render(
        request,
        "library/manage/home.html",
        {"nav": NAV, "page": page, "q": q, "today": timezone.localdate()},
    )
