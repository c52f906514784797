"""Writes to the org tree. Every change is audited; paths are kept consistent with parents.

Population rolls up: a unit that has children counts the sum of its children's populations
(a subdistrict = its communities, the district = its subdistricts). Creating a child or changing
its population recomputes every ancestor, and the triggering audit entry records the new totals;
a direct change to the population of a unit with children is refused.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.core.audit import audit_record, snapshot
from culture.core.errors import FieldErrors
from culture.core.scope import viewer_scope
from culture.org.models import CODE_LENGTH, PARENT_LEVEL, OrgLevel, OrgUnit, ResidentialDevelopment
from culture.standards.refresh import request_evaluation

EDITABLE_FIELDS = (
    "name_zh",
    "name_en",
    "population",
    "area_km2",
    "boundary",
    "centroid_lat",
    "centroid_lon",
    "is_active",
)


def _validate_code(*, code: str, level: str, parent: OrgUnit | None) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    want = CODE_LENGTH.get(OrgLevel(level)) if level in OrgLevel.values else None
    if want is None:
        errors["level"] = [_("层级必须是 区/街道/社区 之一")]
        return errors
    if not code.isdigit() or len(code) != want:
        errors["code"] = [
            _("%(level)s的区划代码应为%(n)d位数字") % {"level": OrgLevel(level).label, "n": want}
        ]
    if level == OrgLevel.DISTRICT:
        if parent is not None:
            errors["parent"] = [_("区不能有上级单位")]
    else:
        expected = PARENT_LEVEL[OrgLevel(level)]
        if parent is None or parent.level != expected:
            errors["parent"] = [
                _("%(level)s的上级必须是%(parent)s")
                % {"level": OrgLevel(level).label, "parent": OrgLevel(expected).label}
            ]
        elif "code" not in errors and not code.startswith(parent.code):
            errors["code"] = [_("区划代码应以上级代码 %(p)s 开头") % {"p": parent.code}]
    return errors


@transaction.atomic
def org_unit_create(
    *,
    actor: Any,
    code: str,
    level: str,
    name_zh: str,
    parent: OrgUnit | None,
    name_en: str = "",
    population: int = 0,
    area_km2: Any = None,
    boundary: Any = None,
    centroid_lat: float | None = None,
    centroid_lon: float | None = None,
    request: Any = None,
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
        code=code,
        level=level,
        parent=parent,
        path=(parent.path if parent else "") + code + "/",
        name_zh=name_zh.strip(),
        name_en=name_en or "",
        population=population or 0,
        area_km2=area_km2,
        boundary=boundary,
        centroid_lat=centroid_lat,
        centroid_lon=centroid_lon,
    )
    after = snapshot(unit, ("code", "level", "name_zh", "population"))
    rolled = _roll_up_population(unit.parent)
    if rolled:
        after["rolled_up_population"] = rolled
    request_evaluation(trigger="org")
    audit_record(
        actor=actor or "system",
        action="org.unit_created",
        target=unit,
        org_path=unit.path,
        after=after,
        request=request,
    )
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
    if (
        "population" in changes
        and changes["population"] != unit.population
        and unit.children.exists()
    ):
        raise FieldErrors(
            {
                "population": [
                    _(
                        "该单位有下属单位，常住人口由下属单位汇总（现为 %(n)s），请修改下属单位的人口"
                    )
                    % {"n": unit.population}
                ]
            }
        )
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
    request_evaluation(trigger="org")
    audit_record(
        actor=actor or "system",
        action="org.unit_updated",
        target=unit,
        org_path=unit.path,
        before=before,
        after=after,
        request=request,
    )
    return unit


UPSERT_FIELDS = ("name_zh", "name_en", "population", "area_km2")


@transaction.atomic
def org_unit_upsert(
    *,
    actor: Any,
    code: str,
    level: str,
    parent: OrgUnit | None,
    name_zh: str,
    name_en: str | None = None,
    population: int | None = None,
    area_km2: Any = None,
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
            actor=actor,
            code=code,
            level=level,
            name_zh=name_zh,
            parent=parent,
            name_en=name_en or "",
            population=population or 0,
            area_km2=area_km2,
            request=request,
        )
        return unit, "created"
    errors: dict[str, list[Any]] = {}
    if unit.level != level:
        errors["level"] = [
            _("已有单位的层级是“%(level)s”，导入不能更改层级") % {"level": unit.get_level_display()}
        ]
    if (unit.parent_id or None) != (parent.pk if parent else None):
        errors["parent_code"] = [
            _("已有单位的上级是 %(code)s，导入不能更改上级")
            % {"code": unit.parent.code if unit.parent else "—"}
        ]
    if errors:
        raise FieldErrors(errors)
    wanted = {
        "name_zh": name_zh,
        "name_en": name_en,
        "population": population,
        "area_km2": area_km2,
    }
    changes = {k: v for k, v in wanted.items() if v is not None and getattr(unit, k) != v}
    if not changes:
        if actor is not None:
            viewer_scope(actor).require_write(unit.path)
        return unit, "unchanged"
    return org_unit_update(actor=actor, unit=unit, request=request, **changes), "updated"


# ----- residential developments and future communities (S08, S36) ---------------------------------
DEVELOPMENT_FIELDS = (
    "name",
    "community",
    "population",
    "indoor_fitness_m2",
    "outdoor_fitness_m2",
    "culture_space_m2",
    "is_future_community",
    "completion_year",
)
DEVELOPMENT_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
MAX_DEVELOPMENT_AREA = Decimal("999999999.9")


def _development_state(dev: ResidentialDevelopment) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in DEVELOPMENT_FIELDS:
        value = getattr(dev, name)
        out[name] = value.code if isinstance(value, OrgUnit) else value
    return out


@transaction.atomic
def development_upsert(
    *,
    actor: Any,
    code: str,
    name: str,
    community: OrgUnit | None,
    population: int | None = 0,
    indoor_fitness_m2: Any = 0,
    outdoor_fitness_m2: Any = 0,
    culture_space_m2: Any = 0,
    is_future_community: bool = False,
    completion_year: int | None = None,
    create_only: bool = False,
    request: Any = None,
) -> tuple[ResidentialDevelopment, str]:
    """Create or update the residential development ``code`` (the natural key); returns it and
    "created", "updated" or "unchanged". Scoped on the community's path; audited."""
    errors: dict[str, list[Any]] = {}
    code = (code or "").strip()
    name = (name or "").strip()
    if not code:
        errors["code"] = [_("编号不能为空")]
    elif not DEVELOPMENT_CODE_RE.match(code):
        errors["code"] = [_("编号最长32位，只能包含字母、数字和 - _ .")]
    if not name:
        errors["name"] = [_("名称不能为空")]
    elif len(name) > 100 or "\x00" in name:
        errors["name"] = [_("名称最多 100 个字")]
    if community is None:
        errors["community"] = [_("请选择所在社区")]
    elif community.level != OrgLevel.COMMUNITY:
        errors["community"] = [_("应为社区")]
    if population is None:
        population = 0
    if not isinstance(population, int) or not 0 <= population <= 1_000_000:
        errors["population"] = [_("居住人口应为 0 到 1000000 的整数")]
    areas: dict[str, Decimal] = {}
    for field, raw in (
        ("indoor_fitness_m2", indoor_fitness_m2),
        ("outdoor_fitness_m2", outdoor_fitness_m2),
        ("culture_space_m2", culture_space_m2),
    ):
        try:
            value = Decimal(str(raw if raw not in (None, "") else 0))
        except (InvalidOperation, ValueError):
            errors[field] = [_("面积必须是数字")]
            continue
        if not value.is_finite() or value < 0 or value > MAX_DEVELOPMENT_AREA:
            errors[field] = [_("面积不能为负数")]
        elif value != value.quantize(Decimal("0.1")):
            errors[field] = [_("面积最多一位小数")]
        else:
            areas[field] = value
    this_year = timezone.localdate().year
    if completion_year is not None and not 1949 <= completion_year <= this_year + 10:
        errors["completion_year"] = [_("建成年份应在 1949 到 %(y)d 之间") % {"y": this_year + 10}]
    if errors:
        raise FieldErrors(errors)
    assert community is not None
    dev = (
        ResidentialDevelopment.objects.select_for_update(of=("self",))
        .select_related("community")
        .filter(code=code)
        .first()
    )
    if dev is not None and create_only:
        raise FieldErrors({"code": [_("编号 %(code)s 已存在") % {"code": code}]})
    if actor is not None:
        scope = viewer_scope(actor)
        scope.require_write(community.path)
        if dev is not None:
            scope.require_write(dev.community.path)
    created = dev is None
    before = None if dev is None else _development_state(dev)
    if dev is None:
        dev = ResidentialDevelopment(code=code)
    dev.name, dev.community, dev.population = name, community, population
    for field, value in areas.items():
        setattr(dev, field, value)
    dev.is_future_community = bool(is_future_community)
    dev.completion_year = completion_year
    after = _development_state(dev)
    if before == after:
        return dev, "unchanged"
    dev.save()
    status = "created" if created else "updated"
    request_evaluation(trigger="org")
    audit_record(
        actor=actor or "system",
        action=f"org.development_{status}",
        target=dev,
        org_path=community.path,
        before=before,
        after=after,
        request=request,
    )
    return dev, status
