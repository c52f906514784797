from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from culture.core.models import AuditEntry
from culture.core.roles import Role
from culture.core.scope import viewer_scope


def audit_entries(*, viewer: Any, filters: Mapping[str, str] | None = None) -> QuerySet[AuditEntry]:
    """The audit log for district officers and evaluators, newest first, optionally filtered."""
    scope = viewer_scope(viewer)
    scope.require_role(Role.DISTRICT_OFFICER, Role.EVALUATOR)
    qs = AuditEntry.objects.all()
    filters = filters or {}
    if action := (filters.get("action") or "").strip():
        qs = qs.filter(action__startswith=action)
    if actor := (filters.get("actor") or "").strip():
        qs = qs.filter(actor_label__icontains=actor)
    if since := (filters.get("since") or "").strip():
        qs = qs.filter(at__date__gte=since)
    if until := (filters.get("until") or "").strip():
        qs = qs.filter(at__date__lte=until)
    return qs
