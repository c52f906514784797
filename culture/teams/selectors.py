"""Reads of teams, culture households and talents, and organisations, through the viewer's
scope (the owning unit's path)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.core.errors import NotFound
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel, OrgUnit
from culture.teams.models import (
    CORE_KINDS,
    CulturalOrganisation,
    CulturalTeam,
    CultureHousehold,
    CultureTalent,
    OrganisationKind,
    TeamKind,
)
from culture.teams.models import active_team_q as active_team_rule
from culture.teams.services import active_team_window_days

Filters = Mapping[str, Any]


def filter_text(filters: Filters | None, key: str) -> str:
    if not filters:
        return ""
    value = filters.get(key)
    return str(value).replace("\x00", "").strip()[:200] if value is not None else ""


def filter_flag(filters: Filters | None, key: str) -> bool | None:
    value = filter_text(filters, key).lower()
    if value in ("1", "true", "yes", "是"):
        return True
    if value in ("0", "false", "no", "否"):
        return False
    return None


def filter_unit_path(filters: Filters | None) -> str | None:
    code = filter_text(filters, "unit")
    if not code:
        return None
    unit = OrgUnit.objects.filter(code=code).only("path").first()
    return unit.path if unit else "#no-such-unit/"  # matches nothing


def active_team_q(on: date | None = None, prefix: str = "") -> Q:
    """The named "active team" rule (``CULTURE_ACTIVE_TEAM_WINDOW_DAYS``): the active flag is
    set and the team was last active within the window before ``on`` (default today)."""
    return active_team_rule(
        on=on or timezone.localdate(), window_days=active_team_window_days(), prefix=prefix
    )


def units_for_write(
    *, viewer: Any, community_only: bool = False, include_district: bool = False
) -> QuerySet[OrgUnit]:
    """Units the viewer may put records in (subdistricts and communities, or communities)."""
    levels = [OrgLevel.COMMUNITY] if community_only else [OrgLevel.SUBDISTRICT, OrgLevel.COMMUNITY]
    if include_district:
        levels.append(OrgLevel.DISTRICT)
    qs = OrgUnit.objects.filter(is_active=True, level__in=levels)
    return viewer_scope(viewer).filter(qs, "path", write=True).order_by("code")


def units_for_filter(*, viewer: Any) -> QuerySet[OrgUnit]:
    qs = OrgUnit.objects.filter(is_active=True).exclude(level=OrgLevel.DISTRICT)
    return viewer_scope(viewer).filter(qs, "path").order_by("code")


def _scoped(viewer: Any, qs: QuerySet[Any], path_field: str) -> QuerySet[Any]:
    scope = viewer_scope(viewer)
    scope.require_staff()
    return scope.filter(qs, path_field)


def _get(viewer: Any, qs: QuerySet[Any], code: str, path_field: str, missing: Any) -> Any:
    scope = viewer_scope(viewer)
    scope.require_staff()
    obj = qs.filter(code=str(code)[:32]).first()
    if obj is None:
        raise NotFound(missing)
    path = obj
    for part in path_field.split("__"):
        path = getattr(path, part)
    scope.require_see(path)
    return obj


# ----- teams -----------------------------------------------------------------------------------
def team_list(*, viewer: Any, filters: Filters | None = None) -> QuerySet[CulturalTeam]:
    qs = _scoped(viewer, CulturalTeam.objects.all(), "org_unit__path")
    qs = qs.select_related("org_unit", "rehearsal_venue")
    if (path := filter_unit_path(filters)) is not None:
        qs = qs.filter(org_unit__path__startswith=path)
    kind = filter_text(filters, "kind")
    if kind in TeamKind.values:
        qs = qs.filter(kind=kind)
    core = filter_flag(filters, "core")
    if core is not None:
        qs = qs.filter(kind__in=CORE_KINDS) if core else qs.exclude(kind__in=CORE_KINDS)
    active = filter_flag(filters, "active")
    if active is not None:
        qs = qs.filter(is_active=active)
    if q := filter_text(filters, "q"):
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(leader_name__icontains=q))
    return qs.order_by("org_unit__code", "code")


def team_get(*, viewer: Any, code: str) -> CulturalTeam:
    return _get(
        viewer,
        CulturalTeam.objects.select_related("org_unit", "org_unit__parent", "rehearsal_venue"),
        code,
        "org_unit__path",
        _("没有编号为 %(code)s 的团队") % {"code": code},
    )


def team_get_for_edit(*, viewer: Any, code: str) -> CulturalTeam:
    team = team_get(viewer=viewer, code=code)
    viewer_scope(viewer).require_write(team.org_unit.path)
    return team


def team_kind_counts(*, viewer: Any, filters: Filters | None = None) -> list[dict[str, Any]]:
    """Teams per kind among the filtered list (every kind, zero included), 三团三社 first."""
    counts = dict(
        team_list(viewer=viewer, filters=filters)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    return [
        {"kind": k, "label": TeamKind(k).label, "n": counts.get(k, 0), "core": k in CORE_KINDS}
        for k in TeamKind.values
    ]


def core_kind_coverage(*, viewer: Any) -> list[dict[str, Any]]:
    """For each visible subdistrict: which of the six 三团三社 kinds it has (teams owned by the
    subdistrict or its communities), and which it lacks (S43: each subdistrict >= 6 kinds)."""
    subdistricts = list(
        viewer_scope(viewer)
        .filter(OrgUnit.objects.filter(level=OrgLevel.SUBDISTRICT, is_active=True), "path")
        .order_by("code")
    )
    rows = (
        team_list(viewer=viewer)
        .filter(kind__in=CORE_KINDS)
        .order_by()
        .values_list("org_unit__path", "kind")
        .distinct()
    )
    have: dict[str, set[str]] = {}
    for path, kind in rows:
        sub_code = path.split("/")[1] if path.count("/") >= 2 else ""
        have.setdefault(sub_code, set()).add(kind)
    out = []
    for sub in subdistricts:
        kinds = have.get(sub.code, set())
        out.append(
            {
                "unit": sub,
                "kinds": [(k, TeamKind(k).label, k in kinds) for k in CORE_KINDS],
                "n": len(kinds),
                "missing": [TeamKind(k).label for k in CORE_KINDS if k not in kinds],
            }
        )
    return out


# ----- culture households and talents ----------------------------------------------------------
def _people_list(viewer: Any, model: Any, filters: Filters | None) -> QuerySet[Any]:
    qs = _scoped(viewer, model.objects.all(), "community__path").select_related(
        "community", "community__parent"
    )
    if (path := filter_unit_path(filters)) is not None:
        qs = qs.filter(community__path__startswith=path)
    active = filter_flag(filters, "active")
    if active is not None:
        qs = qs.filter(is_active=active)
    if q := filter_text(filters, "q"):
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(speciality__icontains=q))
    return qs.order_by("community__code", "code")


def household_list(*, viewer: Any, filters: Filters | None = None) -> QuerySet[CultureHousehold]:
    return _people_list(viewer, CultureHousehold, filters)


def talent_list(*, viewer: Any, filters: Filters | None = None) -> QuerySet[CultureTalent]:
    return _people_list(viewer, CultureTalent, filters)


def household_get(*, viewer: Any, code: str) -> CultureHousehold:
    return _get(
        viewer,
        CultureHousehold.objects.select_related("community"),
        code,
        "community__path",
        _("没有编号为 %(code)s 的文化示范户") % {"code": code},
    )


def talent_get(*, viewer: Any, code: str) -> CultureTalent:
    return _get(
        viewer,
        CultureTalent.objects.select_related("community"),
        code,
        "community__path",
        _("没有编号为 %(code)s 的文化能人") % {"code": code},
    )


# ----- organisations ---------------------------------------------------------------------------
def organisation_list(
    *, viewer: Any, filters: Filters | None = None
) -> QuerySet[CulturalOrganisation]:
    qs = _scoped(viewer, CulturalOrganisation.objects.all(), "org_unit__path")
    qs = qs.select_related("org_unit")
    if (path := filter_unit_path(filters)) is not None:
        qs = qs.filter(org_unit__path__startswith=path)
    kind = filter_text(filters, "kind")
    if kind in OrganisationKind.values:
        qs = qs.filter(kind=kind)
    active = filter_flag(filters, "active")
    if active is not None:
        qs = qs.filter(is_active=active)
    if q := filter_text(filters, "q"):
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return qs.order_by("org_unit__code", "code")


def organisation_get(*, viewer: Any, code: str) -> CulturalOrganisation:
    return _get(
        viewer,
        CulturalOrganisation.objects.select_related("org_unit"),
        code,
        "org_unit__path",
        _("没有编号为 %(code)s 的组织") % {"code": code},
    )


def team_counts_as_active(team: CulturalTeam, on: date | None = None) -> bool:
    """``active_team_q`` for one team (the detail page)."""
    on = on or timezone.localdate()
    if not team.is_active or team.last_active_on is None:
        return False
    return on - timedelta(days=active_team_window_days()) <= team.last_active_on <= on
