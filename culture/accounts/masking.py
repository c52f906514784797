"""Masked forms of residents' names (evaluators and the audit log see only these)."""

from __future__ import annotations

from typing import Any

from culture.accounts.models import Resident, User


def mask_name(name: str) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧***: the first character only."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def audit_label(obj: Any) -> str:
    """How an object is named in the audit log: residents by masked name and record number."""
    if isinstance(obj, Resident):
        return f"{mask_name(obj.name)}（居民#{obj.pk}）"
    if isinstance(obj, User):
        resident = getattr(obj, "resident", None)
        if resident is not None:
            return f"{mask_name(resident.name)}（居民#{resident.pk}）"
    return str(obj)
