"""Writes to the venue registry: venues and rooms. Every change is audited.

On every save the service converts the coordinates to WGS-84 (from the source system), refuses
points outside the district, computes the location community, and stores the opening-hours
figures (weekly hours, days open, off-peak share, shortest rest-day opening) for the current
year, so standards can query them set-based.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.accounts.models import RoleAssignment
from culture.core import geo
from culture.core.audit import audit_record, snapshot
from culture.core.errors import FieldErrors, ServiceError
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.org.models import OrgUnit
from culture.standards.refresh import request_evaluation
from culture.venues import hours
from culture.venues.access import require_write
from culture.venues.kinds import KIND_FIELDS, applies, field_label, is_empty
from culture.venues.models import (
    BookroomCertification,
    CoordSystem,
    FeePolicy,
    FreeDay,
    Room,
    TargetGroup,
    Venue,
    VenueGrade,
    VenueKind,
    VenueStatus,
    venue_field,
)

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
RESERVED_CODES = frozenset({"map", "new"})  # page paths under /venues/
LOW_FEE_MAX_RATIO = Decimal("0.7")

# Fields a form, the API or an import may set (besides code, operator_unit and coordinates).
EDITABLE_FIELDS = (
    "name_zh", "name_en", "kind", "status", "grade", "floor_area_m2", "address", "opening_hours",
    "fee_policy", "ticket_price", "market_price", "waiver_groups", "free_days",
    "has_wifi", "has_signage", "is_accessible", "has_special_group_area", "has_blind_reading",
    "has_board_of_trustees", "has_culture_steward", "social_operation", "social_operator",
    "accepts_ssc_card", "on_zheli_platform", "on_culture_cloud", "on_national_smart_library",
    "on_one_click_borrowing", "on_media_platform", "bookroom_certification", "theatre_seats",
    "state_owned", "school_open_eligible", "school_open_to_public", "is_happy_culture_centre",
    "is_satisfying_library",
)  # fmt: skip
BOOL_FIELDS = tuple(
    f for f in EDITABLE_FIELDS if venue_field(f).get_internal_type() == "BooleanField"
)
# What a venue manager may not change on the venue they run.
MANAGER_LOCKED = ("kind", "operator_unit")
COMPUTED_FIELDS = (
    "location_community", "weekly_hours", "days_open_per_year", "offpeak_share",
    "min_rest_day_hours", "hours_year",
)  # fmt: skip
ROOM_FIELDS = ("name", "capacity", "area_m2", "equipment", "is_active")


def _add(errors: dict[str, list[Any]], field: str, message: Any) -> None:
    errors.setdefault(field, []).append(message)


def _places(field: Any) -> int:
    """The decimal places a DecimalField keeps."""
    return int(field.decimal_places)


def _decimal(errors: dict[str, list[Any]], field: str, value: Any, places: int) -> Decimal | None:
    """A non-negative number rounded to the field's ``places`` (as the database stores it, so
    an unchanged value re-imported as 108000 or 260.50 compares equal to the stored one)."""
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        _add(errors, field, _("请输入数字"))
        return None
    if not d.is_finite() or d < 0:
        _add(errors, field, _("不能为负数"))
        return None
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _choice_list(
    errors: dict[str, list[Any]], field: str, value: Any, choices: Any
) -> list[str] | None:
    if value is None:
        return None
    items = value if isinstance(value, (list, tuple)) else [value]
    out: list[str] = []
    for item in items:
        item = str(item).strip()
        if not item:
            continue
        if item not in choices.values:
            _add(errors, field, _("“%(v)s”不是可选的值") % {"v": item})
        elif item not in out:
            out.append(item)
    return out


def _clean(data: dict[str, Any], locator: geo.CommunityIndex | None = None) -> dict[str, Any]:
    """Validate and normalise a complete set of venue values; raise FieldErrors."""
    errors: dict[str, list[Any]] = {}
    kind = data.get("kind")
    if kind not in VenueKind.values:
        _add(errors, "kind", _("请选择场馆类型"))
    if not (data.get("name_zh") or "").strip():
        _add(errors, "name_zh", _("名称不能为空"))
    data["name_zh"] = (data.get("name_zh") or "").strip()
    data["name_en"] = (data.get("name_en") or "").strip()
    if not isinstance(data.get("operator_unit"), OrgUnit):
        _add(errors, "operator_unit", _("请选择运营单位"))
    for field, choices in (
        ("status", VenueStatus),
        ("grade", VenueGrade),
        ("fee_policy", FeePolicy),
        ("bookroom_certification", BookroomCertification),
    ):
        if (data.get(field) or "") not in choices.values:
            _add(errors, field, _("“%(v)s”不是可选的值") % {"v": data.get(field)})
    for field in ("floor_area_m2", "ticket_price", "market_price"):
        data[field] = _decimal(errors, field, data.get(field), _places(venue_field(field)))
    seats = data.get("theatre_seats")
    if seats not in (None, ""):
        try:
            data["theatre_seats"] = int(seats)
            if data["theatre_seats"] < 0:
                raise ValueError
        except (TypeError, ValueError):
            _add(errors, "theatre_seats", _("请输入不小于0的整数"))
    else:
        data["theatre_seats"] = None
    data["waiver_groups"] = _choice_list(
        errors, "waiver_groups", data.get("waiver_groups") or [], TargetGroup
    )
    data["free_days"] = _choice_list(errors, "free_days", data.get("free_days") or [], FreeDay)
    for field in BOOL_FIELDS:
        data[field] = bool(data.get(field))
    data["social_operator"] = (data.get("social_operator") or "").strip()
    data["address"] = (data.get("address") or "").strip()

    # Fees: low means at most 70 % of the market price (product.md, Decisions).
    fee, price, market = data.get("fee_policy"), data.get("ticket_price"), data.get("market_price")
    if fee == FeePolicy.FREE and price:
        _add(errors, "ticket_price", _("免费场馆不应填写票价"))
    if fee == FeePolicy.LOW:
        if price is None:
            _add(errors, "ticket_price", _("低收费须填写票价"))
        if market is None:
            _add(errors, "market_price", _("低收费须填写市场价"))
        if price is not None and market is not None and price > market * LOW_FEE_MAX_RATIO:
            _add(
                errors,
                "ticket_price",
                _("低收费票价不得超过市场价的70%%（市场价 %(m)s 元，最高 %(x)s 元）")
                % {"m": market, "x": (market * LOW_FEE_MAX_RATIO).quantize(Decimal("0.01"))},
            )
    if fee == FeePolicy.PAID and price is None:
        _add(errors, "ticket_price", _("收费场馆须填写票价"))

    # Kind-specific fields (one table: culture.venues.kinds.KIND_FIELDS).
    if kind in VenueKind.values:
        for field in KIND_FIELDS:
            if not is_empty(data.get(field)) and not applies(field, kind):
                _add(
                    errors,
                    field,
                    _("%(kind)s没有‘%(field)s’")
                    % {"kind": VenueKind(kind).label, "field": field_label(field)},
                )

    # Opening hours: parsed with the real CN calendar; the parser's message is quoted.
    data["opening_hours"] = (data.get("opening_hours") or "").strip()
    if data["opening_hours"]:
        try:
            figures = hours.compute(data["opening_hours"], year=timezone.localdate().year)
        except ServiceError as exc:
            _add(errors, "opening_hours", exc.message)
        else:
            data["weekly_hours"] = figures.weekly_hours
            data["days_open_per_year"] = figures.days_open
            data["offpeak_share"] = figures.offpeak_share
            data["min_rest_day_hours"] = figures.min_rest_day_hours
            data["hours_year"] = figures.year
    else:
        for field in COMPUTED_FIELDS[1:]:
            data[field] = None

    # Coordinates: converted to WGS-84, must lie in the district.
    system = data.pop("coord_system", None) or CoordSystem.WGS84
    lon, lat = data.get("lon"), data.get("lat")
    if system not in CoordSystem.values:
        _add(errors, "coord_system", _("坐标系必须是 WGS-84、GCJ-02 或 BD-09"))
    elif lon in (None, "") or lat in (None, ""):
        _add(errors, "lon" if lon in (None, "") else "lat", _("请填写经纬度"))
    else:
        try:
            wlon, wlat = geo.to_wgs84(float(lon), float(lat), system)
        except (TypeError, ValueError):
            _add(errors, "lon", _("经纬度必须是数字"))
        else:
            index = locator or geo.CommunityIndex.load()
            community = index.find(wlon, wlat)
            if community is None and not index.in_district(wlon, wlat):
                _add(
                    errors,
                    "lon",
                    _("坐标（%(system)s %(lon)s, %(lat)s，转换为WGS-84后 %(wlon).6f, %(wlat).6f）不在本区范围内")
                    % {"system": CoordSystem(system).label, "lon": lon, "lat": lat,
                       "wlon": wlon, "wlat": wlat},
                )  # fmt: skip
            data["lon"], data["lat"] = round(wlon, 7), round(wlat, 7)
            data["coord_source_system"] = system
            data["location_community"] = community
    if errors:
        raise FieldErrors(errors)
    return data


def _values_of(venue: Venue) -> dict[str, Any]:
    data = {f: getattr(venue, f) for f in EDITABLE_FIELDS}
    data.update(
        operator_unit=venue.operator_unit,
        lon=venue.lon,
        lat=venue.lat,
        coord_system=CoordSystem.WGS84,
    )
    return data


LOGGED = ("code", "operator_unit_id", "lon", "lat", *EDITABLE_FIELDS)


@transaction.atomic
def venue_create(
    *,
    actor: Any,
    code: str,
    name_zh: str,
    kind: str,
    operator_unit: OrgUnit | None,
    lon: Any,
    lat: Any,
    coord_system: str = CoordSystem.WGS84,
    request: Any = None,
    locator: geo.CommunityIndex | None = None,
    **fields: Any,
) -> Venue:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise FieldErrors({k: [_("该字段不可设置")] for k in sorted(unknown)})
    code = (code or "").strip()
    errors: dict[str, list[Any]] = {}
    if not CODE_RE.match(code) or code.lower() in RESERVED_CODES:
        _add(errors, "code", _("场馆编码须为1-32位字母、数字、点、下划线或短横线"))
    elif Venue.objects.filter(code=code).exists():
        _add(errors, "code", _("场馆编码 %(code)s 已存在") % {"code": code})
    if actor is not None and isinstance(operator_unit, OrgUnit):
        viewer_scope(actor).require_write(operator_unit.path)
    defaults = {f: venue_field(f).get_default() for f in EDITABLE_FIELDS}
    data = {**defaults, **fields, "name_zh": name_zh, "kind": kind}
    data.update(operator_unit=operator_unit, lon=lon, lat=lat, coord_system=coord_system)
    try:
        data = _clean(data, locator)
    except FieldErrors as exc:
        for k, v in exc.errors.items():
            errors.setdefault(k, []).extend(v)
    if errors:
        raise FieldErrors(errors)
    venue = Venue.objects.create(code=code, **data)
    request_evaluation(trigger="venues")
    audit_record(
        actor=actor or "system",
        action="venues.venue_created",
        target=venue,
        org_path=venue.operator_unit.path,
        after=snapshot(venue, LOGGED),
        request=request,
    )
    return venue


@transaction.atomic
def venue_update(
    *,
    actor: Any,
    venue: Venue,
    request: Any = None,
    locator: geo.CommunityIndex | None = None,
    **changes: Any,
) -> Venue:
    """Change a venue. ``changes`` may hold EDITABLE_FIELDS, ``operator_unit``, ``lon``/``lat``
    with an optional ``coord_system`` (coordinates are always given as a pair)."""
    allowed = {*EDITABLE_FIELDS, "operator_unit", "lon", "lat", "coord_system"}
    unknown = set(changes) - allowed
    if unknown:
        raise FieldErrors({k: [_("该字段不可修改")] for k in sorted(unknown)})
    venue = (
        Venue.objects.select_for_update(of=("self",))
        .select_related("operator_unit")
        .get(pk=venue.pk)
    )
    if actor is not None:
        require_write(actor, venue)
        scope = viewer_scope(actor)
        if not scope.can_write_path(venue.operator_unit.path):  # a venue manager
            locked = [f for f in MANAGER_LOCKED if f in changes and changes[f] != getattr(venue, f)]
            if locked:
                raise FieldErrors({f: [_("场馆管理员不能修改此项")] for f in locked})
        new_unit = changes.get("operator_unit")
        if isinstance(new_unit, OrgUnit) and new_unit.pk != venue.operator_unit_id:
            scope.require_write(new_unit.path)
    if ("lon" in changes) != ("lat" in changes):
        raise FieldErrors({"lat" if "lon" in changes else "lon": [_("经度和纬度须同时填写")]})
    before = snapshot(venue, LOGGED)
    data = _values_of(venue)
    data.update(changes)
    data = _clean(data, locator)
    for k, v in data.items():
        setattr(venue, k, v)
    after = snapshot(venue, LOGGED)
    if after == before:
        venue.save(update_fields=[*COMPUTED_FIELDS, "updated_at"])
        return venue
    venue.save()
    changed = [k for k in after if before.get(k) != after[k]]
    request_evaluation(trigger="venues")
    audit_record(
        actor=actor or "system",
        action="venues.venue_updated",
        target=venue,
        org_path=venue.operator_unit.path,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        request=request,
    )
    return venue


@transaction.atomic
def venue_upsert(
    *,
    actor: Any,
    code: str,
    request: Any = None,
    locator: geo.CommunityIndex | None = None,
    **fields: Any,
) -> tuple[Venue, str]:
    """Create the venue with ``code`` or bring the stored one up to date (the importer's write).

    ``None`` for a value keeps what is stored. Returns the venue and "created", "updated" or
    "unchanged".
    """
    code = (code or "").strip()
    venue = Venue.objects.select_related("operator_unit").filter(code=code).first()
    if venue is None:
        given = {k: v for k, v in fields.items() if v is not None}
        venue = venue_create(actor=actor, code=code, request=request, locator=locator, **{
            "name_zh": given.pop("name_zh", ""), "kind": given.pop("kind", ""),
            "operator_unit": given.pop("operator_unit", None), "lon": given.pop("lon", None),
            "lat": given.pop("lat", None), **given,
        })  # fmt: skip
        return venue, "created"
    changes = {k: v for k, v in fields.items() if v is not None}
    if "coord_system" in changes and "lon" not in changes:
        changes.pop("coord_system")
    if actor is not None:
        require_write(actor, venue)
    before = snapshot(venue, LOGGED)
    updated = venue_update(actor=actor, venue=venue, request=request, locator=locator, **changes)
    return updated, "unchanged" if snapshot(updated, LOGGED) == before else "updated"


def venue_check_upsert(
    *, actor: Any, code: str, locator: geo.CommunityIndex | None = None, **fields: Any
) -> dict[str, Any]:
    """What ``venue_upsert`` would store, or FieldErrors / OutOfScope; writes nothing (the
    importer's row check, so every bad row is reported before anything is saved)."""
    code = (code or "").strip()
    venue = Venue.objects.select_related("operator_unit").filter(code=code).first()
    given = {k: v for k, v in fields.items() if v is not None}
    if venue is None:
        if not CODE_RE.match(code) or code.lower() in RESERVED_CODES:
            raise FieldErrors({"code": [_("场馆编码须为1-32位字母、数字、点、下划线或短横线")]})
        unit = given.get("operator_unit")
        if actor is not None and isinstance(unit, OrgUnit):
            viewer_scope(actor).require_write(unit.path)
        data = {f: venue_field(f).get_default() for f in EDITABLE_FIELDS}
        data.update(given)
        return _clean(data, locator)
    if actor is not None:
        require_write(actor, venue)
        new_unit = given.get("operator_unit")
        if isinstance(new_unit, OrgUnit) and new_unit.pk != venue.operator_unit_id:
            viewer_scope(actor).require_write(new_unit.path)
    if "coord_system" in given and "lon" not in given:
        given.pop("coord_system")
    data = _values_of(venue)
    data.update(given)
    return _clean(data, locator)


@transaction.atomic
def venue_recompute_hours(*, actor: Any = None, year: int | None = None) -> int:
    """Recompute every venue's opening-hours figures for ``year`` (run at the turn of the year);
    returns the number of venues updated."""
    year = year or timezone.localdate().year
    n = 0
    for venue in Venue.objects.exclude(opening_hours="").select_for_update():
        f = hours.compute(venue.opening_hours, year=year)
        venue.weekly_hours, venue.days_open_per_year = f.weekly_hours, f.days_open
        venue.offpeak_share, venue.min_rest_day_hours = f.offpeak_share, f.min_rest_day_hours
        venue.hours_year = year
        venue.save(update_fields=[*COMPUTED_FIELDS[1:], "updated_at"])
        n += 1
    request_evaluation(trigger="venues")
    audit_record(
        actor=actor or "system", action="venues.hours_recomputed", after={"year": year, "n": n}
    )
    return n


# ----- rooms -----------------------------------------------------------------------------
def _clean_room(venue: Venue, data: dict[str, Any], *, room: Room | None) -> dict[str, Any]:
    errors: dict[str, list[Any]] = {}
    data["name"] = (data.get("name") or "").strip()
    if not data["name"]:
        _add(errors, "name", _("名称不能为空"))
    elif len(data["name"]) > 64:
        _add(errors, "name", _("名称最多64个字"))
    elif (
        Room.objects.filter(venue=venue, name=data["name"])
        .exclude(pk=room.pk if room is not None and room.pk is not None else 0)
        .exists()
    ):
        _add(errors, "name", _("该场馆已有名为“%(name)s”的活动室") % {"name": data["name"]})
    try:
        data["capacity"] = int(data.get("capacity") or 0)
        if data["capacity"] < 1:
            raise ValueError
    except (TypeError, ValueError):
        _add(errors, "capacity", _("容纳人数须为正整数"))
    places = _places(Room._meta.get_field("area_m2"))
    data["area_m2"] = _decimal(errors, "area_m2", data.get("area_m2"), places)
    data["equipment"] = (data.get("equipment") or "").strip()[:500]
    data["is_active"] = bool(data.get("is_active", True))
    if errors:
        raise FieldErrors(errors)
    return data


@transaction.atomic
def room_add(
    *,
    actor: Any,
    venue: Venue,
    name: str,
    capacity: Any,
    equipment: str = "",
    area_m2: Any = None,
    is_active: bool = True,
    request: Any = None,
) -> Room:
    if actor is not None:
        require_write(actor, venue)
    data = _clean_room(
        venue,
        {"name": name, "capacity": capacity, "equipment": equipment, "area_m2": area_m2,
         "is_active": is_active},
        room=None,
    )  # fmt: skip
    room = Room.objects.create(venue=venue, **data)
    audit_record(
        actor=actor or "system",
        action="venues.room_added",
        target=room,
        org_path=venue.operator_unit.path,
        after=snapshot(room, ("venue_id", *ROOM_FIELDS)),
        request=request,
    )
    return room


@transaction.atomic
def room_update(*, actor: Any, room: Room, request: Any = None, **changes: Any) -> Room:
    unknown = set(changes) - set(ROOM_FIELDS)
    if unknown:
        raise FieldErrors({k: [_("该字段不可修改")] for k in sorted(unknown)})
    room = (
        Room.objects.select_for_update(of=("self",))
        .select_related("venue__operator_unit")
        .get(pk=room.pk)
    )
    if actor is not None:
        require_write(actor, room.venue)
    before = snapshot(room, ROOM_FIELDS)
    data = _clean_room(
        room.venue, {**{f: getattr(room, f) for f in ROOM_FIELDS}, **changes}, room=room
    )
    for k, v in data.items():
        setattr(room, k, v)
    after = snapshot(room, ROOM_FIELDS)
    if after == before:
        return room
    room.save(update_fields=[*ROOM_FIELDS, "updated_at"])
    changed = [k for k in after if before.get(k) != after[k]]
    audit_record(
        actor=actor or "system",
        action="venues.room_updated",
        target=room,
        org_path=room.venue.operator_unit.path,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        request=request,
    )
    return room


@transaction.atomic
def room_upsert(
    *, actor: Any, venue: Venue, name: str, request: Any = None, **fields: Any
) -> tuple[Room, str]:
    room = Room.objects.filter(venue=venue, name=(name or "").strip()).first()
    given = {k: v for k, v in fields.items() if v is not None}
    if room is None:
        return room_add(actor=actor, venue=venue, name=name, request=request, **given), "created"
    before = snapshot(room, ROOM_FIELDS)
    room = room_update(actor=actor, room=room, request=request, **given)
    return room, "unchanged" if snapshot(room, ROOM_FIELDS) == before else "updated"


# ----- venue managers --------------------------------------------------------------------
@transaction.atomic
def venue_manager_bind(*, actor: Any, user: Any, venue: Venue | None, request: Any = None) -> int:
    """Bind the user's venue-manager role(s) to ``venue`` (None unbinds); only those who
    may write the venue's operator unit. Returns the number of role assignments changed."""
    if actor is not None:
        viewer_scope(actor).require_write(venue.operator_unit.path if venue else "")
    changed = RoleAssignment.objects.filter(user=user, role=Role.VENUE_MANAGER).exclude(venue=venue)
    n = changed.update(venue=venue)
    if n:
        audit_record(
            actor=actor or "system",
            action="venues.manager_bound",
            target=venue,
            target_label=str(user),
            org_path=venue.operator_unit.path if venue else "",
            after={"user": user.pk, "venue": venue.code if venue else None},
            request=request,
        )
    return n
