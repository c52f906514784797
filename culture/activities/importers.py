"""Spreadsheet import of activities (``activities``), on the spreadsheets framework.

Key: the 外部编号 column when filled, else organiser + venue + start + title; re-importing a
file updates rather than duplicates.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from culture.activities.kinds import (
    TARGET_GROUP_CODES,
    TARGET_GROUPS,
    BranchSystem,
    Brand,
    kind_choices,
)
from culture.activities.models import Activity
from culture.activities.services import activity_cancel, activity_upsert, kind_field_errors
from culture.core.errors import FieldErrors, ValidationFailed
from culture.core.scope import viewer_scope
from culture.org.models import OrgUnit
from culture.spreadsheets.framework import (
    BOOL,
    DATE,
    INT,
    TEXT,
    Column,
    Importer,
    register_importer,
)
from culture.venues.models import Venue

_DT_RE = re.compile(
    r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2}))?)?"
)
GROUP_LABELS = {
    code: label for code, (_f, label) in zip(TARGET_GROUP_CODES, TARGET_GROUPS, strict=True)
}


def parse_datetime_cell(value: str) -> datetime:
    """'2025-03-01 14:30', '2025/3/1 14:30', '2025-03-01T14:30:00' -> an aware local datetime."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    m = _DT_RE.fullmatch(text)
    if not m:
        raise ValidationFailed(gettext_lazy("时间格式应为 2025-03-01 14:30"))
    try:
        dt = datetime(
            int(m[1]),
            int(m[2]),
            int(m[3]),
            int(m[4] or 0),
            int(m[5] or 0),
            int(m[6] or 0),
            tzinfo=timezone.get_current_timezone(),
        )
    except ValueError:
        raise ValidationFailed(gettext_lazy("时间格式应为 2025-03-01 14:30")) from None
    return dt


def _groups_validator(value: str) -> list[str]:
    """'老年人、未成年人' (or codes, separated by 、,;/ or spaces) -> group codes."""
    by_name: dict[str, str] = {}
    for code, label in GROUP_LABELS.items():
        by_name[code] = code
        by_name[str(label)] = code
    out: list[str] = []
    for part in re.split(r"[、,，;；/\s]+", unicodedata.normalize("NFKC", value).strip()):
        if not part:
            continue
        code = by_name.get(part) or by_name.get(part.lower())
        if code is None:
            raise ValidationFailed(
                gettext_lazy(
                    "服务对象“%(v)s”无效，应为：老年人、未成年人、残疾人、外来务工人员、军人及退役军人"
                )
                % {"v": part}
            )
        if code not in out:
            out.append(code)
    return out


ACTIVITY_COLUMNS = (
    Column(
        "external_id",
        "外部编号",
        "External id",
        TEXT,
        help_zh="其他系统的活动编号；填写则按它识别同一活动，否则按主办单位+场馆+开始时间+名称",
    ),
    Column("title", "活动名称", "Title", TEXT, required=True),
    Column("kind", "活动类型", "Kind", choices=kind_choices(), required=True),
    Column(
        "organiser",
        "主办单位代码",
        "Organiser code",
        TEXT,
        required=True,
        help_zh="区、街道或社区的区划代码",
    ),
    Column("venue", "场馆编码", "Venue code", TEXT, help_zh="可留空（如线上活动）"),
    Column(
        "start_at",
        "开始时间",
        "Start",
        TEXT,
        required=True,
        validator=parse_datetime_cell,
        help_zh="如 2025-03-01 14:30",
    ),
    Column(
        "end_at",
        "结束时间",
        "End",
        TEXT,
        required=True,
        validator=parse_datetime_cell,
        help_zh="不早于开始时间",
    ),
    Column("online", "线上活动", "Online", BOOL),
    Column("attendance", "参与人次", "Attendance", INT),
    Column(
        "target_groups",
        "服务对象",
        "Target groups",
        TEXT,
        validator=_groups_validator,
        help_zh="老年人、未成年人、残疾人、外来务工人员、军人及退役军人，多个用顿号分隔",
    ),
    Column("partner", "合作单位", "Partner", TEXT),
    Column("brand", "品牌活动", "Brand", choices=Brand),
    Column("is_signature", "一街一品", "Signature activity", BOOL),
    Column("film_release_date", "影片上映日期", "Film release date", DATE, help_zh="仅电影放映类"),
    Column("film_domestic", "国产影片", "Domestic film", BOOL, help_zh="仅电影放映类"),
    Column("sessions", "服务场次", "Sessions", INT, help_zh="仅线上服务"),
    Column("books_count", "送书册数", "Books", INT, help_zh="仅送书下基层"),
    Column(
        "branch_system",
        "总分馆体系",
        "Main/branch system",
        choices=BranchSystem,
        help_zh="仅总分馆联动服务",
    ),
    Column("cancelled", "已取消", "Cancelled", BOOL),
    Column("description", "活动简介", "Description", TEXT),
)


