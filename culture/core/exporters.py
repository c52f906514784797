"""Spreadsheet export of the audit log (district officers and evaluators)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.core.selectors import audit_entries
from culture.spreadsheets.framework import Column, Exporter, register_exporter

AUDIT_COLUMNS = [
    Column("at", "时间", "Time", "text"),
    Column("actor", "操作人", "Actor", "text"),
    Column("action", "动作", "Action", "text"),
    Column("target", "对象", "Object", "text"),
    Column("before", "变更前", "Before", "text"),
    Column("after", "变更后", "After", "text"),
    Column("ip", "IP", "IP", "text"),
]


@register_exporter
class AuditExporter(Exporter):
    name = "audit"
    title_zh = "审计日志"
    title_en = "Audit log"
    columns = AUDIT_COLUMNS

    @classmethod
    def allowed(cls, viewer: Any) -> bool:
        return viewer_scope(viewer).has_role(Role.DISTRICT_OFFICER, Role.EVALUATOR)

    def rows(self, *, viewer: Any, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        for e in audit_entries(viewer=viewer, filters=filters).iterator(chunk_size=2000):
            yield {
                "at": timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                "actor": e.actor_label,
                "action": e.action,
                "target": e.target_label,
                "before": json.dumps(e.before, ensure_ascii=False) if e.before else "",
                "after": json.dumps(e.after, ensure_ascii=False) if e.after else "",
                "ip": e.ip or "",
            }
