"""The one permission scope every selector, service, API operation, export and import uses.

A staff user's roles are bound to org units; a unit covers itself and everything below it
(materialised ``path``: ``330105/330105001/330105001001/``). District officers and evaluators see
everything; evaluators never write and see personal numbers masked only.

Usage::

    scope = viewer_scope(request.user)
    qs = scope.filter(Community.objects.all(), "path")        # what the viewer may see
    scope.require_write(unit.path)                            # raises OutOfScope
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from culture.core.errors import OutOfScope
from culture.core.roles import DISTRICT_WIDE_ROLES, WRITING_ROLES, Role

REVEAL_PERMISSION = "accounts.reveal_personal_number"


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    roles: frozenset[str]
    all_units: bool  # sees every org unit
    read_paths: tuple[str, ...]  # sees these units and their descendants
    writes_all: bool
    write_paths: tuple[str, ...]
    can_reveal: bool  # may reveal a personal number (each reveal is logged)
    is_superuser: bool = False

    # ----- questions -------------------------------------------------------------------
    @property
    def is_staff_user(self) -> bool:
        return bool(self.roles) or self.is_superuser

    @property
    def is_read_only(self) -> bool:
        return not self.writes_all and not self.write_paths

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or any(r in self.roles for r in roles)

    def can_see_path(self, path: str) -> bool:
        return self.all_units or any(path.startswith(p) for p in self.read_paths)

    def can_write_path(self, path: str) -> bool:
        return self.writes_all or any(path.startswith(p) for p in self.write_paths)

    # ----- queryset filters ------------------------------------------------------------
    def q(self, path_field: str = "org_unit__path", *, write: bool = False) -> Q:
        everything = self.writes_all if write else self.all_units
        if everything:
            return Q()
        paths = self.write_paths if write else self.read_paths
        if not paths:
            return Q(pk__in=[])
        cond = Q()
        for p in paths:
            cond |= Q(**{f"{path_field}__startswith": p})
        return cond

    def filter(
        self, qs: QuerySet[Any], path_field: str = "org_unit__path", *, write: bool = False
    ) -> QuerySet[Any]:
        return qs.filter(self.q(path_field, write=write))

    # ----- guards ----------------------------------------------------------------------
    def require_staff(self) -> None:
        if not self.is_staff_user:
            raise OutOfScope(_("只有工作人员可以访问此页面"))

    def require_role(self, *roles: str) -> None:
        if not self.has_role(*roles):
            raise OutOfScope(_("您的角色无权进行此操作"))

    def require_see(self, path: str) -> None:
        if not self.can_see_path(path):
            raise OutOfScope(_("该数据不在您的管辖范围内"))

    def require_write(self, path: str) -> None:
        if self.is_read_only:
            raise OutOfScope(_("您的角色只能查看，不能修改数据"))
        if not self.can_write_path(path):
            raise OutOfScope(_("该数据不在您的管辖范围内，不能修改"))


ANONYMOUS = Scope(None, frozenset(), False, (), False, (), False)


def viewer_scope(user: Any) -> Scope:
    """The scope of ``user``, computed once per user object (i.e. once per request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_culture_scope", None)
    if cached is not None:
        return cached
    roles: set[str] = set()
    read_paths: set[str] = set()
    write_paths: set[str] = set()
    all_units = writes_all = bool(user.is_superuser)
    for ra in user.role_assignments.select_related("org_unit").filter(active=True):
        roles.add(ra.role)
        if ra.role in DISTRICT_WIDE_ROLES:
            all_units = True
            if ra.role in WRITING_ROLES:
                writes_all = True
            continue
        if ra.org_unit is None:
            continue
        if ra.role == Role.VENUE_MANAGER:
            # A venue manager's reach is their venue (bound by the registry), not the org tree.
            continue
        read_paths.add(ra.org_unit.path)
        if ra.role in WRITING_ROLES:
            write_paths.add(ra.org_unit.path)
    can_reveal = (Role.DISTRICT_OFFICER in roles or user.is_superuser) and user.has_perm(
        REVEAL_PERMISSION
    )
    scope = Scope(
        user_id=user.pk,
        roles=frozenset(roles),
        all_units=all_units,
        read_paths=tuple(sorted(read_paths)),
        writes_all=writes_all,
        write_paths=tuple(sorted(write_paths)),
        can_reveal=can_reveal,
        is_superuser=bool(user.is_superuser),
    )
    user._culture_scope = scope
    return scope
