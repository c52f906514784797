"""Turns service errors raised in page views into clear pages, and logs refused accesses.

``OutOfScope`` (and Django's ``PermissionDenied``) become a 403 page and an ``access.refused``
audit entry; ``NotFound`` a 404 page; any other ``ServiceError`` its own status (400/422).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from culture.core.audit import audit_record
from culture.core.errors import NotFound, OutOfScope, ServiceError


def audit_refusal(request, reason) -> None:
    audit_record(
        actor=request.user,
        action="access.refused",
        target_label=request.path[:255],
        after={"method": request.method, "reason": str(reason)},
        request=request,
    )


class ServiceErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            exception = OutOfScope(str(exception) or _("您无权访问此页面"))
        if not isinstance(exception, ServiceError):
            return None
        if isinstance(exception, OutOfScope):
            audit_refusal(request, exception.message)
            status = 403
        elif isinstance(exception, NotFound):
            status = 404
        else:
            status = exception.status_code
        return render(
            request, "core/error.html", {"error": exception, "status": status}, status=status
        )
