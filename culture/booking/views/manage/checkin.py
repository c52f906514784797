"""The check-in desk of a venue."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from culture.booking import selectors as sel
from culture.booking import services
from culture.booking.forms import CheckInForm
from culture.booking.views.manage.common import hhmm
from culture.core.errors import OutOfScope, ServiceError


@login_required
@require_http_methods(["GET", "POST"])
def manage_checkin(request: HttpRequest, venue_code: str) -> HttpResponse:
    """One auto-focused input: a scanned QR payload (the scanner types it and presses Enter),
    a typed short code or a read social-security card number. The answer is big and clear."""
    venue = sel.manage_venue_get(viewer=request.user, code=venue_code, write=True)
    result: dict[str, Any] | None = None
    status = 200
    form = CheckInForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            result = {"ok": False, "message": form.errors["token"][0]}
            status = 422
        else:
            try:
                checked = services.booking_check_in(
                    actor=request.user, venue=venue, token=form.cleaned_data["token"]
                )
            except ServiceError as exc:
                if isinstance(exc, OutOfScope):
                    raise
                # an unknown code or card is a refusal at the desk, not a missing page
                result = {"ok": False, "message": str(exc.message)}
                status = 422
            else:
                b = checked.booking
                result = {
                    "ok": True,
                    "already": checked.already,
                    "who": sel.who(b),
                    "what": sel.what(b),
                    "when": f"{hhmm(b.start_at)}–{hhmm(b.end_at)}",
                    "code": b.code,
                    "method": b.get_check_in_method_display(),
                    "at": hhmm(b.checked_in_at),
                }
        form = CheckInForm()  # the input is empty and focused again for the next person
    return render(
        request,
        "booking/manage/checkin.html",
        {"nav": "booking_manage", "venue": venue, "form": form, "result": result, "can_edit": True},
        status=status,
    )
