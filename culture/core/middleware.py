"""Staff sessions end after a period of inactivity (STAFF_IDLE_TIMEOUT).

The time of the last request is kept in the session (``last_seen``, epoch seconds). A staff
request that comes later than the timeout is signed out and, for a page, sent to the sign-in page
with ``next`` set; an API request simply continues unauthenticated (and gets 401). Residents keep
the normal session age.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

from culture.core.audit import audit_record
from culture.core.scope import viewer_scope

SESSION_KEY = "last_seen"


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and viewer_scope(user).is_staff_user:
            now = time.time()
            last = request.session.get(SESSION_KEY)
            if (
                isinstance(last, (int, float))
                and now - last > settings.STAFF_IDLE_TIMEOUT.total_seconds()
            ):
                audit_record(actor=user, action="auth.idle_timeout", target=user, request=request)
                logout(request)
                if not request.path.startswith("/api/"):
                    return redirect_to_login(request.get_full_path())
            else:
                request.session[SESSION_KEY] = now
        return self.get_response(request)
