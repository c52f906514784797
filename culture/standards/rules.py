"""Validation rules of reported figures (统计填报), declared as data.

A rule ``AtMost(left, right)`` says: for one unit and one year, the figure ``left`` may not be
larger than the figure ``right`` (each an (indicator id, report field key) pair). It is checked
whenever either side is submitted, against the other side's latest figure that is not rejected
(or, during a spreadsheet import, the value in the same file). A rule whose indicators are not in
the catalogue, or do not declare the field, never fires.

Every report field whose unit is ``share`` must lie between 0 and 1, and a ``flag`` is 0 or 1
(``check_field``); a share written with a percent sign (``85%``) is converted before that check
(services/reporting.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from culture.standards.catalogue.types import FLAG, SHARE, ReportField

FieldRef = tuple[str, str]  # (indicator id, report field key)


@dataclass(frozen=True)
class AtMost:
    left: FieldRef
    right: FieldRef
    # Named with %(left)s and %(right)s (the two values).
    message: Any


RULES: tuple[AtMost, ...] = (
    AtMost(
        ("S17", "new_stock"),
        ("S17", "stock"),
        _("当年新增藏书（%(left)s 册）不能多于藏书总量（%(right)s 册）"),
    ),
    AtMost(
        ("T01", "value"),
        ("T02", "value"),
        _("线上服务场次（T01：%(left)s 场）不能多于线上服务人次（T02：%(right)s 人次）"),
    ),
)


def fmt(value: Decimal) -> str:
    """1500.0000 -> "1500", 0.8500 -> "0.85"."""
    return format(value.normalize(), "f")


def field_label(field: ReportField) -> str:
    """The field's label in the current language."""
    english = (translation.get_language() or "").startswith("en")
    return field.label_en if english and field.label_en else field.label_zh


def rules_for(ref: FieldRef) -> list[AtMost]:
    return [r for r in RULES if ref in (r.left, r.right)]


def check_rules(
    ref: FieldRef, value: Decimal, counterpart: Callable[[FieldRef], Decimal | None]
) -> list[str]:
    """The messages of the rules that ``value`` (for ``ref``) breaks; ``counterpart`` gives the
    other side's value for the same unit and year (None: nothing to compare with)."""
    broken = []
    for rule in rules_for(ref):
        other_ref = rule.right if ref == rule.left else rule.left
        other = counterpart(other_ref)
        if other is None:
            continue
        left, right = (value, other) if ref == rule.left else (other, value)
        if left > right:
            broken.append(str(rule.message) % {"left": fmt(left), "right": fmt(right)})
    return broken


def check_field(field: ReportField, value: Decimal) -> str | None:
    """A share lies between 0 and 1; a yes/no flag is 0 or 1 (None when the value is fine)."""
    if field.unit == FLAG and value not in (0, 1):
        return gettext("“%(label)s”只能填 1（是）或 0（否），填写的是 %(value)s") % {
            "label": field_label(field),
            "value": fmt(value),
        }
    if field.unit != SHARE or value <= 1:
        return None
    return gettext(
        "“%(label)s”是占比，应在 0 到 1 之间（85%% 填 0.85 或 85%%），填写的是 %(value)s"
    ) % {"label": field_label(field), "value": fmt(value)}
