"""Writes of cultural teams, culture households and talents, and cultural organisations.

Every write is keyword-only, atomic, scoped (``require_write`` on the owning unit's path, and on
the old unit's path when a record moves) and audited (``teams.<entity>_created`` /
``_updated``). The ``*_upsert`` functions are what forms, the API, the admin and the importers
call: a new code creates, an existing code updates, an identical record is left "unchanged".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.core.audit import audit_record
from culture.core.errors import FieldErrors, ValidationFailed
from culture.core.personal import protect_phone
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel, OrgUnit
from culture.standards.refresh import request_evaluation
from culture.teams.models import (
    CulturalOrganisation,
    CulturalTeam,
    CultureHousehold,
    CultureTalent,
    OrganisationKind,
    TeamKind,
)

Status = str  # "created" | "updated" | "unchanged"

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
MAX_MEMBERS = 100_000
MAX_MEMBER_LIST = 500

# Named setting read by the standards engine (S43 "each community >= 2 active teams"): a team
# counts as active when its active flag is set and it was last active within this many days of
# the reference date. ``CULTURE_ACTIVE_TEAM_MIN_ACTIVITIES`` (activities a year) is declared for
# when activities name their team; until then the last-active date stands for it.
ACTIVE_TEAM_WINDOW_DAYS_DEFAULT = 365
ACTIVE_TEAM_MIN_ACTIVITIES_DEFAULT = 4


def active_team_window_days() -> int:
    return int(
        getattr(settings, "CULTURE_ACTIVE_TEAM_WINDOW_DAYS", ACTIVE_TEAM_WINDOW_DAYS_DEFAULT)
    )


def active_team_min_activities() -> int:
    return int(
        getattr(settings, "CULTURE_ACTIVE_TEAM_MIN_ACTIVITIES", ACTIVE_TEAM_MIN_ACTIVITIES_DEFAULT)
    )


class _Errors:
    def __init__(self) -> None:
        self.errors: dict[str, list[Any]] = {}

    def add(self, field: str, message: Any) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise FieldErrors(self.errors)


def _text(errors: _Errors, field: str, value: Any, *, limit: int, required: bool = False) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        errors.add(field, _("不能包含空字符"))
    if required and not text:
        errors.add(field, _("不能为空"))
    elif len(text) > limit:
        errors.add(field, _("最多 %(n)d 个字") % {"n": limit})
    return text


def _code(errors: _Errors, code: Any) -> str:
    text = str(code or "").strip()
    if not text:
        errors.add("code", _("编号不能为空"))
    elif not CODE_RE.match(text):
        errors.add("code", _("编号最长32位，只能包含字母、数字和 - _ ."))
    return text


def _choice(errors: _Errors, field: str, value: Any, choices: type[models.TextChoices]) -> str:
    text = str(value or "").strip()
    if text not in choices.values:
        errors.add(
            field,
            _("应为以下之一：%(choices)s") % {"choices": "、".join(str(c) for c in choices.labels)},
        )
    return text


def _unit(errors: _Errors, field: str, unit: OrgUnit | None, *, community_only: bool) -> None:
    if unit is None:
        errors.add(field, _("请选择所属单位"))
    elif community_only and unit.level != OrgLevel.COMMUNITY:
        errors.add(field, _("应为社区"))
    elif not community_only and unit.level not in (OrgLevel.SUBDISTRICT, OrgLevel.COMMUNITY):
        errors.add(field, _("所属单位应为街道或社区"))


def _state(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = getattr(value, "code", value.pk)
        elif isinstance(value, date):
            value = value.isoformat()
        out[name] = value
    return out


def _save(
    *,
    actor: Any,
    model: type[models.Model],
    code: str,
    values: Mapping[str, Any],
    unit_field: str,
    action: str,
    create_only: bool,
    request: Any,
) -> tuple[Any, Status]:
    """Create or update ``model`` by code with ``values``; scope and audit as described above."""
    obj = model.objects.select_for_update().filter(code=code).first()  # type: ignore[attr-defined]
    unit: OrgUnit = values[unit_field]
    if obj is not None and create_only:
        raise FieldErrors({"code": [_("编号 %(code)s 已存在") % {"code": code}]})
    if actor is not None:
        scope = viewer_scope(actor)
        scope.require_write(unit.path)
        if obj is not None:
            scope.require_write(getattr(obj, unit_field).path)
    fields = [unit_field, *(k for k in values if k != unit_field)]
    created = obj is None
    before = None
    if created:
        obj = model(code=code)
    else:
        before = _state(obj, fields)
    for key, value in values.items():
        setattr(obj, key, value)
    after = _state(obj, fields)
    if before == after:
        return obj, "unchanged"
    obj.save()
    status = "created" if created else "updated"
    request_evaluation(trigger="teams")
    audit_record(
        actor=actor if actor is not None else "system",
        action=f"teams.{action}_{status}",
        target=obj,
        org_path=unit.path,
        before=before,
        after=after,
        request=request,
    )
    return obj, status


# ----- teams -----------------------------------------------------------------------------------
def _clean_members(errors: _Errors, members: Any) -> list[dict[str, str]]:
    if members in (None, ""):
        return []
    if not isinstance(members, (list, tuple)):
        errors.add("members", _("成员名单格式不正确"))
        return []
    if len(members) > MAX_MEMBER_LIST:
        errors.add("members", _("成员名单最多 %(n)d 人") % {"n": MAX_MEMBER_LIST})
        return []
    out = []
    for item in members:
        if isinstance(item, Mapping):
            name, role = item.get("name"), item.get("role", "")
        else:
            name, role = item, ""
        name = str(name or "").strip()
        role = str(role or "").strip()
        if not name:
            continue
        if len(name) > 64 or len(role) > 32 or "\x00" in name + role:
            errors.add("members", _("成员姓名最多64字、角色最多32字"))
            continue
        out.append({"name": name, "role": role})
    return out


def parse_members(text: str) -> list[dict[str, str]]:
    """``"张三:队长, 李四；王五"`` -> [{"name": "张三", "role": "队长"}, ...] (forms, importers)."""
    out = []
    for part in re.split(r"[,，;；、\n]+", text or ""):
        part = part.strip()
        if not part:
            continue
        name, _sep, role = part.replace("：", ":").partition(":")
        out.append({"name": name.strip(), "role": role.strip()})
    return out


def format_members(members: list[dict[str, str]]) -> str:
    return "，".join(f"{m['name']}:{m['role']}" if m.get("role") else m["name"] for m in members)


@transaction.atomic
def team_upsert(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    org_unit: OrgUnit | None,
    members_count: int | None = 0,
    leader_name: str = "",
    rehearsal_venue: Any = None,
    rehearsal_place: str = "",
    founded_on: date | None = None,
    is_active: bool = True,
    last_active_on: date | None = None,
    members: Any = None,
    create_only: bool = False,
    request: Any = None,
) -> tuple[CulturalTeam, Status]:
    """Create or update the team ``code``. ``members=None`` keeps the stored member list."""
    errors = _Errors()
    code = _code(errors, code)
    name = _text(errors, "name", name, limit=100, required=True)
    kind = _choice(errors, "kind", kind, TeamKind)
    _unit(errors, "org_unit", org_unit, community_only=False)
    if members_count is None:
        members_count = 0
    if not isinstance(members_count, int) or not 0 <= members_count <= MAX_MEMBERS:
        errors.add("members_count", _("成员人数应为 0 到 100000 的整数"))
    leader_name = _text(errors, "leader_name", leader_name, limit=64)
    rehearsal_place = _text(errors, "rehearsal_place", rehearsal_place, limit=200)
    today = timezone.localdate()
    if founded_on is not None and founded_on > today:
        errors.add("founded_on", _("成立日期不能晚于今天"))
    if last_active_on is not None:
        if last_active_on > today:
            errors.add("last_active_on", _("最近活动日期不能晚于今天"))
        elif founded_on is not None and last_active_on < founded_on:
            errors.add("last_active_on", _("最近活动日期不能早于成立日期"))
    clean_members = _clean_members(errors, members) if members is not None else None
    errors.raise_if_any()
    values: dict[str, Any] = {
        "org_unit": org_unit,
        "name": name,
        "kind": kind,
        "members_count": members_count,
        "leader_name": leader_name,
        "rehearsal_venue": rehearsal_venue,
        "rehearsal_place": rehearsal_place,
        "founded_on": founded_on,
        "is_active": bool(is_active),
        "last_active_on": last_active_on,
    }
    if clean_members is not None:
        values["members"] = clean_members
    return _save(
        actor=actor,
        model=CulturalTeam,
        code=code,
        values=values,
        unit_field="org_unit",
        action="team",
        create_only=create_only,
        request=request,
    )


@transaction.atomic
def team_mark_active(
    *, actor: Any, team: CulturalTeam, on: date, request: Any = None
) -> CulturalTeam:
    """Record that the team was active on ``on`` (keeps the latest date)."""
    if actor is not None:
        viewer_scope(actor).require_write(team.org_unit.path)
    if on > timezone.localdate():
        raise ValidationFailed(_("最近活动日期不能晚于今天"), field="last_active_on")
    if team.last_active_on is not None and team.last_active_on >= on:
        return team
    before = team.last_active_on
    team.last_active_on = on
    team.save(update_fields=["last_active_on", "updated_at"])
    request_evaluation(trigger="teams")
    audit_record(
        actor=actor if actor is not None else "system",
        action="teams.team_marked_active",
        target=team,
        org_path=team.org_unit.path,
        before={"last_active_on": before},
        after={"last_active_on": on},
        request=request,
    )
    return team


# ----- culture households and talents ----------------------------------------------------------
def _person_record(
    model: type[models.Model],
    action: str,
    *,
    actor: Any,
    code: str,
    name: str,
    community: OrgUnit | None,
    speciality: str,
    is_active: bool,
    create_only: bool,
    request: Any,
    name_limit: int,
) -> tuple[Any, Status]:
    errors = _Errors()
    code = _code(errors, code)
    name = _text(errors, "name", name, limit=name_limit, required=True)
    _unit(errors, "community", community, community_only=True)
    speciality = _text(errors, "speciality", speciality, limit=100)
    errors.raise_if_any()
    return _save(
        actor=actor,
        model=model,
        code=code,
        values={
            "community": community,
            "name": name,
            "speciality": speciality,
            "is_active": bool(is_active),
        },
        unit_field="community",
        action=action,
        create_only=create_only,
        request=request,
    )


@transaction.atomic
def culture_household_upsert(
    *,
    actor: Any,
    code: str,
    name: str,
    community: OrgUnit | None,
    speciality: str = "",
    is_active: bool = True,
    create_only: bool = False,
    request: Any = None,
) -> tuple[CultureHousehold, Status]:
    return _person_record(
        CultureHousehold,
        "household",
        actor=actor,
        code=code,
        name=name,
        community=community,
        speciality=speciality,
        is_active=is_active,
        create_only=create_only,
        request=request,
        name_limit=100,
    )


@transaction.atomic
def culture_talent_upsert(
    *,
    actor: Any,
    code: str,
    name: str,
    community: OrgUnit | None,
    speciality: str = "",
    is_active: bool = True,
    create_only: bool = False,
    request: Any = None,
) -> tuple[CultureTalent, Status]:
    return _person_record(
        CultureTalent,
        "talent",
        actor=actor,
        code=code,
        name=name,
        community=community,
        speciality=speciality,
        is_active=is_active,
        create_only=create_only,
        request=request,
        name_limit=64,
    )


# ----- organisations ---------------------------------------------------------------------------
@transaction.atomic
def organisation_upsert(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    org_unit: OrgUnit | None,
    contact_name: str = "",
    phone: str | None = "",
    address: str = "",
    is_active: bool = True,
    create_only: bool = False,
    request: Any = None,
) -> tuple[CulturalOrganisation, Status]:
    """Create or update the organisation ``code``. ``phone=None`` keeps the stored number,
    ``""`` clears it; a number is validated, stored encrypted and shown masked."""
    errors = _Errors()
    code = _code(errors, code)
    name = _text(errors, "name", name, limit=120, required=True)
    kind = _choice(errors, "kind", kind, OrganisationKind)
    if org_unit is None:
        errors.add("org_unit", _("请选择所属单位"))
    contact_name = _text(errors, "contact_name", contact_name, limit=64)
    address = _text(errors, "address", address, limit=200)
    stored = None
    if phone:
        try:
            stored = protect_phone(phone)
        except ValidationFailed as exc:
            errors.add("phone", exc.message)
    errors.raise_if_any()
    values: dict[str, Any] = {
        "org_unit": org_unit,
        "name": name,
        "kind": kind,
        "contact_name": contact_name,
        "address": address,
        "is_active": bool(is_active),
    }
    existing = CulturalOrganisation.objects.filter(code=code).only("phone_hash").first()
    if phone is not None:
        if stored is None:
            values.update(phone_enc="", phone_hash="", phone_masked="")
        elif existing is None or existing.phone_hash != stored.hash:
            values.update(
                phone_enc=stored.encrypted, phone_hash=stored.hash, phone_masked=stored.masked
            )
    # Ciphertext changes on every encryption: compare (and log) the masked form only.
    state_values = {k: v for k, v in values.items() if k not in ("phone_enc", "phone_hash")}
    obj, status = _save_org(actor, code, values, state_values, create_only, request)
    return obj, status


def _save_org(
    actor: Any,
    code: str,
    values: dict[str, Any],
    state_values: dict[str, Any],
    create_only: bool,
    request: Any,
) -> tuple[CulturalOrganisation, Status]:
    obj = CulturalOrganisation.objects.select_for_update().filter(code=code).first()
    unit: OrgUnit = values["org_unit"]
    if obj is not None and create_only:
        raise FieldErrors({"code": [_("编号 %(code)s 已存在") % {"code": code}]})
    if actor is not None:
        scope = viewer_scope(actor)
        scope.require_write(unit.path)
        if obj is not None:
            scope.require_write(obj.org_unit.path)
    fields = list(state_values)
    created = obj is None
    before = None if obj is None else _state(obj, fields)
    if created:
        obj = CulturalOrganisation(code=code)
    assert obj is not None
    for key, value in values.items():
        setattr(obj, key, value)
    after = _state(obj, fields)
    if before == after:
        return obj, "unchanged"
    obj.save()
    status = "created" if created else "updated"
    request_evaluation(trigger="teams")
    audit_record(
        actor=actor if actor is not None else "system",
        action=f"teams.organisation_{status}",
        target=obj,
        org_path=unit.path,
        before=before,
        after=after,
        request=request,
    )
    return obj, status
