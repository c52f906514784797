from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from culture.core.audit import audit_record
from culture.core.views import role_home_url


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


@login_required
def me(request):
    return render(request, "accounts/me.html", {"nav": "me"})


@login_required
def user_list(request):
    raise NotImplementedError


@login_required
def staff_list(request):
    raise NotImplementedError


@login_required
def resident_list(request):
    raise NotImplementedError
