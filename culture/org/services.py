"""Writes to the org tree. Every change is audited; paths are kept consistent with parents.

Population rolls up: a unit that has children counts the sum of its children's populations
(a subdistrict = its communities, the district = its subdistricts). Creating a child or changing
its population recomputes every ancestor, and the triggering audit entry records the new totals;
a direct change to the population of a unit with children is refused.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from culture.core.audit import audit_record, snapshot
from culture.core.errors import FieldErrors
from culture.core.scope import viewer_scope
from culture.org.models import CODE_LENGTH, PARENT_LEVEL, OrgLevel, OrgUnit

EDITABLE_FIELDS = (
    "name_zh", "name_en", "population", "area_km2", "boundary", "centroid_lat", "centroid_lon",
    "is_active",
)


def _validate_code(*, code: str, level: str, parent: OrgUnit | None) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    want = CODE_LENGTH.get(OrgLevel(level)) if level in OrgLevel.values else None
    if want is None:
        errors["level"] = [_("层级必须是 区/街道/社区 之一")]
        return errors
    if not code.isdigit() or len(code) != want:
        errors["code"] = [_("%(level)s的区划代码应为%(n)d位数字") % {"level": OrgLevel(level).label, "n": want}]
    if level == OrgLevel.DISTRICT:
        if parent is not None:
            errors["parent"] = [_("区不能有上级单位")]
    else:
        expected = PARENT_LEVEL[OrgLevel(level)]
        if parent is None or parent.level != expected:
            errors["parent"] = [_("%(level)s的上级必须是%(parent)s") % {
                "level": OrgLevel(level).label, "parent": OrgLevel(expected).label}]
        elif "code" not in errors and not code.startswith(parent.code):
            errors["code"] = [_("区划代码应以上级代码 %(p)s 开头") % {"p": parent.code}]
    return errors


@transaction.atomic
def org_unit_create(
    *, actor: Any, code: str, level: str, name_zh: str, parent: OrgUnit | None,
    name_en: str = "", population: int = 0, area_km2: Any = None, boundary: Any = None,
    centroid_lat: float | None = None, centroid_lon: float | None = None, request: Any = None,
) -> OrgUnit:
    code = (code or "").strip()
    errors = _validate_code(code=code, level=level, parent=parent)
    if not (name_zh or "").strip():
        errors.setdefault("name_zh", []).append(_("名称不能为空"))
    if population is not None and population < 0:
        errors.setdefault("population", []).append(_("人口不能为负数"))
    if OrgUnit.objects.filter(code=code).exists():
        errors.setdefault("code", []).append(_("区划代码 %(code)s 已存在") % {"code": code})
    if errors:
        raise FieldErrors(errors)
    if actor is not None:
        viewer_scope(actor).require_write(parent.path if parent else "")
    unit = OrgUnit.objects.create(
        code=code, level=level, parent=parent, path=(parent.path if parent else "") + code + "/",
        name_zh=name_zh.strip(), name_en=name_en or "", population=population or 0,
        area_km2=area_km2, boundary=boundary, centroid_lat=centroid_lat, centroid_lon=centroid_lon,
    )
    after = snapshot(unit, ("code", "level", "name_zh", "population"))
    rolled = _roll_up_population(unit.parent)
    if rolled:
        after["rolled_up_population"] = rolled
    audit_record(actor=actor or "system", action="org.unit_created", target=unit, org_path=unit.path,
                 after=after, request=request)
    return unit


def _roll_up_population(unit: OrgUnit | None) -> dict[str, int]:
    """Set ``unit`` and each ancestor to the sum of its children's populations; return the
    totals that changed, by code."""
    changed: dict[str, int] = {}
    while unit is not None:
        total = unit.children.aggregate(total=Sum("population"))["total"] or 0
        if total != unit.population:
            OrgUnit.objects.filter(pk=unit.pk).update(population=total)
            unit.population = total
            changed[unit.code] = total
        unit = unit.parent
    return changed


@transaction.atomic
def org_unit_update(*, actor: Any, unit: OrgUnit, request: Any = None, **changes: Any) -> OrgUnit:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise FieldErrors({k: [_("该字段不可修改")] for k in sorted(unknown)})
    if actor is not None:
        viewer_scope(actor).require_write(unit.path)
    if "population" in changes and (changes["population"] is None or changes["population"] < 0):
        raise FieldErrors({"population": [_("人口不能为负数")]})
    if "name_zh" in changes and not (changes["name_zh"] or "").strip():
        raise FieldErrors({"name_zh": [_("名称不能为空")]})
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if "population" in changes and changes["population"] != unit.population and unit.children.exists():
        raise FieldErrors({"population": [_(
            "该单位有下属单位，常住人口由下属单位汇总（现为 %(n)s），请修改下属单位的人口"
        ) % {"n": unit.population}]})
    before = snapshot(unit, changes.keys())
    for k, v in changes.items():
        setattr(unit, k, v)
    if before == snapshot(unit, changes.keys()):
        return unit
    unit.save(update_fields=[*changes.keys(), "updated_at"])
    after = snapshot(unit, changes.keys())
    if "population" in changes:
        rolled = _roll_up_population(unit.parent)
        if rolled:
            after["rolled_up_population"] = rolled
    audit_record(actor=actor or "system", action="org.unit_updated", target=unit, org_path=unit.path,
                 before=before, after=after, request=request)
    return unit


UPSERT_FIELDS = ("name_zh", "name_en", "population", "area_km2")


@transaction.atomic
def org_unit_upsert(
    *, actor: Any, code: str, level: str, parent: OrgUnit | None, name_zh: str,
    name_en: str | None = None, population: int | None = None, area_km2: Any = None,
    request: Any = None,
) -> tuple[OrgUnit, str]:
    """Create the unit with ``code`` or bring an existing one up to date (the importers' write).

    Returns the unit and "created", "updated" or "unchanged". ``None`` for an optional value
    leaves the stored value as it is. The level and the parent of an existing unit cannot change
    here (that would move a subtree); a mismatch is a field error.
    """
    code = (code or "").strip()
    unit = OrgUnit.objects.select_for_update().filter(code=code).first()
    if unit is None:
        unit = org_unit_create(
            actor=actor, code=code, level=level, name_zh=name_zh, parent=parent,
            name_en=name_en or "", population=population or 0, area_km2=area_km2, request=request,
        )
        return unit, "created"
    errors: dict[str, list[Any]] = {}
    if unit.level != level:
        errors["level"] = [_("已有单位的层级是“%(level)s”，导入不能更改层级") % {"level": unit.get_level_display()}]
    if (unit.parent_id or None) != (parent.pk if parent else None):
        errors["parent_code"] = [_("已有单位的上级是 %(code)s，导入不能更改上级") % {
            "code": unit.parent.code if unit.parent else "—"}]
    if errors:
        raise FieldErrors(errors)
    wanted = {"name_zh": name_zh, "name_en": name_en, "population": population, "area_km2": area_km2}
    changes = {k: v for k, v in wanted.items() if v is not None and getattr(unit, k) != v}
    if not changes:
        if actor is not None:
            viewer_scope(actor).require_write(unit.path)
        return unit, "unchanged"
    return org_unit_update(actor=actor, unit=unit, request=request, **changes), "updated"
