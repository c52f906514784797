"""Pages: sign-in and sign-up, the user's own page, users and roles, staff records, residents.

Views parse input, call selectors and services and render; scope checks live in those layers
(a refusal raises OutOfScope, which the error middleware renders as 403 and audits).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from culture.accounts import selectors, services
from culture.accounts.forms import (
    OfficerResidentForm,
    PasswordChangeForm,
    RevealForm,
    RoleFormSet,
    SignupForm,
    SignupVerifyForm,
    StaffForm,
    UserForm,
    apply_service_error,
)
from culture.core.audit import audit_record
from culture.core.errors import ServiceError
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.core.views import role_home_url
from culture.org.models import OrgUnit

PAGE_SIZE = 30
SIGNUP_SESSION_KEY = "signup_phone"


class LoginForm(forms.Form):
    username = forms.CharField(label=_("用户名或手机号"), max_length=150)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput)


def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if user is None:
            audit_record(
                actor=form.cleaned_data["username"], action="auth.login_failed", request=request
            )
            form.add_error(None, _("用户名/手机号或密码不正确"))
        else:
            login(request, user)
            audit_record(actor=user, action="auth.login", target=user, request=request)
            target = request.GET.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = role_home_url(user)
            return redirect(target or role_home_url(user))
    return render(request, "accounts/login.html", {"form": form})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        audit_record(actor=request.user, action="auth.logout", target=request.user, request=request)
    logout(request)
    return redirect("core:home")


# ----- the signed-in user's own page ---------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def me(request):
    user = request.user
    if request.method == "POST":
        on = request.POST.get("elderly_mode") == "1"
        services.user_set_elderly_mode(actor=user, user=user, on=on, request=request)
        response = redirect("accounts:me")
        response.set_cookie("elderly", "1" if on else "0", max_age=365 * 24 * 3600, samesite="Lax")
        return response
    return _me_page(request, PasswordChangeForm())


def _me_page(request, password_form, status: int = 200):
    user = request.user
    scope = viewer_scope(user)
    resident = getattr(user, "resident", None)
    roles = user.role_assignments.filter(active=True).select_related("org_unit").order_by("role")
    return render(
        request,
        "accounts/me.html",
        {
            "nav": "me",
            "resident": resident,
            "roles": roles,
            "scope": scope,
            "read_units": OrgUnit.objects.filter(path__in=scope.read_paths).order_by("code"),
            "password_form": password_form,
        },
        status=status,
    )


@login_required
@require_POST
def me_password(request):
    """The signed-in user changes their own password (the current one is asked first)."""
    user = request.user
    form = PasswordChangeForm(request.POST)
    if form.is_valid():
        if not user.check_password(form.cleaned_data["old_password"]):
            form.add_error("old_password", _("当前密码不正确"))
        else:
            try:
                services.user_set_password(
                    actor=user,
                    user=user,
                    password=form.cleaned_data["new_password"],
                    request=request,
                )
            except ServiceError as exc:
                apply_service_error(form, exc, {"password": "new_password"})
            else:
                update_session_auth_hash(request, user)
                messages.success(request, _("密码已修改"))
                return redirect("accounts:me")
    return _me_page(request, form, status=200)


# ----- resident self sign-up -----------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:me")
    form = SignupForm(request.POST or None, communities=selectors.communities())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resident = services.resident_signup_start(
                name=data["name"],
                phone=data["phone"],
                password=data["password"],
                id_number=data["id_number"],
                community=data.get("community"),
                request=request,
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            # The session holds the pending account's id, never the phone number.
            request.session[SIGNUP_SESSION_KEY] = resident.user.pk
            return redirect("accounts:signup_verify")
    return render(request, "accounts/signup.html", {"form": form, "nav": "signup"})


@never_cache
@require_http_methods(["GET", "POST"])
def signup_verify(request):
    user_pk = request.session.get(SIGNUP_SESSION_KEY)
    pending = services.pending_signup_user(pk=user_pk) if user_pk else None
    if pending is None:
        messages.info(request, _("请先填写注册信息"))
        return redirect("accounts:signup")
    form = SignupVerifyForm(request.POST or None)
    if request.method == "POST" and "resend" in request.POST:
        try:
            services.resident_signup_resend(user=pending, request=request)
            messages.success(request, _("验证码已重新发送"))
        except ServiceError as exc:
            messages.error(request, str(exc.message))
        return redirect("accounts:signup_verify")
    if request.method == "POST" and form.is_valid():
        try:
            user = services.resident_signup_verify(
                user=pending, code=form.cleaned_data["code"], request=request
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            request.session.pop(SIGNUP_SESSION_KEY, None)
            login(request, user, backend="culture.accounts.backends.UsernameOrPhoneBackend")
            audit_record(actor=user, action="auth.login", target=user, request=request)
            messages.success(request, _("注册成功，欢迎使用！"))
            return redirect("accounts:me")
    return render(
        request,
        "accounts/signup_verify.html",
        {
            "form": form,
            "phone_masked": pending.phone_masked,
            "nav": "signup",
        },
    )


# ----- helpers -------------------------------------------------------------------------------
def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _require_user_admin(request) -> None:
    scope = viewer_scope(request.user)
    scope.require_role(Role.DISTRICT_OFFICER)
    if scope.is_read_only:
        scope.require_write("")


def _phone_arg(form: forms.Form, *, editing: bool) -> str | None:
    if form.cleaned_data.get("clear_phone"):
        return ""
    phone = form.cleaned_data.get("phone") or ""
    if editing and not phone:
        return None
    return phone


# ----- users and roles -----------------------------------------------------------------------
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


# ----- staff records -------------------------------------------------------------------------
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


# ----- residents -----------------------------------------------------------------------------
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
