"""Changing a named definition (指标口径): district officers only, audited with the value before and
after, then the current year is recomputed (culture/standards/definitions.py lists them)."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from culture.core.audit import audit_record
from culture.core.errors import NotFound, OutOfScope, ValidationFailed
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.standards.definitions import DEFINITION_BY_KEY, Definition, parse_value
from culture.standards.models import NamedDefinition
from culture.standards.refresh import request_evaluation


def _definition(key: str) -> Definition:
    definition = DEFINITION_BY_KEY.get(key)
    if definition is None:
        raise NotFound(_("没有名为“%(key)s”的指标口径") % {"key": key})
    return definition


def _require_officer(actor: Any) -> None:
    scope = viewer_scope(actor)
    if scope.is_read_only or not (scope.is_superuser or scope.has_role(Role.DISTRICT_OFFICER)):
        raise OutOfScope(_("指标口径只能由区文旅局干部修改"))


def current_value(key: str) -> Any:
    stored = NamedDefinition.objects.filter(key=key).values_list("value", flat=True).first()
    return stored if stored is not None else _definition(key).default()


def _check_window(key: str, value: Any) -> None:
    """The off-peak core window must start before it ends."""
    if key not in ("offpeak_start", "offpeak_end"):
        return
    start = value if key == "offpeak_start" else current_value("offpeak_start")
    end = value if key == "offpeak_end" else current_value("offpeak_end")
    if time.fromisoformat(str(start)) >= time.fromisoformat(str(end)):
        raise ValidationFailed(
            _("工作日核心时段的开始时间（%(start)s）应早于结束时间（%(end)s）")
            % {"start": start, "end": end},
            field="value",
        )


def _changed(*, actor: Any, key: str, before: Any, after: Any, request: Any) -> None:
    audit_record(
        actor=actor,
        action="standards.definition_changed",
        target_label=key,
        before={"key": key, "value": before},
        after={"key": key, "value": after},
        request=request,
    )
    request_evaluation(years=[timezone.localdate().year], trigger="definitions")


def definition_set(*, actor: Any, key: str, value: Any, request: Any = None) -> NamedDefinition:
    """Store the district's value of a named definition (parsed and checked)."""
    _require_officer(actor)
    definition = _definition(key)
    try:
        parsed = parse_value(definition, value)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, field="value") from None
    _check_window(key, parsed)
    with transaction.atomic():
        row = NamedDefinition.objects.select_for_update().filter(key=key).first()
        before = row.value if row is not None else definition.default()
        if row is None:
            row = NamedDefinition(key=key)
        elif row.value == parsed:
            return row
        row.value, row.updated_by = parsed, actor
        row.save()
        _changed(actor=actor, key=key, before=before, after=parsed, request=request)
    return row


def definition_reset(*, actor: Any, key: str, request: Any = None) -> None:
    """Go back to the default (settings) value of a named definition."""
    _require_officer(actor)
    definition = _definition(key)
    default = definition.default()
    _check_window(key, default)
    with transaction.atomic():
        row = NamedDefinition.objects.select_for_update().filter(key=key).first()
        if row is None:
            return
        before = row.value
        row.delete()
        _changed(actor=actor, key=key, before=before, after=default, request=request)
