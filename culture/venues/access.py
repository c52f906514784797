"""Who may see and change a venue.

Staff see venues whose *operator* unit lies in their scope; a venue manager (RoleAssignment with
role venue_manager and a venue) sees and edits the venues bound to them, and nothing else.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from culture.accounts.models import RoleAssignment
from culture.core.errors import OutOfScope
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.venues.models import Venue


def managed_venue_ids(user: Any) -> list[int]:
    """Venues bound to the user's active venue-manager roles (one query, cached per request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_managed_venue_ids", None)
    if cached is not None:
        return cached
    ids = list(
        RoleAssignment.objects.filter(
            user=user, role=Role.VENUE_MANAGER, active=True, venue__isnull=False
        ).values_list("venue_id", flat=True)
    )
    user._managed_venue_ids = ids
    return ids


def venue_q(viewer: Any, prefix: str = "") -> Q:
    """Venues the viewer may see (``prefix`` e.g. "venue__" for related models)."""
    scope = viewer_scope(viewer)
    q = scope.q(f"{prefix}operator_unit__path")
    managed = managed_venue_ids(viewer) if scope.has_role(Role.VENUE_MANAGER) else []
    if managed:
        q |= Q(**{f"{prefix}pk__in": managed})
    return q


def can_see(viewer: Any, venue: Venue) -> bool:
    scope = viewer_scope(viewer)
    return scope.can_see_path(venue.operator_unit.path) or venue.pk in managed_venue_ids(viewer)


def can_write(viewer: Any, venue: Venue) -> bool:
    scope = viewer_scope(viewer)
    if not scope.is_read_only and scope.can_write_path(venue.operator_unit.path):
        return True
    return venue.pk in managed_venue_ids(viewer)


def require_write(viewer: Any, venue: Venue) -> None:
    if can_write(viewer, venue):
        return
    scope = viewer_scope(viewer)
    if scope.is_read_only and not managed_venue_ids(viewer):
        raise OutOfScope(_("您的角色只能查看，不能修改数据"))
    raise OutOfScope(_("该场馆不在您的管辖范围内，不能修改"))
