"""Writes to users, roles, staff records and residents. Every change is scoped and audited.

Rules:
- only district officers (and superusers) manage user accounts and roles;
- subdistrict officers and community workers manage the staff records of units in their scope;
- residents register themselves (phone + password + name + ID number, confirmed with a one-time
  SMS code) or are registered by a district officer;
- personal numbers are validated, stored encrypted with a look-up hash, and only their masked
  form ever reaches the audit log.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.models import Permission
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from culture.accounts.idnumbers import protect_id
from culture.accounts.models import (
    Resident,
    RoleAssignment,
    SmsCode,
    StaffMember,
    StaffTraining,
    User,
)
from culture.accounts.sms import sms_backend
from culture.core.audit import audit_record
from culture.core.errors import FieldErrors, OutOfScope, ServiceError, ValidationFailed
from culture.core.personal import (
    PHONE_RE,
    decrypt,
    encrypt,
    lookup_hash,
    protect_phone,
)
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel, OrgUnit

SMS_CODE_TTL = timedelta(minutes=10)
SMS_CODE_MAX_ATTEMPTS = 5
REVEAL_FIELDS = ("id_number", "phone", "ssc_card_no")

# Which org level each role is bound to.
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
    if len(display_name) > 64:
        errors.add("display_name", _("姓名最长64个字符"))
    wanted = _normalise_roles(roles, errors)

    user = User.objects.select_for_update().filter(username=username).first() if username else None
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
    audit_record(
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
    audit_record(
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
    audit_record(
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
    audit_record(
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
    audit_record(
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
    audit_record(
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
    audit_record(
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
    audit_record(
        actor=_actor(actor),
        action="accounts.elderly_mode_set",
        target=user,
        after={"elderly_mode": on},
        request=request,
    )
    return user


# ----- staff records -------------------------------------------------------------------------
def _staff_state(staff: StaffMember) -> dict[str, Any]:
    return {
        "staff_number": staff.staff_number,
        "name": staff.name,
        "org_unit": staff.org_unit.code if staff.org_unit_id else None,
        "position": staff.position,
        "is_professional": staff.is_professional,
        "is_fulltime_culture": staff.is_fulltime_culture,
        "phone_masked": staff.phone_masked,
        "is_active": staff.is_active,
        "training": {str(t.year): str(t.days) for t in staff.training.order_by("year")}
        if staff.pk
        else {},
    }


def _clean_training(training: Mapping[Any, Any], errors: _Errors) -> dict[int, Decimal | None]:
    out: dict[int, Decimal | None] = {}
    for raw_year, raw_days in training.items():
        try:
            year = int(raw_year)
        except (TypeError, ValueError):
            errors.add("training", _("年度“%(y)s”不是有效年份") % {"y": raw_year})
            continue
        if not 2000 <= year <= 2100:
            errors.add("training", _("年度应在2000至2100之间"))
            continue
        if raw_days is None or raw_days == "":
            out[year] = None
            continue
        try:
            days = Decimal(str(raw_days)).quantize(Decimal("0.1"))
        except (InvalidOperation, ValueError):
            errors.add("training", _("%(y)d年的培训天数不是数字") % {"y": year})
            continue
        if not Decimal(0) <= days <= Decimal(366):
            errors.add("training", _("培训天数应在0至366之间"))
            continue
        out[year] = days
    return out


def _apply_training(staff: StaffMember, training: Mapping[int, Decimal | None]) -> None:
    existing = {t.year: t for t in staff.training.all()}
    for year, days in training.items():
        row = existing.get(year)
        if days is None:
            if row is not None:
                row.delete()
        elif row is None:
            StaffTraining.objects.create(staff=staff, year=year, days=days)
        elif row.days != days:
            row.days = days
            row.save(update_fields=["days", "updated_at"])


@transaction.atomic
def staff_member_upsert(
    *,
    actor: Any,
    staff_number: str,
    name: str,
    org_unit: OrgUnit,
    position: str = "",
    is_professional: bool = False,
    is_fulltime_culture: bool = False,
    phone: str | None = "",
    training: Mapping[Any, Any] | None = None,
    request: Any = None,
) -> tuple[StaffMember, Status]:
    """Create or update the staff record ``staff_number``; ``training`` sets days per year
    (a year mapped to ``None`` removes it; years not mentioned are kept). ``phone=None`` keeps
    the stored number, ``""`` clears it."""
    errors = _Errors()
    staff_number = (staff_number or "").strip()
    name = (name or "").strip()
    if not staff_number:
        errors.add("staff_number", _("工号不能为空"))
    elif len(staff_number) > 32:
        errors.add("staff_number", _("工号最长32个字符"))
    if not name:
        errors.add("name", _("姓名不能为空"))
    elif len(name) > 64:
        errors.add("name", _("姓名最长64个字符"))
    if org_unit is None:
        errors.add("org_unit", _("请选择所属单位"))
    position = (position or "").strip()
    if len(position) > 64:
        errors.add("position", _("岗位最长64个字符"))
    stored_phone = None
    if phone:
        try:
            stored_phone = protect_phone(phone)
        except ValidationFailed as exc:
            errors.capture(exc, "phone")
    clean_training = _clean_training(training or {}, errors)
    errors.raise_if_any()

    staff = (
        StaffMember.objects.select_for_update()
        .select_related("org_unit")
        .filter(staff_number=staff_number)
        .first()
    )
    if actor is not None:
        scope = viewer_scope(actor)
        scope.require_write(org_unit.path)
        if staff is not None and staff.org_unit_id != org_unit.pk:
            scope.require_write(staff.org_unit.path)
    created = staff is None
    before = _staff_state(staff) if staff is not None else None
    if created:
        staff = StaffMember(staff_number=staff_number)
    assert staff is not None
    staff.name = name
    staff.org_unit = org_unit
    staff.position = position
    staff.is_professional = bool(is_professional)
    staff.is_fulltime_culture = bool(is_fulltime_culture)
    staff.is_active = True
    if phone is None:
        pass  # None keeps the stored number
    elif stored_phone is None:
        staff.phone_enc = staff.phone_hash = staff.phone_masked = ""
    elif stored_phone.hash != staff.phone_hash:
        staff.phone_enc, staff.phone_hash, staff.phone_masked = (
            stored_phone.encrypted,
            stored_phone.hash,
            stored_phone.masked,
        )
    staff.save()
    _apply_training(staff, clean_training)
    after = _staff_state(staff)
    if created:
        status = "created"
    elif before != after:
        status = "updated"
    else:
        return staff, "unchanged"
    audit_record(
        actor=_actor(actor),
        action=f"accounts.staff_{status}",
        target=staff,
        org_path=org_unit.path,
        before=before,
        after=after,
        request=request,
    )
    return staff, status


@transaction.atomic
def staff_training_set(
    *, actor: Any, staff: StaffMember, year: int, days: Any, request: Any = None
) -> StaffMember:
    """Set (or with ``days=None`` remove) the training days of one year."""
    if actor is not None:
        viewer_scope(actor).require_write(staff.org_unit.path)
    errors = _Errors()
    clean = _clean_training({year: days}, errors)
    errors.raise_if_any()
    before = _staff_state(staff)["training"]
    _apply_training(staff, clean)
    after = _staff_state(staff)["training"]
    if before != after:
        audit_record(
            actor=_actor(actor),
            action="accounts.staff_training_set",
            target=staff,
            org_path=staff.org_unit.path,
            before={"training": before},
            after={"training": after},
            request=request,
        )
    return staff


@transaction.atomic
def staff_member_deactivate(*, actor: Any, staff: StaffMember, request: Any = None) -> StaffMember:
    if actor is not None:
        viewer_scope(actor).require_write(staff.org_unit.path)
    if not staff.is_active:
        return staff
    staff.is_active = False
    staff.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=_actor(actor),
        action="accounts.staff_deactivated",
        target=staff,
        org_path=staff.org_unit.path,
        before={"is_active": True},
        after={"is_active": False},
        request=request,
    )
    return staff


# ----- residents -----------------------------------------------------------------------------
def _resident_username(phone_hash: str) -> str:
    return f"r{phone_hash[:15]}"


def _resident_state(resident: Resident) -> dict[str, Any]:
    return {
        "name": resident.name,
        "id_number_masked": resident.id_number_masked,
        "ssc_card_no_masked": resident.ssc_card_no_masked,
        "phone_masked": resident.user.phone_masked,
        "community": resident.community.code if resident.community else None,
        "active": resident.user.is_active,
    }


def _pending(user: User) -> bool:
    """An account created by self sign-up whose phone was never confirmed."""
    resident = getattr(user, "resident", None)
    return bool(
        not user.is_active
        and resident is not None
        and resident.phone_verified_at is None
        and user.last_login is None
    )


def _validate_resident(
    *,
    name: str,
    phone: str,
    password: str,
    id_number: str,
    community: OrgUnit | None,
    ssc_card_no: str,
    replace_pending: bool,
) -> tuple[Any, Any, str, list[User]]:
    errors = _Errors()
    name = (name or "").strip()
    if not name:
        errors.add("name", _("姓名不能为空"))
    elif len(name) > 64:
        errors.add("name", _("姓名最长64个字符"))
    stored_phone = stored_id = None
    try:
        stored_phone = protect_phone(phone)
    except ValidationFailed as exc:
        errors.capture(exc, "phone")
    try:
        stored_id = protect_id(id_number)
    except ValidationFailed as exc:
        errors.capture(exc, "id_number")
    ssc = (ssc_card_no or "").strip().replace(" ", "").upper()
    if ssc and (len(ssc) > 20 or not ssc.isalnum()):
        errors.add("ssc_card_no", _("社保卡卡号应为不超过20位的字母或数字"))
    if community is not None and community.level != OrgLevel.COMMUNITY:
        errors.add("community", _("居住社区必须是社区级单位"))
    stale: list[User] = []
    if stored_phone is not None:
        other = User.objects.select_related("resident").filter(phone_hash=stored_phone.hash).first()
        if other is not None:
            if replace_pending and _pending(other):
                stale.append(other)
            else:
                errors.add("phone", _("该手机号已注册，请直接登录"))
    if stored_id is not None:
        other_r = (
            Resident.objects.select_related("user").filter(id_number_hash=stored_id.hash).first()
        )
        if other_r is not None:
            if replace_pending and _pending(other_r.user):
                if other_r.user not in stale:
                    stale.append(other_r.user)
            else:
                errors.add("id_number", _("该身份证号已登记过居民账号"))
    probe = User(username="resident", display_name=name)
    if not password:
        errors.add("password", _("密码不能为空"))
    else:
        _check_password(errors, password, probe)
    errors.raise_if_any()
    return stored_phone, stored_id, ssc, stale


def _create_resident(
    *,
    actor: Any,
    name: str,
    phone: str,
    password: str,
    id_number: str,
    community: OrgUnit | None,
    ssc_card_no: str,
    active: bool,
    replace_pending: bool,
    request: Any,
    encoded_password: str | None = None,
) -> Resident:
    stored_phone, stored_id, ssc, stale = _validate_resident(
        name=name,
        phone=phone,
        password=password,
        id_number=id_number,
        community=community,
        ssc_card_no=ssc_card_no,
        replace_pending=replace_pending,
    )
    for old in stale:
        audit_record(
            actor=_actor(actor),
            action="accounts.resident_signup_replaced",
            target=old,
            after={"reason": "unverified sign-up replaced"},
            request=request,
        )
        old.delete()
    user = User(
        username=_resident_username(stored_phone.hash),
        display_name=name.strip(),
        phone_enc=stored_phone.encrypted,
        phone_hash=stored_phone.hash,
        phone_masked=stored_phone.masked,
        is_active=active,
    )
    if encoded_password is not None:
        user.password = encoded_password
    else:
        user.set_password(password)
    user.save()
    resident = Resident.objects.create(
        user=user,
        name=name.strip(),
        id_number_enc=stored_id.encrypted,
        id_number_hash=stored_id.hash,
        id_number_masked=stored_id.masked,
        ssc_card_no_enc=encrypt(ssc) if ssc else "",
        ssc_card_no_masked=_mask_card(ssc),
        community=community,
        phone_verified_at=timezone.now() if active else None,
    )
    return resident


def _mask_card(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 4:
        return "*" * len(value)
    return "*" * (len(value) - 4) + value[-4:]


@transaction.atomic
def resident_register(
    *,
    actor: Any,
    name: str,
    phone: str,
    password: str,
    id_number: str,
    community: OrgUnit | None = None,
    ssc_card_no: str = "",
    request: Any = None,
    encoded_password: str | None = None,
) -> Resident:
    """A district officer (or the system) registers a resident; the account is active at once.

    ``encoded_password`` (for the demo generator only, with ``actor=None``) is an already hashed
    password used instead of hashing ``password`` again for every resident."""
    require_user_admin(actor)
    if encoded_password is not None and actor is not None:
        raise OutOfScope(_("只有系统可以直接设置密码哈希"))
    resident = _create_resident(
        actor=actor,
        name=name,
        phone=phone,
        password=password,
        id_number=id_number,
        community=community,
        ssc_card_no=ssc_card_no,
        active=True,
        replace_pending=False,
        request=request,
        encoded_password=encoded_password,
    )
    audit_record(
        actor=_actor(actor),
        action="accounts.resident_registered",
        target=resident,
        org_path=community.path if community else "",
        after=_resident_state(resident),
        request=request,
    )
    return resident


def _new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def _send_code(user: User, phone: str) -> None:
    code = _new_code()
    SmsCode.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
    SmsCode.objects.create(
        user=user,
        purpose=SmsCode.Purpose.SIGNUP,
        code_hash=lookup_hash(f"sms:{user.pk}:{code}"),
        expires_at=timezone.now() + SMS_CODE_TTL,
    )
    text = gettext("【拱墅文化】您的注册验证码是 %(code)s，%(minutes)d 分钟内有效。") % {
        "code": code,
        "minutes": int(SMS_CODE_TTL.total_seconds() // 60),
    }
    transaction.on_commit(lambda: sms_backend().send(phone=phone, text=text))


@transaction.atomic
def resident_signup_start(
    *,
    name: str,
    phone: str,
    password: str,
    id_number: str,
    community: OrgUnit | None = None,
    request: Any = None,
) -> Resident:
    """Self sign-up, step 1: an inactive account, and a one-time code sent by SMS."""
    resident = _create_resident(
        actor=None,
        name=name,
        phone=phone,
        password=password,
        id_number=id_number,
        community=community,
        ssc_card_no="",
        active=False,
        replace_pending=True,
        request=request,
    )
    audit_record(
        actor=resident.user,
        action="accounts.resident_signup_started",
        target=resident,
        org_path=community.path if community else "",
        after=_resident_state(resident),
        request=request,
    )
    _send_code(resident.user, decrypt(resident.user.phone_enc))
    return resident


def pending_signup_user(*, pk: Any = None, phone: str | None = None) -> User | None:
    """The account of an unconfirmed self sign-up, by id or by phone number."""
    qs = User.objects.select_related("resident")
    if pk is not None:
        user = qs.filter(pk=pk).first() if str(pk).isdigit() else None
    elif phone:
        try:
            stored = protect_phone(phone)
        except ValidationFailed as exc:
            raise FieldErrors({"phone": [exc.message]}) from None
        user = qs.filter(phone_hash=stored.hash).first()
    else:
        user = None
    return user if user is not None and _pending(user) else None


def _require_pending(user: User | None, phone: str | None) -> User:
    found = pending_signup_user(pk=user.pk if user is not None else None, phone=phone)
    if found is None:
        raise FieldErrors({"code": [_("没有待验证的注册，请重新注册")]})
    return found


@transaction.atomic
def resident_signup_resend(
    *, user: User | None = None, phone: str | None = None, request: Any = None
) -> None:
    user = _require_pending(user, phone)
    last = SmsCode.objects.filter(user=user).order_by("-created_at").first()
    if last is not None and timezone.now() - last.created_at < timedelta(seconds=60):
        raise FieldErrors({"code": [_("验证码已发送，请1分钟后再试")]})
    _send_code(user, decrypt(user.phone_enc))
    audit_record(actor=user, action="accounts.signup_code_resent", target=user, request=request)


def resident_signup_verify(
    *, code: str, user: User | None = None, phone: str | None = None, request: Any = None
) -> User:
    """Self sign-up, step 2: the code from the SMS activates the account.

    Not one transaction on purpose: a wrong code's attempt count and audit entry are kept even
    though the call fails."""
    user = _require_pending(user, phone)
    code = (code or "").strip()
    sms = (
        SmsCode.objects.filter(user=user, purpose=SmsCode.Purpose.SIGNUP, used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if sms is None or sms.expires_at < timezone.now():
        raise FieldErrors({"code": [_("验证码已过期，请重新获取")]})
    if sms.attempts >= SMS_CODE_MAX_ATTEMPTS:
        raise FieldErrors({"code": [_("错误次数过多，请重新获取验证码")]})
    if not secrets.compare_digest(sms.code_hash, lookup_hash(f"sms:{user.pk}:{code}")):
        SmsCode.objects.filter(pk=sms.pk).update(attempts=F("attempts") + 1)
        audit_record(actor=user, action="accounts.signup_code_failed", target=user, request=request)
        raise FieldErrors({"code": [_("验证码不正确")]})
    with transaction.atomic():
        # Claim the code exactly once, even under two simultaneous submissions.
        claimed = SmsCode.objects.filter(pk=sms.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not claimed:
            raise FieldErrors({"code": [_("验证码已使用，请重新获取")]})
        now = timezone.now()
        user.is_active = True
        user.save(update_fields=["is_active"])
        resident = user.resident
        resident.phone_verified_at = now
        resident.save(update_fields=["phone_verified_at", "updated_at"])
        audit_record(
            actor=user,
            action="accounts.resident_signup_verified",
            target=resident,
            org_path=resident.community.path if resident.community else "",
            after={"active": True},
            request=request,
        )
    return user


@transaction.atomic
def resident_update(
    *,
    actor: Any,
    resident: Resident,
    name: str | None = None,
    community: OrgUnit | None = None,
    request: Any = None,
) -> Resident:
    """A district officer corrects a resident's name or community."""
    require_user_admin(actor)
    errors = _Errors()
    if name is not None and not name.strip():
        errors.add("name", _("姓名不能为空"))
    if community is not None and community.level != OrgLevel.COMMUNITY:
        errors.add("community", _("居住社区必须是社区级单位"))
    errors.raise_if_any()
    before = _resident_state(resident)
    if name is not None:
        resident.name = name.strip()
    resident.community = community
    after = _resident_state(resident)
    if before == after:
        return resident
    resident.save(update_fields=["name", "community", "updated_at"])
    audit_record(
        actor=_actor(actor),
        action="accounts.resident_updated",
        target=resident,
        org_path=community.path if community else "",
        before=before,
        after=after,
        request=request,
    )
    return resident


