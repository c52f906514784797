"""The resident's messages: the list, and marking them read."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from culture.accounts.notifications import notifications_mark_read
from culture.booking import selectors as sel


@never_cache
@require_GET
def messages_page(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    items = sel.notifications(user=request.user)
    return render(
        request,
        "booking/messages.html",
        {
            "nav": "booking",
            "tab": "messages",
            "items": items,
            "unread": sum(1 for n in items if n.read_at is None),
        },
    )


@require_POST
def messages_read(request: HttpRequest) -> HttpResponse:
    """Mark one message (``id``) or all of them read; with ``open``, go on to its link."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("booking:messages"))
    raw = request.POST.get("id", "")
    one = int(raw) if raw.isdigit() else None
    target = notifications_mark_read(user=request.user, notification_id=one)
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("booking:messages")
