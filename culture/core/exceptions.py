"""Turns service errors raised in page views into clear pages (and logs refused accesses)."""

from __future__ import annotations

from django.shortcuts import render

from culture.core.audit import audit_record
from culture.core.errors import NotFound, OutOfScope, ServiceError


class ServiceErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ServiceError):
            return None
        if isinstance(exception, OutOfScope):
            audit_record(
                actor=request.user, action="access.refused", target_label=request.path[:255],
                after={"method": request.method, "reason": str(exception.message)}, request=request,
            )
            status = 403
        elif isinstance(exception, NotFound):
            status = 404
        else:
            status = exception.status_code
        return render(request, "core/error.html", {"error": exception, "status": status}, status=status)
