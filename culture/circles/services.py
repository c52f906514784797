"""Writes of the circles' coverage data: residential points (imported compounds) and candidate
sites. Every change is audited.

Coordinates arrive in WGS-84, GCJ-02 (高德/腾讯) or BD-09 (百度) and are stored in WGS-84; a
point outside the district is refused. The community is the one named, or else the one whose
boundary holds the point. Community workers, subdistrict officers and district officers write
within their scope; evaluators never write.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from culture.circles.models import CandidateSite, PointSource, ResidentialPoint
from culture.core import geo
from culture.core.audit import audit_record, snapshot
from culture.core.errors import FieldErrors, NotFound
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel, OrgUnit
from culture.venues.models import CoordSystem

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
POINT_LOGGED = ("code", "name", "community_id", "lon", "lat", "coord_source_system", "population")
SITE_LOGGED = ("code", "name", "community_id", "lon", "lat", "coord_source_system", "note")
SAME_PLACE_M = 1.0  # two candidate sites closer than this are the same site


def _add(errors: dict[str, list[Any]], key: str, message: Any) -> None:
    errors.setdefault(key, []).append(message)


def _place(
    errors: dict[str, list[Any]],
    *,
    lon: Any,
    lat: Any,
    coord_system: str | None,
    community: OrgUnit | None,
    locator: geo.CommunityIndex,
) -> tuple[float, float, str, OrgUnit | None]:
    """(WGS-84 lon, lat, source system, community) or errors added."""
    system = coord_system or CoordSystem.WGS84
    if system not in CoordSystem.values:
        _add(errors, "coord_system", _("坐标系必须是 WGS-84、GCJ-02 或 BD-09"))
        return 0.0, 0.0, system, None
    if lon in (None, "") or lat in (None, ""):
        _add(errors, "lon" if lon in (None, "") else "lat", _("请填写经纬度"))
        return 0.0, 0.0, system, None
    try:
        wlon, wlat = geo.to_wgs84(float(lon), float(lat), system)
    except (TypeError, ValueError):
        _add(errors, "lon", _("经纬度必须是数字"))
        return 0.0, 0.0, system, None
    located = locator.find(wlon, wlat)
    if located is None and not locator.in_district(wlon, wlat):
        _add(
            errors,
            "lon",
            _("坐标（%(system)s %(lon)s, %(lat)s，转换为WGS-84后 %(wlon).6f, %(wlat).6f）不在本区范围内")
            % {"system": CoordSystem(system).label, "lon": lon, "lat": lat,
               "wlon": wlon, "wlat": wlat},
        )  # fmt: skip
    if community is None:
        community = located
        if community is None and "lon" not in errors:
            _add(errors, "community", _("坐标不在任何社区的边界内，请填写社区代码"))
    elif community.level != OrgLevel.COMMUNITY:
        _add(errors, "community", _("%(code)s 不是社区") % {"code": community.code})
    return wlon, wlat, system, community


def _check(
    model: type[Any],
    *,
    actor: Any,
    code: str,
    lon: Any,
    lat: Any,
    coord_system: str | None,
    community: OrgUnit | None,
    locator: geo.CommunityIndex | None,
) -> tuple[dict[str, Any], Any]:
    """Validate a point or site; returns (values to store, existing row or None)."""
    errors: dict[str, list[Any]] = {}
    code = (code or "").strip()
    if not CODE_RE.match(code):
        _add(errors, "code", _("编号须为1-32位字母、数字、点、下划线或短横线"))
    existing = model.objects.select_related("community").filter(code=code).first()
    scope = viewer_scope(actor) if actor is not None else None
    if scope is not None and existing is not None:
        scope.require_write(existing.community_path)
    wlon, wlat, system, unit = _place(
        errors,
        lon=lon,
        lat=lat,
        coord_system=coord_system,
        community=community,
        locator=locator or geo.CommunityIndex.load(),
    )
    if scope is not None and unit is not None and unit.level == OrgLevel.COMMUNITY:
        scope.require_write(unit.path)
    if errors:
        raise FieldErrors(errors)
    assert unit is not None
    values = {
        "community": unit,
        "community_path": unit.path,
        "lon": float(wlon),
        "lat": float(wlat),
        "coord_source_system": system,
    }
    return values, existing


def _save(
    model: type[Any],
    *,
    actor: Any,
    code: str,
    values: dict[str, Any],
    existing: Any,
    logged: tuple[str, ...],
    action: str,
    request: Any,
) -> tuple[Any, str]:
    code = code.strip()
    if existing is None:
        obj = model.objects.create(code=code, **values)
        audit_record(
            actor=actor or "system", action=f"circles.{action}_created", target=obj,
            org_path=obj.community_path, after=snapshot(obj, logged), request=request,
        )  # fmt: skip
        return obj, "created"
    obj = model.objects.select_for_update().get(pk=existing.pk)
    before = snapshot(obj, logged)
    for key, value in values.items():
        setattr(obj, key, value)
    after = snapshot(obj, logged)
    if after == before:
        return obj, "unchanged"
    obj.save()
    changed = [k for k in after if before.get(k) != after[k]]
    audit_record(
        actor=actor or "system", action=f"circles.{action}_updated", target=obj,
        org_path=obj.community_path, before={k: before[k] for k in changed},
        after={k: after[k] for k in changed}, request=request,
    )  # fmt: skip
    return obj, "updated"


def residential_point_check(
    *,
    actor: Any,
    code: str,
    lon: Any,
    lat: Any,
    population: Any,
    name: str = "",
    community: OrgUnit | None = None,
    coord_system: str | None = None,
    locator: geo.CommunityIndex | None = None,
) -> tuple[dict[str, Any], ResidentialPoint | None]:
    """What ``residential_point_upsert`` would store, or FieldErrors / OutOfScope; writes
    nothing (the importer's row check)."""
    errors: dict[str, list[Any]] = {}
    try:
        people = int(population)
        if people < 0:
            _add(errors, "population", _("居住人口不能为负数"))
    except (TypeError, ValueError):
        _add(errors, "population", _("居住人口须为不小于0的整数"))
        people = 0
    try:
        values, existing = _check(
            ResidentialPoint, actor=actor, code=code, lon=lon, lat=lat,
            coord_system=coord_system, community=community, locator=locator,
        )  # fmt: skip
    except FieldErrors as exc:
        for k, v in exc.errors.items():
            errors.setdefault(k, []).extend(v)
        raise FieldErrors(errors) from None
    if errors:
        raise FieldErrors(errors)
    values.update(name=(name or "").strip()[:100], population=people, source=PointSource.IMPORTED)
    return values, existing


@transaction.atomic
def residential_point_upsert(
    *,
    actor: Any,
    code: str,
    lon: Any,
    lat: Any,
    population: Any,
    name: str = "",
    community: OrgUnit | None = None,
    coord_system: str | None = None,
    request: Any = None,
    locator: geo.CommunityIndex | None = None,
) -> tuple[ResidentialPoint, str]:
    """Create or update the imported residential point ``code``; returns it and "created",
    "updated" or "unchanged"."""
    values, existing = residential_point_check(
        actor=actor, code=code, lon=lon, lat=lat, population=population, name=name,
        community=community, coord_system=coord_system, locator=locator,
    )  # fmt: skip
    return _save(
        ResidentialPoint, actor=actor, code=code, values=values, existing=existing,
        logged=POINT_LOGGED, action="residential_point", request=request,
    )  # fmt: skip


def candidate_site_check(
    *,
    actor: Any,
    code: str,
    lon: Any,
    lat: Any,
    name: str = "",
    note: str = "",
    community: OrgUnit | None = None,
    coord_system: str | None = None,
    locator: geo.CommunityIndex | None = None,
) -> tuple[dict[str, Any], CandidateSite | None]:
    values, existing = _check(
        CandidateSite, actor=actor, code=code, lon=lon, lat=lat, coord_system=coord_system,
        community=community, locator=locator,
    )  # fmt: skip
    t = geo.metric_transformer()
    x, y = t.transform(values["lon"], values["lat"])
    near = CandidateSite.objects.exclude(code=(code or "").strip()).filter(
        lon__range=(values["lon"] - 0.0001, values["lon"] + 0.0001),
        lat__range=(values["lat"] - 0.0001, values["lat"] + 0.0001),
    )
    for other in near.only("code", "lon", "lat"):
        ox, oy = t.transform(other.lon, other.lat)
        if ((ox - x) ** 2 + (oy - y) ** 2) ** 0.5 < SAME_PLACE_M:
            raise FieldErrors({"lon": [_("与候选点 %(code)s 位置重复") % {"code": other.code}]})
    values.update(name=(name or "").strip()[:100], note=(note or "").strip()[:200])
    return values, existing


@transaction.atomic
def candidate_site_upsert(
    *,
    actor: Any,
    code: str,
    lon: Any,
    lat: Any,
    name: str = "",
    note: str = "",
    community: OrgUnit | None = None,
    coord_system: str | None = None,
    request: Any = None,
    locator: geo.CommunityIndex | None = None,
) -> tuple[CandidateSite, str]:
    values, existing = candidate_site_check(
        actor=actor, code=code, lon=lon, lat=lat, name=name, note=note, community=community,
        coord_system=coord_system, locator=locator,
    )  # fmt: skip
    return _save(
        CandidateSite, actor=actor, code=code, values=values, existing=existing,
        logged=SITE_LOGGED, action="candidate_site", request=request,
    )  # fmt: skip


@transaction.atomic
def residential_point_delete(*, actor: Any, code: str, request: Any = None) -> None:
    _delete(ResidentialPoint, actor=actor, code=code, request=request,
            logged=POINT_LOGGED, action="circles.residential_point_deleted")  # fmt: skip


@transaction.atomic
def candidate_site_delete(*, actor: Any, code: str, request: Any = None) -> None:
    _delete(CandidateSite, actor=actor, code=code, request=request,
            logged=SITE_LOGGED, action="circles.candidate_site_deleted")  # fmt: skip


def _delete(
    model: type[Any], *, actor: Any, code: str, request: Any, logged: tuple[str, ...], action: str
) -> None:
    obj = model.objects.select_for_update().filter(code=code).first()
    if obj is None:
        raise NotFound(_("没有编号为 %(code)s 的记录") % {"code": code})
    if actor is not None:
        viewer_scope(actor).require_write(obj.community_path)
    before = snapshot(obj, logged)
    path = obj.community_path
    obj.delete()
    audit_record(
        actor=actor or "system", action=action, target_label=code, org_path=path,
        before=before, request=request,
    )  # fmt: skip
