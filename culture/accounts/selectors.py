"""Reads of users, staff records and residents, always through the viewer's scope."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from culture.accounts.masking import mask_name
from culture.accounts.models import Resident, RoleAssignment, StaffMember, User
from culture.core.errors import NotFound, OutOfScope
from culture.core.personal import PHONE_RE, lookup_hash
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.org.models import OrgUnit

Filters = Mapping[str, Any]

_ACTIVE_ROLES = Prefetch(
    "role_assignments",
    queryset=RoleAssignment.objects.filter(active=True).select_related("org_unit").order_by("role"),
    to_attr="active_roles",
)


def _text(filters: Filters | None, key: str) -> str:
    if not filters:
        return ""
    value = filters.get(key)
    # NUL characters cannot reach PostgreSQL in a query parameter.
    return str(value).replace("\x00", "").strip()[:200] if value is not None else ""


def valid_pk(pk: Any) -> bool:
    """A primary key the database can look up (digits, within a 64-bit integer)."""
    text = str(pk)
    return text.isdigit() and int(text) < 2**63


def _flag(filters: Filters | None, key: str) -> bool | None:
    value = _text(filters, key).lower()
    if value in ("1", "true", "yes", "是"):
        return True
    if value in ("0", "false", "no", "否"):
        return False
    return None


def _unit_path(filters: Filters | None) -> str | None:
    code = _text(filters, "unit")
    if not code:
        return None
    unit = OrgUnit.objects.filter(code=code).only("path").first()
    return unit.path if unit else "#no-such-unit/"  # matches nothing


def resident_name_for(viewer: Any, name: str) -> str:
    """Evaluators (least privilege) see residents' names masked; district officers in full."""
    scope = viewer_scope(viewer)
    if scope.is_superuser or Role.DISTRICT_OFFICER in scope.roles:
        return name
    return mask_name(name)


# ----- users ---------------------------------------------------------------------------------
def _require_user_reader(viewer: Any) -> None:
    viewer_scope(viewer).require_role(Role.DISTRICT_OFFICER, Role.EVALUATOR)


def user_list(*, viewer: Any, filters: Filters | None = None) -> QuerySet[User]:
    """Staff accounts (not residents) with their active roles; district officers and evaluators."""
    _require_user_reader(viewer)
    qs = User.objects.filter(resident__isnull=True).prefetch_related(_ACTIVE_ROLES)
    if role := _text(filters, "role"):
        qs = qs.filter(role_assignments__role=role, role_assignments__active=True)
    if (path := _unit_path(filters)) is not None:
        qs = qs.filter(
            role_assignments__org_unit__path__startswith=path, role_assignments__active=True
        )
    if q := _text(filters, "q"):
        cond = Q(username__icontains=q) | Q(display_name__icontains=q)
        if PHONE_RE.match(q):
            cond |= Q(phone_hash=lookup_hash(q))
        qs = qs.filter(cond)
    active = _flag(filters, "active")
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.distinct().order_by("username")


def user_get(*, viewer: Any, pk: Any) -> User:
    _require_user_reader(viewer)
    user = (
        User.objects.filter(pk=pk, resident__isnull=True).prefetch_related(_ACTIVE_ROLES).first()
        if valid_pk(pk)
        else None
    )
    if user is None:
        raise NotFound(_("用户不存在"))
    return user


# ----- staff records -------------------------------------------------------------------------
def staff_list(*, viewer: Any, filters: Filters | None = None) -> QuerySet[StaffMember]:
    """Staff records of the units the viewer sees (its own unit and everything below)."""
    scope = viewer_scope(viewer)
    scope.require_staff()
    qs = scope.filter(StaffMember.objects.all(), "org_unit__path")
    qs = qs.select_related("org_unit").prefetch_related("training")
    if (path := _unit_path(filters)) is not None:
        qs = qs.filter(org_unit__path__startswith=path)
    for key, field in (("professional", "is_professional"), ("fulltime", "is_fulltime_culture")):
        flag = _flag(filters, key)
        if flag is not None:
            qs = qs.filter(**{field: flag})
    active = _flag(filters, "active")
    qs = qs.filter(is_active=True if active is None else active)
    if q := _text(filters, "q"):
        qs = qs.filter(Q(name__icontains=q) | Q(staff_number__icontains=q))
    return qs.order_by("org_unit__code", "staff_number")


def staff_get(*, viewer: Any, pk: Any) -> StaffMember:
    scope = viewer_scope(viewer)
    scope.require_staff()
    staff = (
        StaffMember.objects.select_related("org_unit")
        .prefetch_related("training")
        .filter(pk=pk)
        .first()
        if valid_pk(pk)
        else None
    )
    if staff is None:
        raise NotFound(_("工作人员不存在"))
    scope.require_see(staff.org_unit.path)
    return staff


def staff_get_by_number(*, viewer: Any, staff_number: str) -> StaffMember | None:
    """For importers: the record if it exists and the viewer sees it; OutOfScope if not seen."""
    staff = StaffMember.objects.select_related("org_unit").filter(staff_number=staff_number).first()
    if staff is not None:
        viewer_scope(viewer).require_see(staff.org_unit.path)
    return staff


def staff_number_taken(*, staff_number: str) -> bool:
    return StaffMember.objects.filter(staff_number=(staff_number or "").strip()).exists()


def units_for_staff(*, viewer: Any) -> QuerySet[OrgUnit]:
    """The units the viewer may put staff records in."""
    scope = viewer_scope(viewer)
    return scope.filter(OrgUnit.objects.filter(is_active=True), "path", write=True).order_by("code")


# ----- residents -----------------------------------------------------------------------------
def _require_resident_reader(viewer: Any) -> None:
    viewer_scope(viewer).require_role(Role.DISTRICT_OFFICER, Role.EVALUATOR)


def resident_list(*, viewer: Any, filters: Filters | None = None) -> QuerySet[Resident]:
    """Residents, for district officers and evaluators only. Numbers are masked columns;
    names are masked for evaluators by ``resident_name_for``."""
    _require_resident_reader(viewer)
    qs = Resident.objects.select_related("user", "community")
    if (path := _unit_path(filters)) is not None:
        qs = qs.filter(community__path__startswith=path)
    if q := _text(filters, "q"):
        compact = q.replace(" ", "").upper()
        if PHONE_RE.match(compact):
            qs = qs.filter(user__phone_hash=lookup_hash(compact))
        elif len(compact) == 18 and compact[:17].isdigit():
            qs = qs.filter(id_number_hash=lookup_hash(compact))
        elif (
            Role.DISTRICT_OFFICER in viewer_scope(viewer).roles or viewer_scope(viewer).is_superuser
        ):
            qs = qs.filter(name__icontains=q)
        else:
            # Evaluators see names masked; searching by name would unmask them one probe at a time.
            raise OutOfScope(_("评估员不能按姓名检索居民"))
    active = _flag(filters, "active")
    if active is not None:
        qs = qs.filter(user__is_active=active)
    return qs.order_by("community__code", "id")


def resident_get(*, viewer: Any, pk: Any) -> Resident:
    _require_resident_reader(viewer)
    resident = (
        Resident.objects.select_related("user", "community").filter(pk=pk).first()
        if valid_pk(pk)
        else None
    )
    if resident is None:
        raise NotFound(_("居民不存在"))
    return resident


def communities(*, viewer: Any = None) -> QuerySet[OrgUnit]:
    """Communities (public: anyone signing up picks one)."""
    return (
        OrgUnit.objects.filter(level="community", is_active=True)
        .select_related("parent")
        .order_by("code")
    )


def units_for_roles() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(is_active=True).order_by("code")
