"""How values, targets, gaps, statuses and the freshness of a run are written on the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from culture.standards.models import Source, Status

# Units of measure (culture.standards.catalogue.types) and the words written after a value.
UNIT_SUFFIX = {
    "count": "",
    "share": "",
    "hours": gettext_lazy("小时"),
    "days": gettext_lazy("天"),
    "person_times": gettext_lazy("人次"),
    "per_resident": gettext_lazy("每人"),
    "per_thousand": gettext_lazy("每千人"),
    "yuan_per_resident": gettext_lazy("元/人"),
    "flag": "",
    "books": gettext_lazy("册"),
    "m2_per_person": gettext_lazy("平方米/人"),
}
WHOLE = {"count", "person_times", "books"}
TWO_DECIMALS = {"per_resident", "per_thousand", "yuan_per_resident", "m2_per_person"}

STATUS_LABEL = dict(Status.choices)
SOURCE_LABEL = {k: v for k, v in Source.choices if k}
COMPARATOR = {">=": "≥", "<=": "≤"}


def number(value: float | None, unit: str) -> str:
    """The value alone (no unit word): 1,234 · 85.0% · 3.25 · 是/否; "—" when there is none."""
    if value is None:
        return "—"
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit == "flag":
        return _("是") if value >= 0.5 else _("否")
    if unit in WHOLE:
        return f"{round(value):,}"
    if unit in TWO_DECIMALS:
        return f"{value:,.2f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def with_unit(value: float | None, unit: str) -> str:
    text = number(value, unit)
    suffix = str(UNIT_SUFFIX.get(unit, ""))
    return f"{text} {suffix}" if value is not None and suffix else text


def target_text(target: float | None, comparator: str, unit: str) -> str:
    if target is None:
        return "—"
    return f"{COMPARATOR.get(comparator, comparator)} {with_unit(target, unit)}"


def ago(moment: datetime, now: datetime | None = None) -> str:
    """ "5 分钟前" / "3 小时前" / "2 天前"."""
    minutes = max(int(((now or timezone.now()) - moment).total_seconds() // 60), 0)
    if minutes < 120:
        return ngettext("%(n)s 分钟前", "%(n)s 分钟前", minutes) % {"n": minutes}
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(n)s 小时前", "%(n)s 小时前", hours) % {"n": hours}
    days = hours // 24
    return ngettext("%(n)s 天前", "%(n)s 天前", days) % {"n": days}


def freshness(run: Any) -> dict[str, str]:
    """When the figures of ``run`` were made and what day they count up to."""
    finished = timezone.localtime(run.finished_at)
    return {
        "finished": date_format(finished, "Y-m-d H:i"),
        "ago": ago(run.finished_at),
        "as_of": date_format(run.as_of, "Y-m-d"),
        "iso": finished.isoformat(),
    }
