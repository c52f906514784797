"""Shared by the accounts services: field-error collection, guards, role levels."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from culture.accounts.masking import audit_label
from culture.accounts.models import (
    User,
)
from culture.core.audit import audit_record
from culture.core.errors import FieldErrors, OutOfScope, ServiceError
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel

ROLE_LEVEL = {
    Role.DISTRICT_OFFICER: OrgLevel.DISTRICT,
    Role.EVALUATOR: OrgLevel.DISTRICT,
    Role.SUBDISTRICT_OFFICER: OrgLevel.SUBDISTRICT,
    Role.COMMUNITY_WORKER: OrgLevel.COMMUNITY,
}

Status = str  # "created" | "updated" | "unchanged"


class _Errors:
    """Collects field messages so a form shows every problem at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[Any]] = {}

    def add(self, field: str, message: Any) -> None:
        self.errors.setdefault(field, []).append(message)

    def capture(self, exc: ServiceError, default_field: str) -> None:
        if isinstance(exc, FieldErrors):
            for k, msgs in exc.errors.items():
                for m in msgs:
                    self.add(k, m)
        else:
            self.add(exc.field or default_field, exc.message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise FieldErrors(self.errors)


# ----- guards --------------------------------------------------------------------------------
def require_user_admin(actor: Any) -> None:
    """Only district officers and superusers manage accounts and roles."""
    if actor is None:
        return
    scope = viewer_scope(actor)
    if not (scope.is_superuser or (Role.DISTRICT_OFFICER in scope.roles and scope.writes_all)):
        raise OutOfScope(_("只有区文旅局干部可以管理用户和角色"))


def _actor(actor: Any) -> Any:
    return actor if actor is not None else "system"


def _reject_nul(errors: _Errors, **values: str | None) -> None:
    """NUL characters are refused (PostgreSQL cannot store them in text)."""
    for field, value in values.items():
        if value and "\x00" in value:
            errors.add(field, _("不能包含空字符"))


def _check_password(errors: _Errors, password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        for m in exc.messages:
            errors.add("password", m)


def _phone_taken(phone_hash: str, *, exclude_user_id: int | None) -> bool:
    qs = User.objects.filter(phone_hash=phone_hash)
    if exclude_user_id is not None:
        qs = qs.exclude(pk=exclude_user_id)
    return qs.exists()


def _audit(*, target: Any = None, **kwargs: Any) -> Any:
    """``audit_record`` with residents named by masked name (the log is read by evaluators)."""
    if target is not None and "target_label" not in kwargs:
        kwargs["target_label"] = audit_label(target)
    return audit_record(target=target, **kwargs)
