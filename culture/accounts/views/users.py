"""Users and their roles (district officers manage them; evaluators read)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from culture.accounts import selectors, services
from culture.accounts.forms import (
    RoleFormSet,
    UserForm,
    apply_service_error,
)
from culture.accounts.views.common import _page, _phone_arg, _require_user_admin
from culture.core.errors import ServiceError
from culture.core.roles import Role
from culture.core.scope import viewer_scope


@login_required
@require_GET
def user_list(request):
    qs = selectors.user_list(viewer=request.user, filters=request.GET)
    scope = viewer_scope(request.user)
    return render(
        request,
        "accounts/user_list.html",
        {
            "nav": "users",
            "page": _page(request, qs),
            "filters": request.GET,
            "roles": Role.choices,
            "units": selectors.units_for_roles(),
            "can_edit": scope.has_role(Role.DISTRICT_OFFICER) and not scope.is_read_only,
        },
    )


def _role_initial(user) -> list[dict[str, Any]]:
    return [
        {"role": ra.role, "org_unit": ra.org_unit.code if ra.org_unit else None}
        for ra in getattr(user, "active_roles", [])
    ]


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int | None = None):
    _require_user_admin(request)
    user = selectors.user_get(viewer=request.user, pk=pk) if pk is not None else None
    units = selectors.units_for_roles()
    initial = {}
    if user is not None:
        initial = {
            "username": user.username,
            "display_name": user.display_name,
            "is_active": user.is_active,
            "reveal": user.has_perm("accounts.reveal_personal_number"),
        }
    form = UserForm(request.POST or None, initial=initial)
    if user is not None:
        form.fields["username"].disabled = True
    else:
        del form.fields["clear_phone"]
    formset = RoleFormSet(
        request.POST or None,
        initial=None if user is None else _role_initial(user),
        prefix="roles",
        form_kwargs={"units": units},
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        roles = [
            (row["role"], row.get("org_unit"))
            for row in formset.cleaned_data
            if row.get("role") and not row.get("DELETE")
        ]
        data = form.cleaned_data
        try:
            saved, status = services.user_upsert(
                actor=request.user,
                username=user.username if user else data["username"],
                display_name=data["display_name"],
                password=data["password"] or None,
                roles=roles,
                phone=_phone_arg(form, editing=user is not None),
                is_active=data["is_active"],
                request=request,
            )
            services.user_set_reveal_permission(
                actor=request.user, user=saved, granted=bool(data["reveal"]), request=request
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("已保存用户 %(u)s") % {"u": saved.username})
            return redirect("accounts:user_edit", pk=saved.pk)
    return render(
        request,
        "accounts/user_form.html",
        {
            "nav": "users",
            "form": form,
            "formset": formset,
            "edited": user,
        },
    )


@login_required
@require_POST
def user_deactivate(request, pk: int):
    user = selectors.user_get(viewer=request.user, pk=pk)
    if request.POST.get("active") == "1":
        services.user_reactivate(actor=request.user, user=user, request=request)
        messages.success(request, _("账号已重新启用"))
    else:
        services.user_deactivate(actor=request.user, user=user, request=request)
        messages.success(request, _("账号已停用"))
    return redirect("accounts:user_edit", pk=user.pk)
