"""Venue pages: list, district map, detail (week chart, mini map, rooms), create/edit, rooms."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from culture.core.errors import FieldErrors, ServiceError
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel
from culture.venues import hours
from culture.venues.access import can_write
from culture.venues.forms import RoomForm, VenueForm, put_errors
from culture.venues.kinds import fields_for
from culture.venues.models import FreeDay, TargetGroup, Venue, VenueKind, VenueStatus
from culture.venues.selectors import (
    ONBOARDING_FLAGS,
    VenueFilters,
    paginate,
    room_get,
    venue_get,
    venue_get_for_edit,
    venue_list,
    venue_map_points,
    venue_rooms,
)
from culture.venues.services import room_add, room_update, venue_create, venue_update

WEEKDAYS = (
    gettext_noop("周一"),
    gettext_noop("周二"),
    gettext_noop("周三"),
    gettext_noop("周四"),
    gettext_noop("周五"),
    gettext_noop("周六"),
    gettext_noop("周日"),
)


def _export_url(request, name: str) -> str | None:
    try:
        base = reverse("spreadsheets:export", args=[name])
    except NoReverseMatch:
        return None
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "xlsx"
    return f"{base}?{query.urlencode()}"


def _shown_community(viewer, venue):
    """The venue's location community, if the viewer's scope covers it (a venue manager's scope
    is the venue, not the org tree)."""
    community = venue.location_community
    if community is None or not viewer_scope(viewer).can_see_path(community.path):
        return None
    return community


def _flag_labels() -> list[tuple[str, str]]:
    return [(f, str(Venue._meta.get_field(f).verbose_name)) for f in ONBOARDING_FLAGS]


@login_required
@require_GET
def venue_list_page(request):
    filters = VenueFilters.from_query(request.GET)
    try:
        qs = venue_list(viewer=request.user, filters=filters)
        error = ""
    except ServiceError as exc:
        qs = venue_list(viewer=request.user)
        filters = VenueFilters()
        error = str(exc.message)
    page = paginate(qs, request.GET.get("page"))
    for v in page:
        v.shown_community = _shown_community(request.user, v)
    query = request.GET.copy()
    query.pop("page", None)
    scope = viewer_scope(request.user)
    return render(
        request,
        "venues/list.html",
        {
            "nav": "venues",
            "page": page,
            "filters": filters,
            "error": error,
            "kinds": VenueKind.choices,
            "statuses": VenueStatus.choices,
            "flags": _flag_labels(),
            "query": query.urlencode(),
            "export_url": _export_url(request, "venues"),
            "rooms_export_url": _export_url(request, "rooms"),
            "can_create": not scope.is_read_only and bool(scope.writes_all or scope.write_paths),
        },
    )


@login_required
@require_GET
def venue_map(request):
    viewer_scope(request.user).require_staff()
    kind = request.GET.get("kind", "")
    if kind not in VenueKind.values:
        kind = ""
    scope = viewer_scope(request.user)
    geo_query = {"level": OrgLevel.SUBDISTRICT} if scope.all_units else {}
    if not scope.all_units and scope.read_paths:
        geo_query = {"level": OrgLevel.COMMUNITY}
    return render(
        request,
        "venues/map.html",
        {
            "nav": "venues",
            "kinds": VenueKind.choices,
            "kind": kind,
            "points_url": f"{reverse('venues:map_data')}?{urlencode({'kind': kind})}",
            "geojson_url": f"{reverse('org:geojson')}?{urlencode(geo_query)}" if geo_query else "",
        },
    )


@login_required
@require_GET
def venue_map_data(request):
    kind = request.GET.get("kind", "")
    points = venue_map_points(viewer=request.user, kind=kind if kind in VenueKind.values else "")
    return JsonResponse({"points": points}, json_dumps_params={"ensure_ascii": False})


def _week_chart(venue) -> dict[str, Any] | None:
    if not venue.opening_hours:
        return None
    try:
        spans = hours.week_chart(venue.opening_hours, year=timezone.localdate().year)
    except ServiceError:
        return None
    days = [_(d) for d in WEEKDAYS]
    rows: list[dict[str, Any]] = []
    for i, day in enumerate(days):
        mine = [s for s in spans if s.weekday == i]
        rows.append(
            {
                "day": day,
                "spans": [
                    {"from": f"{int(s.start):02d}:{round(s.start % 1 * 60):02d}",
                     "to": f"{int(s.end):02d}:{round(s.end % 1 * 60):02d}",
                     "offpeak": s.offpeak}
                    for s in mine
                ],
            }
        )  # fmt: skip
    data = {
        "days": days,
        "spans": [[s.weekday, s.start, s.end, 1 if s.offpeak else 0] for s in spans],
        "labels": {"core": _("常规时段"), "offpeak": _("错时时段"), "hours": _("时")},
    }
    return {"rows": rows, "json": json.dumps(data, ensure_ascii=False)}


def _label_list(values: list[str], choices: Any) -> str:
    labels = dict(choices.choices)
    return "、".join(str(labels.get(v, v)) for v in values) or "—"


@login_required
@require_GET
def venue_detail(request, code: str):
    venue = venue_get(viewer=request.user, code=code)
    rooms = venue_rooms(viewer=request.user, venue=venue)
    community = _shown_community(request.user, venue)
    mini_map = ""
    if community is not None:
        mini_map = f"{reverse('org:geojson')}?{urlencode({'unit': community.code})}"
    kind_values = []
    for f in fields_for(venue.kind):
        value = getattr(venue, f)
        display = getattr(venue, f"get_{f}_display", None)
        kind_values.append(
            (
                str(Venue._meta.get_field(f).verbose_name),
                display() if display else value,
            )
        )
    return render(
        request,
        "venues/detail.html",
        {
            "nav": "venues",
            "venue": venue,
            "community": community,
            "rooms": rooms,
            "week": _week_chart(venue),
            "mini_map": mini_map,
            "point": json.dumps([venue.lon, venue.lat]),
            "waivers": _label_list(venue.waiver_groups, TargetGroup),
            "free_days": _label_list(venue.free_days, FreeDay),
            "kind_values": kind_values,
            "flags": [(label, getattr(venue, f)) for f, label in _flag_labels()],
            "offpeak_pct": (
                f"{venue.offpeak_share * 100:.1f}%" if venue.offpeak_share is not None else "—"
            ),
            "can_edit": can_write(request.user, venue),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def venue_create_page(request):
    scope = viewer_scope(request.user)
    scope.require_staff()
    if scope.is_read_only or not (scope.writes_all or scope.write_paths):
        scope.require_write("")
    form = VenueForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            venue = venue_create(
                actor=request.user,
                request=request,
                code=form.cleaned_data["code"],
                **form.values(),
            )
        except FieldErrors as exc:
            put_errors(form, exc.errors)
        else:
            messages.success(request, _("已新增场馆 %(name)s") % {"name": venue.name_zh})
            return redirect("venues:detail", code=venue.code)
    return render(
        request,
        "venues/form.html",
        {"nav": "venues", "form": form, "venue": None},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def venue_edit(request, code: str):
    venue = venue_get_for_edit(viewer=request.user, code=code)
    form = VenueForm(request.POST or None, viewer=request.user, venue=venue)
    if request.method == "POST" and form.is_valid():
        try:
            venue_update(actor=request.user, venue=venue, request=request, **form.values())
        except FieldErrors as exc:
            put_errors(form, exc.errors)
        else:
            messages.success(request, _("已保存 %(name)s 的修改") % {"name": venue.name_zh})
            return redirect("venues:detail", code=venue.code)
    return render(
        request,
        "venues/form.html",
        {"nav": "venues", "form": form, "venue": venue},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def room_form(request, code: str, pk: int | None = None):
    venue = venue_get_for_edit(viewer=request.user, code=code)
    room = room_get(viewer=request.user, venue=venue, pk=pk) if pk is not None else None
    form = RoomForm.for_room(room, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if room is None:
                room_add(actor=request.user, venue=venue, request=request, **form.cleaned_data)
            else:
                room_update(actor=request.user, room=room, request=request, **form.cleaned_data)
        except FieldErrors as exc:
            put_errors(form, exc.errors)
        else:
            messages.success(
                request, _("已保存活动室 %(name)s") % {"name": form.cleaned_data["name"]}
            )
            return redirect("venues:detail", code=venue.code)
    return render(
        request,
        "venues/room_form.html",
        {"nav": "venues", "form": form, "venue": venue, "room": room},
        status=422 if request.method == "POST" else 200,
    )
