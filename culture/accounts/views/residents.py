"""Residents (district officers and evaluators; masked), the logged reveal, registration."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from culture.accounts import selectors, services
from culture.accounts.forms import (
    OfficerResidentForm,
    RevealForm,
    apply_service_error,
)
from culture.accounts.views.common import _page, _require_user_admin
from culture.core.errors import ServiceError
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.org.models import OrgUnit


@login_required
@require_GET
def resident_list(request):
    qs = selectors.resident_list(viewer=request.user, filters=request.GET)
    page = _page(request, qs)
    for r in page:
        r.shown_name = selectors.resident_name_for(request.user, r.name)
    scope = viewer_scope(request.user)
    return render(
        request,
        "accounts/resident_list.html",
        {
            "nav": "residents",
            "page": page,
            "filters": request.GET,
            "units": OrgUnit.objects.filter(
                is_active=True, level__in=["subdistrict", "community"]
            ).order_by("code"),
            "can_register": scope.has_role(Role.DISTRICT_OFFICER) and not scope.is_read_only,
        },
    )


def _resident_page(
    request, resident, *, revealed: tuple[str, str] | None = None, status: int = 200
):
    scope = viewer_scope(request.user)
    response = render(
        request,
        "accounts/resident_detail.html",
        {
            "nav": "residents",
            "resident": resident,
            "shown_name": selectors.resident_name_for(request.user, resident.name),
            "can_reveal": scope.can_reveal,
            "can_manage": scope.has_role(Role.DISTRICT_OFFICER) and not scope.is_read_only,
            "revealed": revealed,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def resident_detail(request, pk: int):
    return _resident_page(request, selectors.resident_get(viewer=request.user, pk=pk))


@login_required
@require_POST
@never_cache
def resident_reveal(request, pk: int):
    """Shows one personal number once, in the answer to this POST (never in a URL)."""
    resident = selectors.resident_get(viewer=request.user, pk=pk)
    form = RevealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("未知的号码字段"))
        return redirect("accounts:resident_detail", pk=resident.pk)
    field = form.cleaned_data["field"]
    value = services.personal_number_reveal(
        actor=request.user, resident=resident, field=field, request=request
    )
    labels = {"id_number": _g("身份证号"), "phone": _g("手机号"), "ssc_card_no": _g("社保卡卡号")}
    return _resident_page(request, resident, revealed=(labels[field], value))


@login_required
@require_POST
def resident_active(request, pk: int):
    """A district officer deactivates (or reactivates) a resident's account."""
    resident = selectors.resident_get(viewer=request.user, pk=pk)
    if request.POST.get("active") == "1":
        services.user_reactivate(actor=request.user, user=resident.user, request=request)
        messages.success(request, _("账号已重新启用"))
    else:
        services.user_deactivate(actor=request.user, user=resident.user, request=request)
        messages.success(request, _("账号已停用"))
    return redirect("accounts:resident_detail", pk=resident.pk)


@login_required
@require_http_methods(["GET", "POST"])
def resident_create(request):
    _require_user_admin(request)
    form = OfficerResidentForm(request.POST or None, communities=selectors.communities())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resident = services.resident_register(
                actor=request.user,
                name=data["name"],
                phone=data["phone"],
                password=data["password"],
                id_number=data["id_number"],
                community=data.get("community"),
                ssc_card_no=data.get("ssc_card_no") or "",
                request=request,
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("已登记居民"))
            return HttpResponseRedirect(reverse("accounts:resident_detail", args=[resident.pk]))
    return render(request, "accounts/resident_form.html", {"nav": "residents", "form": form})
