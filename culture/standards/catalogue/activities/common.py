"""What the activity declarations share: the yearly schedule and the common notes."""

from __future__ import annotations

from culture.standards.calculators.activities.base import Requirement, share_met
from culture.standards.catalogue.types import Step, steps

# The policy took effect on 7 December 2023 (本实施意见自2023年12月7日起施行): a yearly count of
# 2023 covers 25 days under it, so yearly counts are judged from 2024 and 2023 is not due.
FIRST_FULL_YEAR = 2024


def yearly(threshold: float) -> tuple[Step, ...]:
    """A yearly count, judged from the first full calendar year the policy is in force."""
    return steps((FIRST_FULL_YEAR, threshold))


YEARLY_ZH = (
    "按年计数，自2024年起评判：本意见自2023年12月7日起施行，2023年只显示数值、不作评判"
    "（未到期）。本年度内按月汇总计数，计到统计日所在月份的月底（之后月份已登记的计划活动暂不计）；"
    "已取消的活动不计。"
)
YEARLY_EN = (
    "A yearly count, judged from 2024: the policy took effect on 7 December 2023, so 2023 shows "
    "the value without a verdict (not due). Within the current year activities are counted by "
    "month up to the end of the month of the day counted (planned activities of later months "
    "do not count yet); cancelled activities never count."
)
NO_RECORDS_ZH = (
    "全区当年没有任何该类活动记录时为“无数据”（可统计填报），不当作0；有记录时，没有活动的单位为0。"
)
NO_RECORDS_EN = (
    "When the district holds no activity of the kind for the year the result is no data (a "
    "reported figure may be used), never 0; once there are records, a unit without any is 0."
)
DISTRICT_LEVEL_ZH = (
    "“区级”读作：主办单位为区本级，或活动场馆为区运营的“四馆一院”（图书馆、文化馆、博物馆、"
    "非遗馆、大剧院）。"
)
DISTRICT_LEVEL_EN = (
    "'District level' means organised by the district unit itself, or held at one of the five "
    "district venues run by the district (library, culture centre, museum, heritage hall, "
    "theatre)."
)


def notes(zh: str, en: str, *, yearly_count: bool = True, kind_records: bool = True):
    """(notes_zh, notes_en): the indicator's own reading followed by the common ones."""
    parts_zh, parts_en = [zh], [en]
    if yearly_count:
        parts_zh.append(YEARLY_ZH)
        parts_en.append(YEARLY_EN)
    if kind_records:
        parts_zh.append(NO_RECORDS_ZH)
        parts_en.append(NO_RECORDS_EN)
    return "".join(parts_zh), " ".join(parts_en)


def share_of_reported(
    fields: dict[str, float],
    required: dict[str, float],
    optional: dict[str, float] | None = None,
) -> float | None:
    """The share of requirements met from reported figures (field key -> threshold): None
    until every required field is reported; an optional field not reported is not judged."""
    if any(key not in fields for key in required):
        return None
    wanted = {**required, **{k: t for k, t in (optional or {}).items() if k in fields}}
    return share_met([Requirement(key, fields[key], t) for key, t in wanted.items()])
