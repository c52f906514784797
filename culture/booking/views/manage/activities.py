"""The activities of a venue and their booking settings (seats)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from culture.booking import selectors as sel
from culture.booking import services
from culture.booking.forms import SeatsForm
from culture.booking.views.manage.common import saved
from culture.venues.access import can_write


@login_required
@require_GET
def manage_activities(request: HttpRequest, venue_code: str) -> HttpResponse:
    venue = sel.manage_venue_get(viewer=request.user, code=venue_code)
    return render(
        request,
        "booking/manage/activities.html",
        {
            "nav": "booking_manage",
            "venue": venue,
            "activities": sel.venue_bookable_activities(viewer=request.user, venue=venue),
            "can_edit": can_write(request.user, venue),
            "days_back": sel.ACTIVITY_DAYS_BACK,
            "days_ahead": sel.ACTIVITY_DAYS_AHEAD,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_seats(request: HttpRequest, venue_code: str, activity_id: int) -> HttpResponse:
    venue = sel.manage_venue_get(viewer=request.user, code=venue_code, write=True)
    activity = sel.manage_activity_get(viewer=request.user, venue=venue, activity_id=activity_id)
    seats = getattr(activity, "seats", None)
    form = SeatsForm.for_seats(seats, request.POST or None)
    if saved(request, form, partial(services.seats_set, actor=request.user, activity=activity)):
        messages.success(request, _("已保存活动“%(title)s”的预约设置") % {"title": activity.title})
        return redirect("booking:manage_activities", venue_code=venue.code)
    return render(
        request,
        "booking/manage/seats.html",
        {
            "nav": "booking_manage",
            "venue": venue,
            "activity": activity,
            "seats": seats,
            "form": form,
        },
        status=422 if request.method == "POST" else 200,
    )
