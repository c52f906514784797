"""Filters for results (a stored IndicatorResult or a Standing: value, target, unit, status...)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from culture.cockpit import formatting

register = template.Library()


@register.filter
def fmt_value(result: Any) -> str:
    return formatting.with_unit(result.value, result.unit)


@register.filter
def fmt_number(result: Any) -> str:
    return formatting.number(result.value, result.unit)


@register.filter
def unit_word(result: Any) -> str:
    return "" if result.value is None else str(formatting.UNIT_SUFFIX.get(result.unit, ""))


@register.filter
def fmt_target(result: Any) -> str:
    return formatting.target_text(result.target, result.comparator, result.unit)


@register.filter
def fmt_gap(result: Any) -> str:
    if not result.gap:
        return "—"
    return formatting.with_unit(result.gap, result.unit)


@register.filter
def fmt_reported(result: Any) -> str:
    return formatting.with_unit(result.reported_value, result.unit)


@register.filter
def share_pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


@register.filter
def source_label(source: str) -> str:
    return str(formatting.SOURCE_LABEL.get(source, ""))


@register.filter
def status_label(status: str) -> str:
    return str(formatting.STATUS_LABEL.get(status, status))


@register.simple_tag
def status_badge(status: str) -> str:
    label = formatting.STATUS_LABEL.get(status, status)
    return format_html(
        '<span class="badge status-{}" data-status="{}">{}</span>', status, status, label
    )


@register.filter
def parts_text(parts: Any) -> str:
    """The calculation basis (a result's ``parts``) in one short line: "a 1 · b 2 · c [x, y, …]"."""
    if not isinstance(parts, dict) or not parts:
        return ""

    def short(value: Any) -> str:
        if isinstance(value, dict):
            items = list(value.items())
            text = ", ".join(f"{k} {v}" for k, v in items[:6])
            return "{" + text + (", …" if len(items) > 6 else "") + "}"
        if isinstance(value, list):
            return (
                "[" + ", ".join(str(v) for v in value[:6]) + (", …" if len(value) > 6 else "") + "]"
            )
        return str(value)

    return " · ".join(f"{k} {short(v)}" for k, v in parts.items())
