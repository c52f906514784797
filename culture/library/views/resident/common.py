"""What the residents' library pages share: who the viewer is as a reader, the sign-in link,
refusals shown as messages (booking's, one mechanism for both), the library branches with their
distance from home."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from culture.accounts.models import Resident
from culture.booking.selectors.home import Home, distances, home_of
from culture.booking.views.resident.common import login_url, show_refusal
from culture.library.models import Hold, HoldStatus
from culture.library.selectors import reader_of
from culture.venues.models import LIBRARY_KINDS, Venue, VenueStatus

FAR = 10**9  # the sort key of "no distance known": after every measured one


def resident_of(user: Any) -> Resident | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Resident.objects.filter(user_id=user.pk).first()


@dataclass
class Branch:
    venue: Venue
    distance_m: int | None


def branches_near(home: Home | None) -> list[Branch]:
    """The open library branches (the district library, branches, city bookrooms, reading
    rooms), nearest to ``home`` first (by name without a home)."""
    venues = list(
        Venue.objects.filter(kind__in=LIBRARY_KINDS, status=VenueStatus.OPEN).order_by(
            "name_zh", "pk"
        )
    )
    points: list[tuple[float, float] | None] = [(v.lon, v.lat) for v in venues]
    out = [Branch(v, d) for v, d in zip(venues, distances(home, points), strict=True)]
    if home is not None:
        out.sort(key=lambda b: b.distance_m if b.distance_m is not None else FAR)
    return out


__all__ = [
    "Branch",
    "Home",
    "branches_near",
    "hold_rank",
    "hold_ranks",
    "home_of",
    "login_url",
    "reader_of",
    "resident_of",
    "show_refusal",
]


def hold_rank(hold: Hold) -> int:
    """1 for the first in the queue (positions may have gaps after people leave it, so the rank
    counts those ahead)."""
    return (
        Hold.objects.filter(
            title_id=hold.title_id, status=HoldStatus.WAITING, position__lt=hold.position
        ).count()
        + 1
    )


def hold_ranks(holds: list[Hold]) -> dict[int, int]:
    """Each waiting hold's rank (``hold_rank``) in one query: hold id -> rank."""
    waiting = [h for h in holds if h.status == HoldStatus.WAITING and h.position is not None]
    if not waiting:
        return {}
    ahead = (
        Hold.objects.filter(
            title_id=OuterRef("title_id"),
            status=HoldStatus.WAITING,
            position__lt=OuterRef("position"),
        )
        .order_by()
        .values("title_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Hold.objects.filter(pk__in=[h.pk for h in waiting])
        .annotate(ahead=Coalesce(Subquery(ahead), 0))
        .values_list("pk", "ahead")
    )
    return {pk: n + 1 for pk, n in rows}
