"""What the venue manager's pages share: the ``?date=`` of a day page and its link, going back
after an action, a settings form saved through a service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from culture.booking.forms import put_error
from culture.booking.views.refusals import is_refusal
from culture.core.errors import ServiceError

MAX_DAYS_AWAY = 3660  # the day list looks at most ten years either way


def parse_day(raw: str | None) -> tuple[date, str]:
    """``?date=YYYY-MM-DD`` (default today); a bad or far-off value gives today and a message."""
    today = timezone.localdate()
    if not raw:
        return today, ""
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        return today, _(
            "日期“%(raw)s”无法识别，请按 年-月-日 填写（例如 2026-12-01）；已显示今天"
        ) % {"raw": raw[:20]}
    if abs((day - today).days) > MAX_DAYS_AWAY:
        return today, _("日期“%(raw)s”离今天太远（前后最多 %(n)s 天）；已显示今天") % {
            "raw": raw[:20],
            "n": MAX_DAYS_AWAY,
        }
    return day, ""


def day_url(venue_code: str, day: date) -> str:
    return f"{reverse('booking:manage_day', args=[venue_code])}?date={day.isoformat()}"


def back(request: HttpRequest, default: str) -> HttpResponse:
    """To the page the form came from (``next``, on this site only), else ``default``."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def hhmm(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment else ""


def saved(request: HttpRequest, form: forms.Form, save: Callable[..., Any]) -> bool:
    """On a POST with a valid form, ``save(**form.cleaned_data)`` (a service): True when it
    saved; a refusal is put on the form."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(**form.cleaned_data)
    except ServiceError as exc:
        if not is_refusal(exc):
            raise
        put_error(form, exc)
        return False
    return True
