"""What the residents' pages share: the idempotency key of a rendered page, the sign-in link,
a refusal shown as a message, the day picker."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from culture.accounts.models import Resident
from culture.booking.views.refusals import is_refusal
from culture.core.errors import ServiceError


def new_key() -> str:
    return uuid.uuid4().hex


def is_resident(user: Any) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and Resident.objects.filter(user_id=user.pk).exists()
    )


def login_url(request: HttpRequest) -> str:
    return reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()})


def show_refusal(request: HttpRequest, exc: ServiceError) -> None:
    """A refusal the page shows as a message; not-found and out-of-scope are raised on."""
    if not is_refusal(exc):
        raise exc
    messages.error(request, str(exc.message))


def parse_day(value: str | None, default: date | None) -> date | None:
    if not value:
        return default
    try:
        return parse_date(value) or default
    except ValueError:
        return default


def day_choices(today: date, days: int) -> list[tuple[date, str]]:
    names = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]
    out = []
    for i in range(days):
        d = today + timedelta(days=i)
        if i == 0:
            label = _("今天")
        elif i == 1:
            label = _("明天")
        else:
            label = names[d.weekday()]
        out.append((d, f"{label} {d:%m-%d}"))
    return out
