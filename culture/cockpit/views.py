"""The cockpit (数字驾驶舱), its big-screen mode, the compute-now button and the indicator pages.

Pages read stored results (the latest finished run of the year) and never recompute on a view.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from culture.cockpit import indicators, panels
from culture.core.audit import audit_record
from culture.core.errors import ValidationFailed
from culture.demo.models import DemoDataset
from culture.standards import selectors
from culture.standards.results_export import results_docx, results_json, results_xlsx
from culture.standards.services.evaluation import evaluation_request_now

DOWNLOAD_TYPES = {
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@login_required
@require_GET
def cockpit(request):
    if request.GET.get("screen") == "big":
        return screen(request)
    context = panels.cockpit_context(
        viewer=request.user,
        year=panels.parse_year(request.GET.get("year")),
        unit_code=request.GET.get("unit"),
    )
    return render(request, "cockpit/cockpit.html", context)


@login_required
@require_GET
def screen(request):
    context = panels.cockpit_context(
        viewer=request.user,
        year=panels.parse_year(request.GET.get("year")),
        unit_code=request.GET.get("unit"),
    )
    return render(request, "cockpit/screen.html", {**context, "big": True})


@login_required
@require_POST
def evaluate(request):
    selectors.results_reader(request.user)
    unit = (request.POST.get("unit") or "").strip()[:12]
    try:
        year = panels.parse_year(request.POST.get("year"))
        run = evaluation_request_now(actor=request.user, year=year, request=request)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return redirect("cockpit:home")
    messages.success(
        request,
        _("已完成 %(year)s 年的评估：%(n)s 条结果") % {"year": year, "n": run.result_count},
    )
    focus = selectors.focus_unit(viewer=request.user, code=unit or None)
    return redirect(panels.cockpit_url(year=year, unit=focus))


@login_required
@require_GET
def indicator_list(request):
    context = indicators.catalogue_context(
        viewer=request.user,
        year=panels.parse_year(request.GET.get("year")),
        unit_code=request.GET.get("unit"),
    )
    return render(request, "cockpit/indicator_list.html", context)


@login_required
@require_GET
def indicator_detail(request, indicator_id: str):
    context = indicators.indicator_context(
        viewer=request.user,
        indicator_id=indicator_id,
        year=panels.parse_year(request.GET.get("year")),
        unit_code=request.GET.get("unit"),
    )
    return render(request, "cockpit/indicator_detail.html", context)


@login_required
@require_GET
def download(request):
    """Every stored result of the year for the unit and below: JSON (docs/standards.md), xlsx or
    the Word compliance report. Audited as an export."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in DOWNLOAD_TYPES:
        fmt = "xlsx"
    year = panels.parse_year(request.GET.get("year"))
    unit = selectors.focus_unit(viewer=request.user, code=request.GET.get("unit"))
    run = selectors.run_latest(viewer=request.user, year=year)
    if run is None:
        messages.error(request, _("%(year)s 年还没有评估结果，无法下载") % {"year": year})
        return redirect(panels.cockpit_url(year=year, unit=unit))
    if fmt == "json":
        body: bytes = results_json(run, unit=unit).encode()
    elif fmt == "xlsx":
        body = results_xlsx(run, unit=unit)
    else:
        body = results_docx(run, unit=unit, synthetic=DemoDataset.objects.exists())
    audit_record(
        actor=request.user,
        action="standards.results_exported",
        org_path=unit.path,
        after={"year": year, "run": run.pk, "unit": unit.code, "format": fmt},
        request=request,
    )
    response = HttpResponse(body, content_type=DOWNLOAD_TYPES[fmt])
    name = f"standards-{year}-{unit.code}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