def personal_number_reveal(
    *, actor: Any, resident: Resident, field: str, request: Any = None
) -> str:
    """The plaintext of one personal number, for a district officer holding the permission.

    A refusal is audited too (outside any transaction, so it is kept)."""
    scope = viewer_scope(actor)
    if not scope.can_reveal:
        audit_record(
            actor=actor,
            action="accounts.personal_number_reveal_refused",
            target=resident,
            after={"field": field},
            request=request,
        )
        raise OutOfScope(_("您没有查看完整证件号码的权限"))
    with transaction.atomic():
        return _reveal(actor=actor, resident=resident, field=field, request=request)


def _reveal(*, actor: Any, resident: Resident, field: str, request: Any) -> str:
    if field not in REVEAL_FIELDS:
        raise ValidationFailed(_("未知的号码字段"), field="field")
    token = {
        "id_number": resident.id_number_enc,
        "phone": resident.user.phone_enc,
        "ssc_card_no": resident.ssc_card_no_enc,
    }[field]
    if not token:
        raise ValidationFailed(_("该号码未登记"), field="field")
    masked = {
        "id_number": resident.id_number_masked,
        "phone": resident.user.phone_masked,
        "ssc_card_no": resident.ssc_card_no_masked,
    }[field]
    audit_record(
        actor=actor,
        action="accounts.personal_number_revealed",
        target=resident,
        org_path=resident.community.path if resident.community else "",
        after={"field": field, "masked": masked},
        request=request,
    )
    return decrypt(token)
