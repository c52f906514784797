"""Spreadsheet import of staff records and users, on the spreadsheets framework.

Staff: one row per staff member and training year (工号 + 年度 is the row key); rows with the same
工号 are merged into one record. Users: one row per role (用户名 + 角色 + 单位 is the row key);
rows with the same 用户名 are merged into one account with all their roles.

Phone cells: a full number sets it; an empty cell, or the masked form an export writes
(``139****1234``) when it matches the stored number, keeps what is stored. So an exported file
imports back with no changes.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from culture.accounts.models import StaffMember, User
from culture.accounts.services import (
    ROLE_LEVEL,
    staff_member_upsert,
    user_upsert,
    username_problems,
)
from culture.core.errors import FieldErrors, ValidationFailed
from culture.core.personal import normalize_phone
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel, OrgUnit
from culture.spreadsheets.framework import (
    BOOL,
    DECIMAL,
    INT,
    TEXT,
    Column,
    Importer,
    register_importer,
)

MASKED_PHONE_RE = re.compile(r"^1\d{2}\*{4}\d{4}$")

STAFF_COLUMNS = (
    Column(
        "staff_number", "工号", "Staff number", TEXT, required=True, help_zh="每人唯一，最长32位"
    ),
    Column("name", "姓名", "Name", TEXT, required=True),
    Column(
        "org_unit",
        "所属单位代码",
        "Unit code",
        TEXT,
        required=True,
        help_zh="区6位、街道9位、社区12位区划代码",
    ),
    Column("position", "岗位", "Position", TEXT),
    Column("is_professional", "专业技术人员", "Professional", BOOL, help_zh="是/否"),
    Column("is_fulltime_culture", "专职文化员", "Full-time culture staff", BOOL, help_zh="是/否"),
    Column("phone", "手机号", "Phone", TEXT, help_zh="11位手机号；留空则保持原值"),
    Column("year", "年度", "Year", INT, help_zh="培训年度，如 2025；一人多年度填多行"),
    Column("training_days", "培训天数", "Training days", DECIMAL, help_zh="0-366，可有一位小数"),
)

USER_COLUMNS = (
    Column("username", "用户名", "Username", TEXT, required=True, help_zh="字母、数字和 @/./+/-/_"),
    Column("display_name", "姓名", "Name", TEXT),
    Column("role", "角色", "Role", choices=Role, required=True, help_zh="一人多个角色填多行"),
    Column(
        "org_unit",
        "所属单位代码",
        "Unit code",
        TEXT,
        help_zh="区干部和评估员填区代码（可留空），街道干部填街道代码，社区专干填社区代码",
    ),
    Column("phone", "手机号", "Phone", TEXT, help_zh="11位手机号；留空则保持原值"),
)


def _phone_cell(value: str, stored_masked: str, *, field: str = "phone") -> str | None:
    """A full number, or None to keep what is stored (empty, or the stored number's mask)."""
    value = (value or "").strip()
    if not value:
        return None
    if MASKED_PHONE_RE.match(value):
        if value == stored_masked:
            return None
        raise ValidationFailed(
            _("手机号为部分隐藏形式且与已登记号码不符：请填写完整号码或留空"), field=field
        )
    return normalize_phone(value, field=field)


def _same(
    first: dict[str, Any], row: dict[str, Any], keys: tuple[str, ...]
) -> dict[str, list[str]]:
    """Rows merged into one record must agree on these columns."""
    errors: dict[str, list[str]] = {}
    for key in keys:
        if first.get(key) != row.get(key):
            errors[key] = [_("与同一编号的前面一行不一致")]
    if row["phone"] is not None and first["phone"] is not None and row["phone"] != first["phone"]:
        errors["phone"] = [_("与同一编号的前面一行手机号不一致")]
    return errors


@register_importer
class StaffImporter(Importer):
    name = "staff"
    title_zh = "工作人员及培训天数"
    title_en = "Staff and training days"
    description_zh = "按工号新增或更新工作人员；同一工号多个年度的培训天数填多行，其余各列须一致。"
    columns = STAFF_COLUMNS
    key_columns = ("staff_number", "year")

    def __init__(self) -> None:
        self.first: dict[str, dict[str, Any]] = {}
        self.training: dict[str, dict[int, Decimal]] = {}

    def validate_row(self, row: dict[str, Any], *, viewer: Any) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        number = row["staff_number"]
        if len(number) > 32:
            errors["staff_number"] = [_("工号最长32个字符")]
        if len(row["name"]) > 64:
            errors["name"] = [_("姓名最长64个字符")]
        if len(row["position"] or "") > 64:
            errors["position"] = [_("岗位最长64个字符")]
        scope = viewer_scope(viewer)
        unit = OrgUnit.objects.filter(code=row["org_unit"]).only("pk", "path", "code").first()
        if unit is None:
            errors["org_unit"] = [_("单位代码 %(c)s 不存在") % {"c": row["org_unit"]}]
        elif not scope.can_write_path(unit.path):
            errors["org_unit"] = [_("单位 %(c)s 不在您的管辖范围内") % {"c": row["org_unit"]}]
        existing = (
            StaffMember.objects.select_related("org_unit").filter(staff_number=number).first()
        )
        if existing is not None and not scope.can_write_path(existing.org_unit.path):
            errors["staff_number"] = [_("工号 %(n)s 属于您管辖范围以外的单位") % {"n": number}]
        try:
            row["phone"] = _phone_cell(row["phone"], existing.phone_masked if existing else "")
        except ValidationFailed as exc:
            errors["phone"] = [str(exc.message)]
        year, days = row["year"], row["training_days"]
        if (year is None) != (days is None):
            errors["year" if year is None else "training_days"] = [_("年度和培训天数须同时填写")]
        elif year is not None:
            if not 2000 <= year <= 2100:
                errors["year"] = [_("年度应在2000至2100之间")]
            if not Decimal(0) <= days <= Decimal(366):
                errors["training_days"] = [_("培训天数应在0至366之间")]
            elif days != days.quantize(Decimal("0.1")):
                errors["training_days"] = [_("培训天数最多一位小数")]
        if errors:
            raise FieldErrors(errors)
        row["unit"] = unit
        first = self.first.get(number)
        if first is None:
            self.first[number] = row
            self.training[number] = {}
        else:
            mismatch = _same(
                first,
                row,
                ("name", "org_unit", "position", "is_professional", "is_fulltime_culture"),
            )
            if mismatch:
                raise FieldErrors(mismatch)
            if first["phone"] is None:
                first["phone"] = row["phone"]
        if year is not None:
            self.training[number][year] = days.quantize(Decimal("0.1"))
        return row

    def save_row(self, row: dict[str, Any], *, actor: Any, request: Any) -> str:
        number = row["staff_number"]
        first = self.first[number]
        _staff, outcome = staff_member_upsert(
            actor=actor,
            staff_number=number,
            name=row["name"],
            org_unit=row["unit"],
            position=row["position"] or "",
            is_professional=bool(row["is_professional"]),
            is_fulltime_culture=bool(row["is_fulltime_culture"]),
            phone=first["phone"],
            training=self.training.get(number) or None,
            request=request,
        )
        return outcome


@register_importer
class UserImporter(Importer):
    name = "users"
    title_zh = "用户与角色"
    title_en = "Users and roles"
    description_zh = (
        "按用户名新增或更新账号；一人多个角色填多行（用户名相同），文件中的角色即该用户的全部角色。"
        "新账号没有可用密码，由管理员在用户页面设置。"
    )
    columns = USER_COLUMNS
    key_columns = ("username", "role", "org_unit")

    def __init__(self) -> None:
        self.first: dict[str, dict[str, Any]] = {}
        self.roles: dict[str, list[tuple[str, OrgUnit | None]]] = {}

    @classmethod
    def allowed(cls, viewer: Any) -> bool:
        scope = viewer_scope(viewer)
        return scope.is_superuser or (Role.DISTRICT_OFFICER in scope.roles and scope.writes_all)

    def validate_row(self, row: dict[str, Any], *, viewer: Any) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        username = row["username"]
        if problems := username_problems(username):
            errors["username"] = [str(m) for m in problems]
        if len(row["display_name"] or "") > 64:
            errors["display_name"] = [_("姓名最长64个字符")]
        role = Role(row["role"])
        unit = None
        if row["org_unit"]:
            unit = OrgUnit.objects.filter(code=row["org_unit"]).first()
            if unit is None:
                errors["org_unit"] = [_("单位代码 %(c)s 不存在") % {"c": row["org_unit"]}]
        elif ROLE_LEVEL.get(role) != OrgLevel.DISTRICT:
            errors["org_unit"] = [_("角色“%(r)s”必须填写所属单位代码") % {"r": role.label}]
        want = ROLE_LEVEL.get(role)
        if unit is not None and want is not None and unit.level != want:
            errors["org_unit"] = [
                _("角色“%(r)s”只能绑定到%(l)s级单位") % {"r": role.label, "l": OrgLevel(want).label}
            ]
        existing = User.objects.filter(username=username).select_related("resident").first()
        if existing is not None and hasattr(existing, "resident"):
            errors["username"] = [_("该用户名属于居民账号，不能通过导入修改")]
        try:
            row["phone"] = _phone_cell(row["phone"], existing.phone_masked if existing else "")
        except ValidationFailed as exc:
            errors["phone"] = [str(exc.message)]
        if errors:
            raise FieldErrors(errors)
        row["existing_active"] = existing.is_active if existing is not None else True
        first = self.first.get(username)
        if first is None:
            self.first[username] = row
            self.roles[username] = []
        else:
            mismatch = _same(first, row, ("display_name",))
            if mismatch:
                raise FieldErrors(mismatch)
            if first["phone"] is None:
                first["phone"] = row["phone"]
        self.roles[username].append((role.value, unit))
        return row

    def save_row(self, row: dict[str, Any], *, actor: Any, request: Any) -> str:
        username = row["username"]
        first = self.first[username]
        _user, outcome = user_upsert(
            actor=actor,
            username=username,
            display_name=first["display_name"] or "",
            roles=self.roles[username],
            phone=first["phone"],
            is_active=first["existing_active"],
            request=request,
        )
        return outcome
