"""Staff records with training days, within the viewer's org scope."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from culture.accounts import selectors, services
from culture.accounts.forms import (
    StaffForm,
    apply_service_error,
)
from culture.accounts.views.common import _page, _phone_arg
from culture.core.errors import ServiceError
from culture.core.scope import viewer_scope
from culture.org.models import OrgUnit


def _training_years() -> tuple[int, int]:
    year = timezone.localdate().year
    return year, year - 1


@login_required
@require_GET
def staff_list(request):
    qs = selectors.staff_list(viewer=request.user, filters=request.GET)
    page = _page(request, qs)
    current, previous = _training_years()
    for staff in page:
        days = {t.year: t.days for t in staff.training.all()}
        staff.days_current, staff.days_previous = days.get(current), days.get(previous)
    scope = viewer_scope(request.user)
    return render(
        request,
        "accounts/staff_list.html",
        {
            "nav": "staff",
            "page": page,
            "filters": request.GET,
            "year": current,
            "previous_year": previous,
            "units": scope.filter(OrgUnit.objects.filter(is_active=True), "path").order_by("code"),
            "can_edit": not scope.is_read_only,
        },
    )


@login_required
@require_GET
def staff_detail(request, pk: int):
    staff = selectors.staff_get(viewer=request.user, pk=pk)
    scope = viewer_scope(request.user)
    return render(
        request,
        "accounts/staff_detail.html",
        {
            "nav": "staff",
            "staff": staff,
            "training": sorted(staff.training.all(), key=lambda t: -t.year),
            "can_edit": scope.can_write_path(staff.org_unit.path) and not scope.is_read_only,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request, pk: int | None = None):
    scope = viewer_scope(request.user)
    scope.require_staff()
    staff = selectors.staff_get(viewer=request.user, pk=pk) if pk is not None else None
    if staff is not None:
        scope.require_write(staff.org_unit.path)
    elif scope.is_read_only:
        scope.require_write("")
    units = selectors.units_for_staff(viewer=request.user)
    initial: dict[str, Any] = {}
    if staff is not None:
        current, previous = _training_years()
        days = {t.year: t.days for t in staff.training.all()}
        initial = {
            "staff_number": staff.staff_number,
            "name": staff.name,
            "org_unit": staff.org_unit.code,
            "position": staff.position,
            "is_professional": staff.is_professional,
            "is_fulltime_culture": staff.is_fulltime_culture,
            "training_current": days.get(current),
            "training_previous": days.get(previous),
        }
    form = StaffForm(request.POST or None, initial=initial, units=units, editing=staff is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        number = staff.staff_number if staff is not None else data["staff_number"]
        if staff is None and selectors.staff_number_taken(staff_number=number):
            form.add_error("staff_number", _("工号已存在"))
        else:
            try:
                saved, _status = services.staff_member_upsert(
                    actor=request.user,
                    staff_number=number,
                    name=data["name"],
                    org_unit=data["org_unit"],
                    position=data["position"],
                    is_professional=data["is_professional"],
                    is_fulltime_culture=data["is_fulltime_culture"],
                    phone=_phone_arg(form, editing=staff is not None),
                    training=form.training(),
                    request=request,
                )
            except ServiceError as exc:
                apply_service_error(form, exc, {"training": "training_days"})
            else:
                messages.success(request, _("已保存工作人员 %(n)s") % {"n": saved.name})
                return redirect("accounts:staff_detail", pk=saved.pk)
    return render(
        request, "accounts/staff_form.html", {"nav": "staff", "form": form, "staff": staff}
    )


@login_required
@require_POST
def staff_deactivate(request, pk: int):
    staff = selectors.staff_get(viewer=request.user, pk=pk)
    services.staff_member_deactivate(actor=request.user, staff=staff, request=request)
    messages.success(request, _("已标记为离岗"))
    return redirect("accounts:staff_list")