@register_importer
class ActivityImporter(Importer):
    name = "activities"
    title_zh = "文化活动"
    title_en = "Activities"
    description_zh = (
        "有外部编号的按外部编号新增或更新，否则按主办单位+场馆+开始时间+活动名称识别。"
        "可选列留空表示保持原值。"
    )
    columns = ACTIVITY_COLUMNS
    key_columns = ("external_id", "organiser", "venue", "start_at", "title")

    def __init__(self) -> None:
        self.units: dict[str, OrgUnit | None] = {}
        self.venues: dict[str, Venue | None] = {}

    def natural_key(self, row: dict[str, Any]) -> tuple[Any, ...]:
        if row.get("external_id"):
            return ("external_id", row["external_id"])
        return (
            "composite",
            row.get("organiser"),
            row.get("venue"),
            row.get("start_at"),
            row.get("title"),
        )

    def _unit(self, code: str) -> OrgUnit | None:
        if code not in self.units:
            self.units[code] = OrgUnit.objects.filter(code=code).first()
        return self.units[code]

    def _venue(self, code: str) -> Venue | None:
        if code not in self.venues:
            self.venues[code] = Venue.objects.filter(code=code).first()
        return self.venues[code]

    def validate_row(self, row: dict[str, Any], *, viewer: Any) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        unit = self._unit(row["organiser"])
        if unit is None:
            errors["organiser"] = [_("没有区划代码为 %(code)s 的单位") % {"code": row["organiser"]}]
        elif not viewer_scope(viewer).can_write_path(unit.path):
            errors["organiser"] = [
                _("主办单位 %(code)s 不在您的管辖范围内，不能导入") % {"code": row["organiser"]}
            ]
        venue = None
        if row["venue"]:
            venue = self._venue(row["venue"])
            if venue is None:
                errors["venue"] = [_("没有编码为 %(code)s 的场馆") % {"code": row["venue"]}]
        if row["start_at"] and row["end_at"] and row["end_at"] < row["start_at"]:
            errors["end_at"] = [_("结束时间不能早于开始时间")]
        errors.update(kind_field_errors(row["kind"], row, check_required=False))
        if errors:
            raise FieldErrors(errors)
        if row["external_id"]:
            existing = (
                Activity.objects.filter(external_id=row["external_id"])
                .only("organiser_path")
                .first()
            )
            if existing is not None and not viewer_scope(viewer).can_write_path(
                existing.organiser_path
            ):
                raise FieldErrors(
                    {
                        "external_id": [
                            _("外部编号 %(id)s 属于您管辖范围以外的活动，不能导入")
                            % {"id": row["external_id"]}
                        ]
                    }
                )
        row["_organiser"], row["_venue"] = unit, venue
        return row

    def save_row(self, row: dict[str, Any], *, actor: Any, request: Any) -> str:
        fields: dict[str, Any] = {
            "external_id": row["external_id"] or "",
            "title": row["title"],
            "kind": row["kind"],
            "organiser": row["_organiser"],
            "venue": row["_venue"],
            "start_at": row["start_at"],
            "end_at": row["end_at"],
        }
        for f in (
            "online",
            "attendance",
            "partner",
            "brand",
            "is_signature",
            "film_release_date",
            "film_domestic",
            "sessions",
            "books_count",
            "branch_system",
            "description",
        ):
            value = row[f]
            fields[f] = None if value == "" else value
        if row["target_groups"] not in (None, ""):
            groups = set(row["target_groups"])
            for code, field in TARGET_GROUP_CODES.items():
                fields[field] = code in groups
        activity, outcome = activity_upsert(actor=actor, request=request, **fields)
        if row["cancelled"] is not None and row["cancelled"] != activity.cancelled:
            activity_cancel(
                actor=actor, activity=activity, request=request, cancelled=row["cancelled"]
            )
            if outcome == "unchanged":
                outcome = "updated"
        return outcome
