"""Staff sessions end after a period of inactivity (STAFF_IDLE_TIMEOUT)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

from culture.core.scope import viewer_scope

_KEY = "last_seen"


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and viewer_scope(user).is_staff_user:
            now = time.time()
            last = request.session.get(_KEY)
            if last is not None and now - last > settings.STAFF_IDLE_TIMEOUT.total_seconds():
                logout(request)
                if not request.path.startswith("/api/"):
                    return redirect_to_login(request.get_full_path())
            else:
                request.session[_KEY] = now
        return self.get_response(request)
