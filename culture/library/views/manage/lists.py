"""The hold shelf (ready holds with their expiry) and the overdue list of a branch."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from culture.library import selectors, services
from culture.library.views.manage.common import branch_context, branch_get, reader_label
from culture.spreadsheets.framework import get_exporter

PAGE_SIZE = 50
# The overdue list links to this exporter (culture/library/exporters.py) for those it allows.
OVERDUE_EXPORTER = "library_overdue"


@login_required
@require_GET
def hold_shelf(request: HttpRequest, venue_code: str) -> HttpResponse:
    branch = branch_get(viewer=request.user, code=venue_code)
    today = timezone.localdate()
    page = Paginator(selectors.hold_shelf(branch), PAGE_SIZE).get_page(request.GET.get("page"))
    for hold in page:
        hold.who = reader_label(hold.reader)  # type: ignore[attr-defined]
        hold.last_day = hold.expires_on == today  # type: ignore[attr-defined]
    return render(
        request,
        "library/manage/hold_shelf.html",
        branch_context(request, branch, "holds", page=page, today=today),
    )


@login_required
@require_GET
def overdue(request: HttpRequest, venue_code: str) -> HttpResponse:
    branch = branch_get(viewer=request.user, code=venue_code)
    today = timezone.localdate()
    loans = services.loans_overdue(branch=branch, today=today).select_related(
        "reader__resident__user"
    )
    page = Paginator(loans, PAGE_SIZE).get_page(request.GET.get("page"))
    for loan in page:
        loan.who = reader_label(loan.reader)  # type: ignore[attr-defined]
        loan.days = (today - loan.due_on).days  # type: ignore[attr-defined]
    exporter = get_exporter(OVERDUE_EXPORTER)
    can_export = exporter is not None and exporter.allowed(request.user)
    return render(
        request,
        "library/manage/overdue.html",
        branch_context(
            request,
            branch,
            "overdue",
            page=page,
            today=today,
            export_name=OVERDUE_EXPORTER if can_export else "",
        ),
    )
