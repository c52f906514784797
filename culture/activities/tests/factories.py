from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from culture.activities.models import Activity
from culture.activities.services import activity_create
from culture.org.models import OrgUnit
from culture.venues.models import Venue, VenueStatus

_counter = {"n": 0}


def local(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=timezone.get_current_timezone())


def venue(
    operator: OrgUnit,
    *,
    code: str | None = None,
    name_zh: str = "测试文化家园",
    status: str = VenueStatus.OPEN,
) -> Venue:
    """A bare venue row (test data; the venues' own services are the venues engineer's)."""
    _counter["n"] += 1
    return Venue.objects.create(
        code=code or f"TV{_counter['n']:04d}",
        name_zh=name_zh,
        kind="community_centre",
        status=status,
        operator_unit=operator,
        lon=120.15,
        lat=30.32,
    )


def activity(organiser: OrgUnit, **fields: Any) -> Activity:
    _counter["n"] += 1
    data: dict[str, Any] = {
        "title": f"测试活动{_counter['n']}",
        "kind": "mass_activity",
        "organiser": organiser,
        "start_at": local(2025, 5, 1, 9),
        "end_at": local(2025, 5, 1, 11),
        "attendance": 50,
    }
    data.update(fields)
    return activity_create(actor=None, **data)
