"""Org tree pages: the overview, a unit's page, its edit form, and the GeoJSON the maps draw."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from culture.core.errors import FieldErrors
from culture.core.scope import viewer_scope
from culture.org.forms import OrgUnitEditForm
from culture.org.models import OrgLevel
from culture.org.selectors import (
    CHILD_LEVEL,
    UnitRow,
    fmt_float,
    fmt_int,
    org_breadcrumbs,
    org_geojson,
    org_overview,
    org_unit_children,
    org_unit_get,
    org_unit_get_for_edit,
)
from culture.org.services import org_unit_update


def _export_url(request) -> str | None:
    """The xlsx export of org units (the spreadsheets app provides it), with the same filters."""
    try:
        base = reverse("spreadsheets:export", args=["org_units"])
    except NoReverseMatch:
        return None
    query = request.GET.copy()
    query["format"] = "xlsx"
    return f"{base}?{query.urlencode()}"


def _geojson_url(query: dict[str, str]) -> str:
    return f"{reverse('org:geojson')}?{urlencode(query)}" if query else ""


@login_required
@require_GET
def tree(request):
    overview = org_overview(viewer=request.user)
    query = dict(overview.geojson_query)
    # Above the community level the map can show every community instead of the children.
    layers = bool(overview.focus and overview.focus.level == OrgLevel.DISTRICT)
    layer = "community" if layers and request.GET.get("layer") == "community" else ""
    if layer:
        query = {"level": OrgLevel.COMMUNITY}
    return render(
        request,
        "org/tree.html",
        {
            "nav": "org",
            "overview": overview,
            "geojson_url": _geojson_url(query),
            "single_unit": "unit" in query,
            "layers": layers,
            "layer": layer,
            "export_url": _export_url(request),
            "rows_level": overview.rows[0].unit.level if overview.rows else None,
        },
    )


@login_required
@require_GET
def unit(request, code: str):
    unit = org_unit_get(viewer=request.user, code=code)
    scope = viewer_scope(request.user)
    children = org_unit_children(viewer=request.user, unit=unit)
    if children:
        query = {"level": CHILD_LEVEL[OrgLevel(unit.level)], "parent": unit.code}
    else:
        query = {"unit": unit.code}
    return render(
        request,
        "org/unit.html",
        {
            "nav": "org",
            "unit": unit,
            "row": UnitRow(unit, len(children)),
            "breadcrumbs": org_breadcrumbs(viewer=request.user, unit=unit),
            "children": children,
            "child_level": CHILD_LEVEL.get(OrgLevel(unit.level)),
            "can_edit": not scope.is_read_only and scope.can_write_path(unit.path),
            "geojson_url": _geojson_url(query),
            "single_unit": "unit" in query,
            "centroid": (
                f"{unit.centroid_lat:.5f}, {unit.centroid_lon:.5f}"
                if unit.centroid_lat is not None and unit.centroid_lon is not None
                else "—"
            ),
            "population_fmt": fmt_int(unit.population),
            "area_fmt": fmt_float(unit.area_km2, 3),
            "density_fmt": fmt_float(unit.density, 0),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request, code: str):
    unit = org_unit_get_for_edit(viewer=request.user, code=code)
    if request.method == "POST":
        form = OrgUnitEditForm.for_unit(unit, request.POST)
        if form.is_valid():
            try:
                org_unit_update(
                    actor=request.user, unit=unit, request=request, **form.changes(unit)
                )
            except FieldErrors as exc:
                for name, errors in exc.errors.items():
                    for message in errors:
                        form.add_error(name if name in form.fields else None, str(message))
            else:
                messages.success(request, _("已保存 %(name)s 的修改") % {"name": unit.name_zh})
                return redirect("org:unit", code=unit.code)
    else:
        form = OrgUnitEditForm.for_unit(unit)
    return render(
        request,
        "org/unit_edit.html",
        {
            "nav": "org",
            "unit": unit,
            "form": form,
            "breadcrumbs": org_breadcrumbs(viewer=request.user, unit=unit),
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def geojson(request):
    data = org_geojson(
        viewer=request.user,
        level=request.GET.get("level") or None,
        parent=request.GET.get("parent") or None,
        unit=request.GET.get("unit") or None,
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
