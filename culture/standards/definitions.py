"""Named definitions: how the platform reads the policy's vague words, changeable by a district
officer (stored in ``NamedDefinition``; the defaults here come from settings).

Each definition says what it means, its default and its type; the indicator pages list the
definitions they use, with the current value. Changing one (``definition_set`` in services)
is audited and triggers a recomputation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from culture.core.errors import ValidationFailed

TIME = "time"
INT = "int"
FLOAT = "float"
TERMS = "terms"  # list of {"name": str, "start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}


@dataclass(frozen=True)
class Definition:
    key: str
    label_zh: str
    label_en: str
    type: str
    help_zh: str
    help_en: str

    def default(self) -> Any:
        return DEFAULTS[self.key]()


def _default_terms() -> list[dict[str, str]]:
    # Hangzhou primary and middle schools, typical dates: spring term mid-Feb to end of June,
    # autumn term 1 Sep to mid/late Jan. Stored per year by the officer when the bureau
    # publishes the calendar; these defaults repeat the typical pattern for any year.
    return list(getattr(settings, "CULTURE_SCHOOL_TERMS", []))


DEFAULTS: dict[str, Any] = {
    "offpeak_start": lambda: settings.CULTURE_OFFPEAK_START,
    "offpeak_end": lambda: settings.CULTURE_OFFPEAK_END,
    "active_team_window_days": lambda: settings.CULTURE_ACTIVE_TEAM_WINDOW_DAYS,
    "active_team_min_activities": lambda: settings.CULTURE_ACTIVE_TEAM_MIN_ACTIVITIES,
    "new_film_years": lambda: getattr(settings, "CULTURE_NEW_FILM_YEARS", 2),
    "school_terms": _default_terms,
    "library_stock_complete_from": lambda: settings.CULTURE_LIBRARY_STOCK_COMPLETE_FROM,
    "future_community_culture_m2_per_person": lambda: float(
        getattr(settings, "CULTURE_FUTURE_COMMUNITY_CULTURE_M2_PER_PERSON", 0.1)
    ),
}

DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        "offpeak_start",
        "错时开放：工作日核心时段开始",
        "Off-peak: start of working-day core hours",
        TIME,
        "工作日此时刻之前的开放时间算错时开放；周末、法定节假日全天算错时（调休上班日按工作日）。",
        "Open time before this on a working day is off-peak; weekends and public holidays count "
        "whole (adjusted working days count as working days).",
    ),
    Definition(
        "offpeak_end",
        "错时开放：工作日核心时段结束",
        "Off-peak: end of working-day core hours",
        TIME,
        "工作日此时刻之后的开放时间算错时（延时、夜间）开放。",
        "Open time after this on a working day is off-peak (extended, evening).",
    ),
    Definition(
        "active_team_window_days",
        "活跃团队：统计窗口（天）",
        "Active team: window (days)",
        INT,
        "团队在截至统计日的这些天内有足够活动即为活跃。",
        "A team is active when it has enough activities within this many days up to the day "
        "counted.",
    ),
    Definition(
        "active_team_min_activities",
        "活跃团队：窗口内最少活动次数",
        "Active team: minimum activities in the window",
        INT,
        "窗口内活动（排练、演出）不少于此次数的团队算活跃团队。",
        "A team with at least this many activities in the window counts as active.",
    ),
    Definition(
        "new_film_years",
        "新片：上映后年数",
        "New film: years since release",
        INT,
        "放映日期距上映日期不超过此年数的影片算新片（S32 国产新片占比）。",
        "A film shown within this many years of its release counts as new (S32).",
    ),
    Definition(
        "school_terms",
        "中小学学期",
        "School terms",
        TERMS,
        "学期起止日期（每行：名称、开始日期、结束日期）；学期之外为寒暑假。用于 S32、S25。",
        "Term start and end dates (one per row: name, start, end); outside them are school "
        "holidays. Used by S32 and S25.",
    ),
    Definition(
        "library_stock_complete_from",
        "图书馆藏书：平台馆藏完整的起始年份",
        "Library stock: first year the platform holds the whole stock",
        INT,
        "从这一年起，平台的馆藏（图书馆系统导入的全部复本）即为区图书馆总分馆的全部藏书，S17 按馆藏计算；"
        "此前的年份和 0（默认：尚未完整）用区图书馆填报的藏书量。馆藏只导入了一部分时请保持 0，"
        "否则人均藏书会被算低。",
        "From this year on, the platform's copies (the library system's whole import) are the "
        "whole stock of the main/branch library system and S17 is computed from them; earlier "
        "years and 0 (the default: not complete yet) use the stock the district library "
        "reports. Keep 0 while only part of the catalogue is imported, or the stock per "
        "resident would be counted too low.",
    ),
    Definition(
        "future_community_culture_m2_per_person",
        "未来社区：公共文化空间人均面积下限（平方米/人）",
        "Future community: culture space per resident (m2)",
        FLOAT,
        "未来社区公共文化空间面积除以居住人口不低于此值，即按省市标准建设（S08）。默认 0.1，"
        "参照《城市居住区规划设计标准》（GB 50180-2018）五分钟生活圈文化活动站 250–1200 平方米、"
        "服务 0.5–1.2 万人的规模；省市标准明确后请按其修改。",
        "A future community's culture space divided by its residents must reach this to count as "
        "built to the provincial and city standard (S08). Default 0.1, after the culture station "
        "of GB 50180-2018's five-minute circle (250-1,200 m2 for 5,000-12,000 residents); set "
        "the provincial or city figure when it is published.",
    ),
)
DEFINITION_BY_KEY = {d.key: d for d in DEFINITIONS}


def parse_value(definition: Definition, raw: Any) -> Any:
    """The stored form of a value, or ValidationFailed saying what is wrong."""
    try:
        if definition.type == TIME:
            return time.fromisoformat(str(raw).strip()).strftime("%H:%M")
        if definition.type == INT:
            value = int(str(raw).strip())
            if value < 0:
                raise ValueError
            return value
        if definition.type == FLOAT:
            return float(str(raw).strip())
        if definition.type == TERMS:
            terms = []
            for item in raw:
                start = date.fromisoformat(str(item["start"]))
                end = date.fromisoformat(str(item["end"]))
                if end < start:
                    raise ValueError
                terms.append(
                    {
                        "name": str(item.get("name", "")),
                        "start": start.isoformat(),
                        "end": end.isoformat(),
                    }
                )
            return sorted(terms, key=lambda t: t["start"])
    except (ValueError, TypeError, KeyError) as exc:
        raise ValidationFailed(
            _("“%(label)s”的值无效：%(raw)s") % {"label": definition.label_zh, "raw": raw},
            field=definition.key,
        ) from exc
    raise ValidationFailed(_("未知的定义类型"), field=definition.key)


def school_terms_in(terms: list[dict[str, str]], year: int) -> list[tuple[str, date, date]]:
    """The terms that overlap calendar ``year`` (name, start, end)."""
    out = []
    for t in terms:
        start, end = date.fromisoformat(t["start"]), date.fromisoformat(t["end"])
        if start.year <= year <= end.year:
            out.append((t["name"], start, end))
    return out
