"""Accounts and roles: only district officers (and superusers) manage them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from culture.accounts.models import (
    RoleAssignment,
    User,
)
from culture.accounts.services.common import (
    ROLE_LEVEL,
    Status,
    _actor,
    _audit,
    _check_password,
    _Errors,
    _phone_taken,
    _reject_nul,
    require_user_admin,
)
from culture.core.errors import ValidationFailed
from culture.core.personal import (
    PHONE_RE,
    protect_phone,
)
from culture.core.roles import Role
from culture.org.models import OrgLevel, OrgUnit


def _role_rows(user: User) -> list[str]:
    return sorted(
        f"{ra.role}@{ra.org_unit.code if ra.org_unit else '-'}"
        for ra in user.role_assignments.select_related("org_unit").filter(active=True)
    )


def _user_state(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "phone_masked": user.phone_masked,
        "is_active": user.is_active,
        "roles": _role_rows(user) if user.pk else [],
    }


def _district_unit() -> OrgUnit | None:
    return OrgUnit.objects.filter(level=OrgLevel.DISTRICT).order_by("code").first()


def _normalise_roles(
    roles: Sequence[tuple[str, OrgUnit | None]], errors: _Errors
) -> list[tuple[str, OrgUnit]]:
    out: list[tuple[str, OrgUnit]] = []
    for code, unit in roles:
        if code not in Role.values:
            errors.add("roles", _("未知角色：%(role)s") % {"role": code})
            continue
        role = Role(code)
        if unit is None and ROLE_LEVEL.get(role) == OrgLevel.DISTRICT:
            unit = _district_unit()
        if unit is None:
            errors.add("roles", _("角色“%(role)s”必须指定所属单位") % {"role": role.label})
            continue
        want = ROLE_LEVEL.get(role)
        if want is not None and unit.level != want:
            errors.add(
                "roles",
                _("角色“%(role)s”只能绑定到%(level)s级单位，%(unit)s不是")
                % {"role": role.label, "level": OrgLevel(want).label, "unit": unit.name_zh},
            )
            continue
        if (code, unit) not in out:
            out.append((code, unit))
    return out


def _set_roles(user: User, wanted: list[tuple[str, OrgUnit]]) -> None:
    existing = {(ra.role, ra.org_unit_id): ra for ra in user.role_assignments.all()}
    wanted_keys = {(code, unit.pk) for code, unit in wanted}
    for key, ra in existing.items():
        should = key in wanted_keys
        if ra.active != should:
            ra.active = should
            ra.save(update_fields=["active", "updated_at"])
    for code, unit in wanted:
        if (code, unit.pk) not in existing:
            RoleAssignment.objects.create(user=user, role=code, org_unit=unit)
    user.__dict__.pop("_culture_scope", None)


# ----- users and roles -----------------------------------------------------------------------
def username_problems(username: str) -> list[Any]:
    """What is wrong with a staff username (empty list when it is fine)."""
    username = (username or "").strip()
    if not username:
        return [_("用户名不能为空")]
    if len(username) > 150:
        return [_("用户名最长150个字符")]
    problems: list[Any] = []
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        problems.append(_("用户名只能包含字母、数字和 @/./+/-/_"))
    if PHONE_RE.match(username):
        problems.append(_("用户名不能是手机号格式（居民用手机号登录）"))
    return problems


@transaction.atomic
def user_upsert(
    *,
    actor: Any,
    username: str,
    display_name: str = "",
    password: str | None = None,
    roles: Sequence[tuple[str, OrgUnit | None]] = (),
    phone: str | None = "",
    is_active: bool = True,
    request: Any = None,
) -> tuple[User, Status]:
    """Create or update the account ``username``. ``roles`` is the full set of active roles
    (district-wide roles may pass ``None`` as the unit). ``phone=None`` keeps the stored number,
    ``""`` clears it. ``password=None`` keeps the password (a new account gets none usable)."""
    require_user_admin(actor)
    errors = _Errors()
    username = (username or "").strip()
    for message in username_problems(username):
        errors.add("username", message)
    display_name = (display_name or "").strip()
    _reject_nul(errors, display_name=display_name)
    if len(display_name) > 64:
        errors.add("display_name", _("姓名最长64个字符"))
    wanted = _normalise_roles(roles, errors)

    user = (
        User.objects.select_for_update().filter(username=username).first()
        if username and "username" not in errors.errors
        else None
    )
    stored_phone = None
    if phone:
        try:
            stored_phone = protect_phone(phone)
        except ValidationFailed as exc:
            errors.capture(exc, "phone")
        else:
            if _phone_taken(stored_phone.hash, exclude_user_id=user.pk if user else None):
                errors.add("phone", _("该手机号已被其他账号使用"))
    probe = user or User(username=username, display_name=display_name)
    if password:
        _check_password(errors, password, probe)
    if user is not None and user.pk == getattr(actor, "pk", None):
        if not is_active:
            errors.add("is_active", _("不能停用自己的账号"))
        keeps_admin = any(code == Role.DISTRICT_OFFICER for code, _unit in wanted)
        if not user.is_superuser and not keeps_admin:
            errors.add("roles", _("不能移除自己的区文旅局干部角色"))
    errors.raise_if_any()

    created = user is None
    before = _user_state(user) if user is not None else None
    if created:
        user = User(username=username)
    assert user is not None
    user.display_name = display_name
    user.is_active = is_active
    if phone is None:
        pass  # None keeps the stored number
    elif stored_phone is None:
        user.phone_enc = user.phone_hash = user.phone_masked = ""
    elif stored_phone.hash != user.phone_hash:
        user.phone_enc, user.phone_hash, user.phone_masked = (
            stored_phone.encrypted,
            stored_phone.hash,
            stored_phone.masked,
        )
    password_changed = False
    if password:
        if created or not user.check_password(password):
            user.set_password(password)
            password_changed = True
    elif created:
        user.set_unusable_password()
    user.save()
    _set_roles(user, wanted)
    after = _user_state(user)
    if created:
        status = "created"
    elif before != after or password_changed:
        status = "updated"
    else:
        return user, "unchanged"
    if password_changed and not created:
        after = {**after, "password_changed": True}
    _audit(
        actor=_actor(actor),
        action=f"accounts.user_{status}",
        target=user,
        before=before,
        after=after,
        request=request,
    )
    return user, status


@transaction.atomic
def role_assignment_add(
    *, actor: Any, user: User, role: str, org_unit: OrgUnit | None, request: Any = None
) -> RoleAssignment:
    require_user_admin(actor)
    errors = _Errors()
    wanted = _normalise_roles([(role, org_unit)], errors)
    errors.raise_if_any()
    code, unit = wanted[0]
    ra, created = RoleAssignment.objects.get_or_create(
        user=user, role=code, org_unit=unit, defaults={"active": True}
    )
    if not created and ra.active:
        return ra
    if not created:
        ra.active = True
        ra.save(update_fields=["active", "updated_at"])
    _audit(
        actor=_actor(actor),
        action="accounts.role_added",
        target=user,
        org_path=unit.path,
        after={"role": code, "org_unit": unit.code},
        request=request,
    )
    return ra


@transaction.atomic
def role_assignment_remove(*, actor: Any, assignment: RoleAssignment, request: Any = None) -> None:
    require_user_admin(actor)
    if not assignment.active:
        return
    if (
        assignment.user_id == getattr(actor, "pk", None)
        and assignment.role == Role.DISTRICT_OFFICER
    ):
        raise ValidationFailed(_("不能移除自己的区文旅局干部角色"), field="roles")
    assignment.active = False
    assignment.save(update_fields=["active", "updated_at"])
    _audit(
        actor=_actor(actor),
        action="accounts.role_removed",
        target=assignment.user,
        org_path=assignment.org_unit.path if assignment.org_unit else "",
        before={
            "role": assignment.role,
            "org_unit": assignment.org_unit.code if assignment.org_unit else None,
        },
        request=request,
    )


@transaction.atomic
def user_deactivate(*, actor: Any, user: User, request: Any = None) -> User:
    require_user_admin(actor)
    if user.pk == getattr(actor, "pk", None):
        raise ValidationFailed(_("不能停用自己的账号"), field="is_active")
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    _audit(
        actor=_actor(actor),
        action="accounts.user_deactivated",
        target=user,
        before={"is_active": True},
        after={"is_active": False},
        request=request,
    )
    return user


@transaction.atomic
def user_reactivate(*, actor: Any, user: User, request: Any = None) -> User:
    require_user_admin(actor)
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    _audit(
        actor=_actor(actor),
        action="accounts.user_reactivated",
        target=user,
        before={"is_active": False},
        after={"is_active": True},
        request=request,
    )
    return user


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str, request: Any = None) -> User:
    """A district officer resets a password, or a user changes their own."""
    if actor is not None and getattr(actor, "pk", None) != user.pk:
        require_user_admin(actor)
    errors = _Errors()
    if not password:
        errors.add("password", _("密码不能为空"))
    else:
        _check_password(errors, password, user)
    errors.raise_if_any()
    user.set_password(password)
    user.save(update_fields=["password"])
    _audit(
        actor=_actor(actor),
        action="accounts.password_set",
        target=user,
        after={"password_changed": True},
        request=request,
    )
    return user


@transaction.atomic
def user_set_reveal_permission(
    *, actor: Any, user: User, granted: bool, request: Any = None
) -> User:
    """Grant or withdraw the right to reveal personal numbers (district officers only use it)."""
    require_user_admin(actor)
    perm = Permission.objects.get(
        content_type__app_label="accounts", codename="reveal_personal_number"
    )
    has = user.user_permissions.filter(pk=perm.pk).exists()
    if has == granted:
        return user
    if granted:
        user.user_permissions.add(perm)
    else:
        user.user_permissions.remove(perm)
    for attr in ("_perm_cache", "_user_perm_cache", "_culture_scope"):
        user.__dict__.pop(attr, None)
    _audit(
        actor=_actor(actor),
        action="accounts.reveal_permission_set",
        target=user,
        before={"reveal": has},
        after={"reveal": granted},
        request=request,
    )
    return user


@transaction.atomic
def user_set_elderly_mode(*, actor: Any, user: User, on: bool, request: Any = None) -> User:
    if actor is not None and getattr(actor, "pk", None) != user.pk:
        require_user_admin(actor)
    if user.elderly_mode == on:
        return user
    user.elderly_mode = on
    user.save(update_fields=["elderly_mode"])
    _audit(
        actor=_actor(actor),
        action="accounts.elderly_mode_set",
        target=user,
        after={"elderly_mode": on},
        request=request,
    )
    return user
