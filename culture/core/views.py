from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.core.selectors import audit_entries
from culture.demo.logins import DEMO_LOGINS, DEMO_PASSWORD


def home(request):
    """The landing page; signed-in users go to the home page of their role."""
    if request.user.is_authenticated:
        return redirect(role_home_url(request.user))
    return render(
        request, "core/home.html", {"demo_logins": DEMO_LOGINS, "demo_password": DEMO_PASSWORD}
    )


def role_home_url(user) -> str:
    scope = viewer_scope(user)
    if scope.all_units:
        return reverse("org:tree")
    if scope.read_paths:
        return reverse("org:tree")
    if hasattr(user, "resident"):
        return reverse("accounts:me")
    return reverse("accounts:me")


@require_POST
def toggle_elderly_mode(request):
    on = request.POST.get("on") == "1"
    if request.user.is_authenticated:
        request.user.elderly_mode = on
        request.user.save(update_fields=["elderly_mode"])
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie("elderly", "1" if on else "0", max_age=365 * 24 * 3600, samesite="Lax")
    return response


@login_required
@require_GET
def audit_list(request):
    scope = viewer_scope(request.user)
    scope.require_role(Role.DISTRICT_OFFICER, Role.EVALUATOR)
    entries = audit_entries(viewer=request.user, filters=request.GET)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"page": page, "filters": request.GET})


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
