"""The library branches a user may work (or, for a read-only role, see), with today's counts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from culture.library.selectors import branches_with_counts
from culture.library.views.manage.common import NAV, can_work

PAGE_SIZE = 50


@login_required
@require_GET
def manage_home(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    today = timezone.localdate()
    page = Paginator(branches_with_counts(request.user, q, today=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for branch in page:
        branch.can_work = can_work(request.user, branch)  # type: ignore[attr-defined]
    return render(request, "library/manage/home.html", {"nav": NAV, "page": page, "q": q,
                                                         "today": today})  # fmt: skip
