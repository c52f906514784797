"""Helpers shared by the standards pages."""

from __future__ import annotations

from typing import Any

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.standards.forms import years
from culture.standards.selectors_reporting import this_year
from culture.standards.services.reporting import reviewer_paths


def year_from(request: Any) -> int:
    """The ``year`` query parameter if it is a year one may report for, else this year."""
    text = str(request.GET.get("year", "")).strip()
    if text.isdigit() and int(text) in years():
        return int(text)
    return this_year()


def back(request: Any, default: str, **kwargs: Any):
    """Redirect to ``next`` when it is a safe local URL, else to ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default, **kwargs)


def apply_errors(form: Any, exc: Any, fields: dict[str, str] | None = None) -> None:
    """Show a service's field messages on ``form`` (``fields`` maps service field -> form field;
    unknown fields become form-level errors)."""
    fields = fields or {}
    errors = getattr(exc, "errors", None) or {exc.field or "": [exc.message]}
    for key, messages in errors.items():
        name = fields.get(key, key)
        for message in messages:
            form.add_error(name if name in form.fields else None, str(message))


def tabs(user: Any, tab: str) -> dict[str, Any]:
    """Context of the tab bar: which review queues the user has."""
    scope = viewer_scope(user)
    everything, paths = reviewer_paths(user)
    return {
        "nav": "reports",
        "tab": tab,
        "reviews_figures": not scope.is_read_only and (everything or bool(paths)),
        "reviews_attestations": not scope.is_read_only
        and (scope.is_superuser or scope.has_role(Role.DISTRICT_OFFICER)),
    }
