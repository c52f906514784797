"""Writing to the audit log. Every service that changes something that matters calls
``audit_record`` inside its transaction, with a namespaced action code (``org.unit_updated``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from culture.core.models import AuditEntry
from culture.core.personal import mask_id_number, mask_phone

_ID_RE = re.compile(r"(?<!\d)(\d{17}[\dXx])(?!\d)")
_PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")
# Columns that hold ciphertext or hashes never enter the log.
_SECRET_SUFFIXES = ("_enc", "_hash", "password")


def mask_text(value: str) -> str:
    """Safety net: mask anything that looks like an ID or mobile number in free text."""
    value = _ID_RE.sub(lambda m: mask_id_number(m.group(1)), value)
    return _PHONE_RE.sub(lambda m: mask_phone(m.group(1)), value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items() if not k.endswith(_SECRET_SUFFIXES)}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The loggable state of ``instance``: concrete fields, secrets left out, numbers masked."""
    names = (
        list(fields) if fields is not None else [f.attname for f in instance._meta.concrete_fields]
    )
    return _jsonable({n: getattr(instance, n) for n in names})


def client_ip(request: Any) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_label: str = "",
    org_path: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    request: Any = None,
) -> AuditEntry:
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    label = ""
    if actor_obj is not None:
        label = actor_obj.get_username()
    elif isinstance(actor, str):
        label = actor
    return AuditEntry.objects.create(
        actor=actor_obj,
        actor_label=mask_text(label)[:150],
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=mask_text(target_label or (str(target) if target is not None else ""))[:255],
        org_path=org_path,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        ip=client_ip(request),
    )


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {k: after[k] for k in after if before.get(k) != after[k]}
