"""Reads of the venue registry, always through the viewer's scope (operator unit's path, or the
venues bound to a venue manager)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from culture.core.errors import NotFound, OutOfScope, ValidationFailed
from culture.core.scope import viewer_scope
from culture.venues.access import can_see, require_write, venue_q
from culture.venues.models import Room, Venue, VenueKind, VenueStatus

ONBOARDING_FLAGS = (
    "on_zheli_platform",
    "on_culture_cloud",
    "on_national_smart_library",
    "on_one_click_borrowing",
    "on_media_platform",
    "accepts_ssc_card",
)
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class VenueFilters:
    kind: str = ""
    unit: str = ""  # org unit code: venues operated in or located in that unit
    q: str = ""
    status: str = ""
    flags: tuple[str, ...] = ()  # onboarding flags that must be true
    missing: tuple[str, ...] = ()  # onboarding flags that must be false

    @classmethod
    def from_query(cls, data: Any) -> VenueFilters:
        def many(name: str) -> tuple[str, ...]:
            getlist = getattr(data, "getlist", None)
            raw = getlist(name) if getlist else data.get(name) or []
            if isinstance(raw, str):
                raw = raw.split(",")
            return tuple(v for v in raw if v)

        return cls(
            kind=(data.get("kind") or "").strip(),
            unit=(data.get("unit") or "").strip(),
            q=(data.get("q") or "").strip()[:100],
            status=(data.get("status") or "").strip(),
            flags=many("flag"),
            missing=many("missing"),
        )


def _visible(viewer: Any) -> QuerySet[Venue]:
    scope = viewer_scope(viewer)
    scope.require_staff()
    return Venue.objects.filter(venue_q(viewer))


def venue_list(*, viewer: Any, filters: VenueFilters | None = None) -> QuerySet[Venue]:
    f = filters or VenueFilters()
    qs = _visible(viewer).select_related("operator_unit", "location_community")
    if f.kind:
        kinds = [k for k in f.kind.split(",") if k]
        bad = [k for k in kinds if k not in VenueKind.values]
        if bad:
            raise ValidationFailed(_("未知的场馆类型：%(k)s") % {"k": ", ".join(bad)}, field="kind")
        qs = qs.filter(kind__in=kinds)
    if f.status:
        if f.status not in VenueStatus.values:
            raise ValidationFailed(_("未知的状态：%(s)s") % {"s": f.status}, field="status")
        qs = qs.filter(status=f.status)
    if f.unit:
        # Operated by, or standing in, that unit or a unit below it.
        qs = qs.filter(
            Q(operator_unit__path__contains=f"{f.unit}/")
            | Q(location_community__path__contains=f"{f.unit}/")
        )
    if f.q:
        qs = qs.filter(
            Q(name_zh__icontains=f.q)
            | Q(name_en__icontains=f.q)
            | Q(code__icontains=f.q)
            | Q(address__icontains=f.q)
        )
    for flag in (*f.flags, *f.missing):
        if flag not in ONBOARDING_FLAGS:
            raise ValidationFailed(_("未知的筛选项：%(f)s") % {"f": flag}, field="flag")
    if f.flags:
        qs = qs.filter(**dict.fromkeys(f.flags, True))
    if f.missing:
        qs = qs.filter(**dict.fromkeys(f.missing, False))
    return qs.annotate(n_rooms=Count("rooms")).order_by("code")


def paginate(qs: QuerySet[Any], page: Any, size: Any = PAGE_SIZE) -> Page:
    try:
        size = max(1, min(int(size), MAX_PAGE_SIZE))
    except (TypeError, ValueError):
        size = PAGE_SIZE
    return Paginator(qs, size).get_page(page)


def venue_get(*, viewer: Any, code: str) -> Venue:
    """One venue by code: NotFound when none, OutOfScope when the viewer may not see it."""
    viewer_scope(viewer).require_staff()
    venue = (
        Venue.objects.select_related("operator_unit", "location_community__parent")
        .filter(code=code)
        .first()
    )
    if venue is None:
        raise NotFound(_("没有编码为 %(code)s 的场馆") % {"code": code})
    if not can_see(viewer, venue):
        raise OutOfScope(_("该场馆不在您的管辖范围内"))
    return venue


def venue_get_for_edit(*, viewer: Any, code: str) -> Venue:
    venue = venue_get(viewer=viewer, code=code)
    require_write(viewer, venue)
    return venue


def venue_rooms(*, viewer: Any, venue: Venue) -> list[Room]:
    if not can_see(viewer, venue):
        raise OutOfScope(_("该场馆不在您的管辖范围内"))
    return list(venue.rooms.order_by("name"))


def room_list(*, viewer: Any, filters: VenueFilters | None = None) -> QuerySet[Room]:
    venues = venue_list(viewer=viewer, filters=filters)
    return (
        Room.objects.filter(venue__in=venues.values("pk"))
        .select_related("venue")
        .order_by("venue__code", "name")
    )


def room_get(*, viewer: Any, venue: Venue, pk: int) -> Room:
    room = Room.objects.filter(venue=venue, pk=pk).first()
    if room is None:
        raise NotFound(_("没有这个活动室"))
    return room


def venue_map_points(*, viewer: Any, kind: str = "") -> list[dict[str, Any]]:
    """Every visible venue as a map point (lon, lat, name, kind, url)."""
    qs = venue_list(viewer=viewer, filters=VenueFilters(kind=kind)).values(
        "code", "name_zh", "name_en", "kind", "lon", "lat", "status"
    )
    labels = dict(VenueKind.choices)
    return [
        {
            "code": v["code"],
            "name": v["name_zh"],
            "kind": v["kind"],
            "kind_label": str(labels.get(v["kind"], v["kind"])),
            "value": [v["lon"], v["lat"]],
            "status": v["status"],
            "url": reverse("venues:detail", args=[v["code"]]),
        }
        for v in qs
    ]
