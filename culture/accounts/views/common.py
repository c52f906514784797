"""Helpers shared by the accounts pages."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator

from culture.core.roles import Role
from culture.core.scope import viewer_scope

PAGE_SIZE = 30


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
