"""统计填报: the sheet of one unit and year (every report field its level accepts, with the
current figure, its review and the indicator's latest result), and the review queue of the unit
above."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from culture.core.errors import FieldErrors, OutOfScope, ServiceError, ValidationFailed
from culture.core.scope import viewer_scope
from culture.standards import selectors_reporting as selectors
from culture.standards.forms import ReportSheetForm, ReviewForm, note_name, value_name, years
from culture.standards.models import ReportStatus
from culture.standards.rules import fmt
from culture.standards.services import reporting
from culture.standards.views.common import tabs, year_from
from culture.standards.views.review import Review, review_post


class _Rollback(Exception):
    pass


def _default_unit(viewer: Any):
    return (
        selectors.units_writable(viewer=viewer).first()
        or selectors.units_visible(viewer=viewer).first()
    )


def _batch(form: ReportSheetForm, unit: Any, year: int) -> dict[tuple[str, str, int, int], Decimal]:
    """The values typed on the sheet, so rules between two of them use the new values."""
    batch = {}
    for row, text, _note in form.entries():
        try:
            batch[(row.indicator.id, row.field.key, unit.pk, year)] = reporting.parse_figure_value(
                text, row.field
            )
        except ValidationFailed:
            continue
    return batch


def _save_sheet(request, form: ReportSheetForm, unit: Any, year: int) -> int | None:
    """Submit every typed value in one transaction; None (and errors on the form) if any fails."""
    batch = _batch(form, unit, year)
    saved = 0
    try:
        with transaction.atomic():
            for row, text, note in form.entries():
                try:
                    _figure, outcome = reporting.reported_figure_submit(
                        actor=request.user,
                        indicator_id=row.indicator.id,
                        field_key=row.field.key,
                        org_unit=unit,
                        year=year,
                        value=text,
                        note=note,
                        request=request,
                        batch=batch,
                    )
                except OutOfScope:
                    raise
                except ServiceError as exc:
                    errors = (
                        exc.errors if isinstance(exc, FieldErrors) else {"value": [exc.message]}
                    )
                    for key, msgs in errors.items():
                        name = note_name(row) if key == "note" else value_name(row)
                        for message in msgs:
                            form.add_error(name, str(message))
                    continue
                saved += outcome != "unchanged"
            if form.errors:
                raise _Rollback
    except _Rollback:
        return None
    return saved


@login_required
@require_http_methods(["GET", "POST"])
def report_sheet(request):
    scope = viewer_scope(request.user)
    scope.require_staff()
    year = year_from(request)
    code = str(request.GET.get("unit", "")).strip()[:12]
    unit = (
        selectors.unit_for_viewer(viewer=request.user, code=code)
        if code
        else _default_unit(request.user)
    )
    if request.method == "POST":
        if unit is None:
            raise OutOfScope(_("该数据不在您的管辖范围内，不能修改"))
        scope.require_write(unit.path)
    editable = unit is not None and not scope.is_read_only and scope.can_write_path(unit.path)
    rows = selectors.report_sheet(viewer=request.user, unit=unit, year=year) if unit else []
    form = ReportSheetForm(request.POST or None, rows=rows, editable=editable)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            saved = _save_sheet(request, form, unit, year)
            if saved is not None:
                messages.success(
                    request,
                    _("已提交 %(n)d 项填报，等待上级单位审核") % {"n": saved}
                    if saved
                    else _("没有改动"),
                )
                return redirect(f"{reverse('standards:report_sheet')}?unit={unit.code}&year={year}")
        status = 422
    return render(
        request,
        "standards/report_sheet.html",
        {
            **tabs(request.user, "sheet"),
            "unit": unit,
            "year": year,
            "years": years(),
            "units": selectors.units_visible(viewer=request.user),
            "rows": [(row, *form.bound_pair(row)) for row in rows],
            "form": form,
            "editable": editable,
            "run": selectors.last_run(year),
            "statuses": ReportStatus,
        },
        status=status,
    )


@login_required
@require_GET
def report_review_queue(request):
    queue = selectors.figure_review_queue(viewer=request.user)
    figures = [(f, *selectors.figure_labels(f), fmt(f.value)) for f in queue[:500]]
    return render(
        request,
        "standards/report_review.html",
        {**tabs(request.user, "review"), "figures": figures, "total": queue.count()},
    )


def _figure_label(figure: Any) -> str:
    return f"{figure.org_unit.name_zh} {figure.year} {figure.indicator_id}"


FIGURE_REVIEW = Review(
    form=ReviewForm,
    yes="approve",
    decide=lambda actor, item, yes, reason, request: reporting.reported_figure_review(
        actor=actor, figure=item, approve=yes, reason=reason, request=request
    ),
    done=lambda item, yes: (
        (_("已通过：%(what)s") if yes else _("已退回：%(what)s")) % {"what": _figure_label(item)}
    ),
    queue="standards:report_review_queue",
)


@login_required
@require_POST
def report_review(request, pk: int):
    figure = selectors.figure_get(viewer=request.user, pk=pk)
    return review_post(request, figure, FIGURE_REVIEW)
