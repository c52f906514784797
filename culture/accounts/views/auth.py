"""Sign-in, sign-out, resident self sign-up with an SMS code, and the user's own page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from culture.accounts import selectors, services
from culture.accounts.forms import (
    PasswordChangeForm,
    SignupForm,
    SignupVerifyForm,
    apply_service_error,
)
from culture.core.audit import audit_record
from culture.core.errors import ServiceError
from culture.core.scope import viewer_scope
from culture.core.views import role_home_url
from culture.org.models import OrgUnit

SIGNUP_SESSION_KEY = "signup_user"  # the pending account id, never the phone number


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
    if request.method == "POST" and request.POST.get("form") == "password":
        return _change_password(request)
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


def _change_password(request):
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
