"""Template tags of the booking pages: the unread message count (the site's navigation and the
booking tabs), a booking's place and time in words."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from culture.booking import selectors

register = template.Library()


@register.simple_tag
def unread_messages(user: Any) -> int:
    """How many of the user's messages are unread (0 for an anonymous visitor); counted once
    per request (kept on the request's user object, like ``managed_venue_ids``)."""
    cached = getattr(user, "_unread_messages", None)
    if cached is None:
        cached = selectors.unread_count(user=user)
        if getattr(user, "is_authenticated", False):
            user._unread_messages = cached
    return cached


@register.filter
def distance(metres: int | None) -> str:
    """A distance as a resident reads it: "100 米内", "约 850 米", "约 1.2 公里"."""
    if metres is None:
        return ""
    if metres < 100:
        return _("100 米内")
    if metres < 1000:
        return _("约 %(m)d 米") % {"m": round(metres, -1)}
    return _("约 %(km)s 公里") % {"km": f"{metres / 1000:.1f}".rstrip("0").rstrip(".")}
