"""Spreadsheet exports of staff, users and residents. Staff and users use the importers' columns,
so an exported file imports back unchanged; phone numbers and ID numbers are always masked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from culture.accounts import selectors
from culture.accounts.importers import STAFF_COLUMNS, USER_COLUMNS
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.spreadsheets.framework import TEXT, Column, Exporter, register_exporter

RESIDENT_COLUMNS = (
    Column("name", "姓名", "Name", TEXT),
    Column("id_number_masked", "身份证号（部分隐藏）", "ID number (masked)", TEXT),
    Column("phone_masked", "手机号（部分隐藏）", "Phone (masked)", TEXT),
    Column("ssc_card_no_masked", "社保卡卡号（部分隐藏）", "Card number (masked)", TEXT),
    Column("community", "居住社区代码", "Community code", TEXT),
    Column("community_name", "居住社区", "Community", TEXT),
    Column("status", "状态", "Status", TEXT),
)


def _district_reader(viewer: Any) -> bool:
    return viewer_scope(viewer).has_role(Role.DISTRICT_OFFICER, Role.EVALUATOR)


@register_exporter
class StaffExporter(Exporter):
    name = "staff"
    title_zh = "工作人员及培训天数"
    title_en = "Staff and training days"
    columns = STAFF_COLUMNS

    def rows(self, *, viewer: Any, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        for staff in selectors.staff_list(viewer=viewer, filters=filters).iterator(chunk_size=500):
            base = {
                "staff_number": staff.staff_number,
                "name": staff.name,
                "org_unit": staff.org_unit.code,
                "position": staff.position,
                "is_professional": staff.is_professional,
                "is_fulltime_culture": staff.is_fulltime_culture,
                "phone": staff.phone_masked,
                "year": None,
                "training_days": None,
            }
            training = sorted(staff.training.all(), key=lambda t: t.year)
            if not training:
                yield base
            for t in training:
                yield {**base, "year": t.year, "training_days": t.days}


@register_exporter
class UserExporter(Exporter):
    name = "users"
    title_zh = "用户与角色"
    title_en = "Users and roles"
    columns = USER_COLUMNS

    @classmethod
    def allowed(cls, viewer: Any) -> bool:
        return _district_reader(viewer)

    def rows(self, *, viewer: Any, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        for user in selectors.user_list(viewer=viewer, filters=filters).iterator(chunk_size=500):
            base = {
                "username": user.username,
                "display_name": user.display_name,
                "phone": user.phone_masked,
            }
            for ra in user.active_roles:
                yield {**base, "role": ra.role, "org_unit": ra.org_unit.code if ra.org_unit else ""}


@register_exporter
class ResidentExporter(Exporter):
    name = "residents"
    title_zh = "居民（号码部分隐藏）"
    title_en = "Residents (numbers masked)"
    columns = RESIDENT_COLUMNS

    @classmethod
    def allowed(cls, viewer: Any) -> bool:
        return _district_reader(viewer)

    def rows(self, *, viewer: Any, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        qs = selectors.resident_list(viewer=viewer, filters=filters)
        for r in qs.iterator(chunk_size=1000):
            if r.user.is_active:
                status = _("有效")
            elif r.phone_verified_at is None:
                status = _("待验证")
            else:
                status = _("已停用")
            yield {
                "name": selectors.resident_name_for(viewer, r.name),
                "id_number_masked": r.id_number_masked,
                "phone_masked": r.user.phone_masked,
                "ssc_card_no_masked": r.ssc_card_no_masked,
                "community": r.community.code if r.community else "",
                "community_name": r.community.name_zh if r.community else "",
                "status": status,
            }
