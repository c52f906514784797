"""Residents: registration by a district officer, self sign-up with a one-time SMS code, and
the logged reveal of a personal number."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from culture.accounts.masking import mask_name
from culture.accounts.models import (
    Resident,
    SmsCode,
    User,
)
from culture.accounts.services.common import (
    _actor,
    _audit,
    _check_password,
    _Errors,
    _reject_nul,
    require_user_admin,
)
from culture.accounts.sms import sms_backend
from culture.core.errors import FieldErrors, OutOfScope, ValidationFailed
from culture.core.personal import (
    decrypt,
    encrypt,
    lookup_hash,
    protect_id_number,
    protect_phone,
)
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel, OrgUnit

SMS_CODE_TTL = timedelta(minutes=10)
SMS_CODE_MAX_ATTEMPTS = 5
SMS_RESEND_AFTER = timedelta(seconds=60)
REVEAL_FIELDS = ("id_number", "phone", "ssc_card_no")


# ----- residents -----------------------------------------------------------------------------
def _resident_username(phone_hash: str) -> str:
    return f"r{phone_hash[:15]}"


def _resident_state(resident: Resident) -> dict[str, Any]:
    return {
        "name": mask_name(resident.name),
        "id_number_masked": resident.id_number_masked,
        "ssc_card_no_masked": resident.ssc_card_no_masked,
        "phone_masked": resident.user.phone_masked,
        "community": resident.community.code if resident.community else None,
        "active": resident.user.is_active,
    }


def _sent_recently(user: User) -> bool:
    """A code went to this account less than SMS_RESEND_AFTER ago (no SMS flooding)."""
    since = timezone.now() - SMS_RESEND_AFTER
    return SmsCode.objects.filter(user=user, created_at__gt=since).exists()


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
    _reject_nul(errors, name=name)
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
        stored_id = protect_id_number(id_number)
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
                if _sent_recently(other):
                    errors.add("phone", _("验证码已发送，请1分钟后再试"))
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
        _audit(
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
    _audit(
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
    _audit(
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
        user = qs.filter(pk=pk).first() if str(pk).isdigit() and int(pk) < 2**63 else None
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
    if _sent_recently(user):
        raise FieldErrors({"code": [_("验证码已发送，请1分钟后再试")]})
    _send_code(user, decrypt(user.phone_enc))
    _audit(actor=user, action="accounts.signup_code_resent", target=user, request=request)


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
        _audit(actor=user, action="accounts.signup_code_failed", target=user, request=request)
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
        _audit(
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
    _audit(
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
        _audit(
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
    _audit(
        actor=actor,
        action="accounts.personal_number_revealed",
        target=resident,
        org_path=resident.community.path if resident.community else "",
        after={"field": field, "masked": masked},
        request=request,
    )
    return decrypt(token)
