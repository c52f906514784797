"""Staff records and their training days: managed within the actor's org scope."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from culture.accounts.models import (
    StaffMember,
    StaffTraining,
)
from culture.accounts.services.common import (
    Status,
    _actor,
    _audit,
    _Errors,
    _reject_nul,
)
from culture.core.errors import ValidationFailed
from culture.core.personal import (
    protect_phone,
)
from culture.core.scope import viewer_scope
from culture.org.models import OrgUnit
from culture.standards.refresh import request_evaluation


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
    _reject_nul(errors, staff_number=staff_number, name=name, position=position)
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
        StaffMember.objects.select_for_update(of=("self",))
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
    request_evaluation(trigger="staff")
    _audit(
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
        request_evaluation(trigger="staff")
        _audit(
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
    request_evaluation(trigger="staff")
    _audit(
        actor=_actor(actor),
        action="accounts.staff_deactivated",
        target=staff,
        org_path=staff.org_unit.path,
        before={"is_active": True},
        after={"is_active": False},
        request=request,
    )
    return staff
