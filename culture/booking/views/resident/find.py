"""The find page: activities and rooms to book, nearest to home first."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from culture.booking import selectors as sel
from culture.booking.views.resident.common import day_choices, parse_day


@require_GET
def find(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    today = timezone.localdate(now)
    kinds = sel.kind_choices()
    kind = request.GET.get("kind", "")
    if kind not in {k for k, _label in kinds}:
        kind = ""
    within_raw = request.GET.get("within", "")
    within = int(within_raw) if within_raw.isdigit() else None
    if within not in sel.DISTANCE_CHOICES:
        within = None
    day = parse_day(request.GET.get("date"), None)
    if day is not None and not (today <= day < today + timedelta(days=sel.FIND_DAYS)):
        day = None
    filters = sel.FindFilters(
        day=day, kind=kind, free_only=request.GET.get("free") == "1", within_m=within
    )
    result = sel.find_bookable(viewer=request.user, filters=filters, now=now)
    return render(
        request,
        "booking/find.html",
        {
            "nav": "booking",
            "tab": "find",
            "result": result,
            "filters": filters,
            "kinds": kinds,
            "days": day_choices(today, 14),
            "distances": [(d, f"{d / 1000:g}") for d in sel.DISTANCE_CHOICES],
            "room_kind": sel.ROOM_KIND,
            "filtered": bool(day or kind or filters.free_only or within),
        },
    )
