"""The public side of a circle (一圈一码): what a resident sees after scanning its QR code.

No sign-in and no personal data: the circle's name and theme, the open public culture venues
and public-welfare spaces within reach of its centre (distance in EPSG:4549 metres, open now
or not from their ``opening_hours`` with the CN holiday calendar at the current time in
Asia/Shanghai), and this week's activities there. The QR code encodes the absolute public URL
``CULTURE_PUBLIC_BASE_URL`` + ``/circles/c/<code>/``; the code never changes, so neither does the
URL nor the printed poster.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

import segno
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pyproj import Transformer

from culture.activities.models import Activity
from culture.circles.checklist import Centre, circle_centre, radius_m, space_kinds, venue_kinds
from culture.circles.models import Circle
from culture.core import geo
from culture.core.errors import NotFound, ServiceError
from culture.venues import hours
from culture.venues.models import Venue, VenueStatus

DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"
QR_ERROR = "m"  # error correction M: survives a scuffed poster
QR_BORDER = 4  # the quiet zone the standard asks for
SVG_SCALE = 10
PNG_SCALE = 12
MAX_ACTIVITIES = 30  # this week's activities listed on the page
PUBLIC_OTHERS = 8  # besides the circle's own facilities, the nearest others listed
POSTER_FACILITIES = 8  # facilities listed on the A4 poster (its own first)
# A bounding box in degrees (20 % wider than the radius) before the exact distances in metres.
_M_PER_DEG_LAT = 110_574.0
_BOX_MARGIN = 1.2


def public_circle(*, code: str) -> Circle:
    """Any circle by its code (public: no scope), or NotFound."""
    circle = Circle.objects.select_related("community", "essential_venue").filter(code=code).first()
    if circle is None:
        raise NotFound(_("没有圈码为 %(code)s 的文化圈") % {"code": code})
    return circle


def public_url(circle: Circle) -> str:
    base = getattr(settings, "CULTURE_PUBLIC_BASE_URL", DEFAULT_PUBLIC_BASE_URL).rstrip("/")
    return base + reverse("circles:circle_public", args=[circle.code])


def qr_code(circle: Circle) -> segno.QRCode:
    return segno.make(public_url(circle), error=QR_ERROR, micro=False)


def qr_svg(circle: Circle) -> bytes:
    out = io.BytesIO()
    qr_code(circle).save(out, kind="svg", scale=SVG_SCALE, border=QR_BORDER, light="#fff")
    return out.getvalue()


def qr_png(circle: Circle) -> bytes:
    out = io.BytesIO()
    qr_code(circle).save(out, kind="png", scale=PNG_SCALE, border=QR_BORDER)
    return out.getvalue()


@dataclass(frozen=True)
class Reachable:
    venue: Venue
    distance_m: int  # rounded metres
    role: str  # "essential" | "space" (of the circle) | "venue" | "other_space" (also near)
    open_now: bool | None  # None: no usable opening hours

    @property
    def hours_text(self) -> str:
        """The opening hours in words a resident reads (周一至周五 …), not the OSM syntax."""
        return hours.readable(self.venue.opening_hours)

    @property
    def role_label(self) -> str:
        return str(
            {
                "essential": _("本圈必备场馆"),
                "space": _("本圈文化空间"),
                "venue": _("公共文化场馆"),
                "other_space": _("公益性文化空间"),
            }[self.role]
        )


def _open_now(venue: Venue, now_local: datetime) -> bool | None:
    if not venue.opening_hours:
        return None
    try:
        return bool(hours.parse(venue.opening_hours).is_open(now_local))
    except (ServiceError, ValueError):
        return None


def reachable(
    circle: Circle, *, now: datetime | None = None
) -> tuple[Centre | None, list[Reachable]]:
    """The open venues and spaces (the circle's kinds) within its radius of its centre, nearest
    first, with whether each is open now."""
    t = geo.metric_transformer()
    centre = circle_centre(circle, t)
    if centre is None:
        return None, []
    radius = radius_m()
    lon, lat = _to_lonlat(centre)
    dlat = radius * _BOX_MARGIN / _M_PER_DEG_LAT
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    candidates = list(
        Venue.objects.filter(
            status=VenueStatus.OPEN,
            kind__in=(*venue_kinds(), *space_kinds()),
            lon__gte=lon - dlon, lon__lte=lon + dlon, lat__gte=lat - dlat, lat__lte=lat + dlat,
        ).order_by("code")
    )  # fmt: skip
    if not candidates:
        return centre, []
    xs, ys = geo.project([v.lon for v in candidates], [v.lat for v in candidates], t)
    mine = set(circle.spaces.values_list("pk", flat=True))
    now_local = timezone.localtime(now).replace(tzinfo=None)  # opening hours are wall-clock
    out: list[Reachable] = []
    for v, x, y in zip(candidates, xs, ys, strict=True):
        d = ((float(x) - centre.x) ** 2 + (float(y) - centre.y) ** 2) ** 0.5
        if d > radius:
            continue
        if v.pk == circle.essential_venue_id:
            role = "essential"
        elif v.pk in mine:
            role = "space"
        else:
            role = "venue" if v.kind in venue_kinds() else "other_space"
        out.append(Reachable(v, round(d), role, _open_now(v, now_local)))
    order = {"essential": 0, "space": 1, "venue": 2, "other_space": 2}
    out.sort(key=lambda r: (order[r.role], r.distance_m, r.venue.code))
    return centre, out


def _to_lonlat(centre: Centre) -> tuple[float, float]:
    back = Transformer.from_crs(geo.METRIC_CRS, "EPSG:4326", always_xy=True)
    lon, lat = back.transform(centre.x, centre.y)
    return float(lon), float(lat)


def week_activities(
    circle: Circle, venues: list[Venue], *, now: datetime | None = None
) -> list[Activity]:
    """This week's (Monday to Sunday, local time) activities at ``venues`` or organised by the
    circle's community, not cancelled, in time order."""
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    tz = timezone.get_current_timezone()
    start = datetime.combine(monday, time(), tzinfo=tz)
    end = start + timedelta(days=7)
    return list(
        Activity.objects.filter(cancelled=False, start_at__gte=start, start_at__lt=end)
        .filter(Q(venue__in=[v.pk for v in venues]) | Q(organiser_id=circle.community_id))
        .select_related("venue")
        .only("title", "kind", "start_at", "end_at", "online", "venue__name_zh", "venue__name_en")
        .order_by("start_at", "pk")[:MAX_ACTIVITIES]
    )


def shortlist(near: list[Reachable], total: int | None = None) -> tuple[list[Reachable], int]:
    """The circle's own facilities and the nearest others (``PUBLIC_OTHERS``, or up to ``total``
    in all), and how many others within reach are left out. A city street has dozens within
    1.5 km: a phone page lists the nearest."""
    own = [r for r in near if r.role in ("essential", "space")]
    others = [r for r in near if r.role not in ("essential", "space")]
    keep = PUBLIC_OTHERS if total is None else max(0, total - len(own))
    return own + others[:keep], len(others) - min(keep, len(others))


def public_page_data(circle: Circle, *, now: datetime | None = None) -> dict[str, Any]:
    centre, near = reachable(circle, now=now)
    listed, more = shortlist(near)
    activities = week_activities(circle, [r.venue for r in near], now=now)
    return {
        "circle": circle,
        "centre": centre,
        "radius": round(radius_m()),
        "near": listed,
        "more": more,
        "activities": activities,
        "activities_capped": len(activities) >= MAX_ACTIVITIES,
        "url": public_url(circle),
    }
