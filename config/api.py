"""The open JSON API (django-ninja): OpenAPI at /api/openapi.json, docs at /api/docs.

Two ways in: bearer tokens for outside tools (``Authorization: Bearer <token>``; only the
token's SHA-256 is stored, see ``culture.accounts.tokens``) and the platform's own session
cookie, which needs the CSRF token on every unsafe method. Every operation goes through the same
selectors and services as the pages, so the same org scope holds.

Errors are JSON with a Chinese message (English when the client sends ``Accept-Language: en``):
service errors keep their status (400/403/404/422), request validation is 422, an anonymous
caller gets 401, and a refused access is written to the audit log like a refused page.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from culture.accounts.api import router as accounts_router
from culture.accounts.models import ApiToken
from culture.activities.api import router as activities_router
from culture.booking.api import router as booking_router
from culture.circles.api_coverage import router as circles_coverage_router
from culture.circles.api_registry import router as circles_registry_router
from culture.circles.api_siting import router as circles_siting_router
from culture.core.audit import audit_record
from culture.core.errors import OutOfScope, ServiceError
from culture.library.api import router as library_router
from culture.org.api import router as org_router
from culture.standards.api import router as standards_router
from culture.standards.api_reporting import router as standards_reporting_router
from culture.teams.api import router as teams_router
from culture.venues.api import router as venues_router

logger = logging.getLogger("culture.api")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the token is looked up by its SHA-256 only."""

    def authenticate(self, request, token):
        if not token or len(token) > 200:
            return None
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=token_digest(token), revoked=False)
            .first()
        )
        if api_token is None or not api_token.user.is_active:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user


class SessionCsrfAuth(SessionAuth):
    """The platform's session cookie; unsafe methods need the CSRF token (ninja checks it).

    An anonymous caller is answered 401 whatever the method (the CSRF check would say 403).
    """

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


# Bearer first: a token caller has no CSRF cookie, and the session check would refuse it.
AUTH = [TokenAuth(), SessionCsrfAuth(csrf=True)]


def install_error_handlers(api: NinjaAPI) -> None:
    """Map every error to a JSON answer with a translated message (and audit refusals)."""

    def respond(request, status: int, code: str, message, **extra):
        body = {"code": code, "message": str(message), **extra}
        return api.create_response(request, body, status=status)

    def service_error(request, exc: ServiceError):
        if isinstance(exc, OutOfScope):
            _audit_refusal(request, exc.message)
        return api.create_response(request, exc.as_dict(), status=exc.status_code)

    def permission_denied(request, exc: PermissionDenied):
        reason = str(exc) or _("您无权进行此操作")
        _audit_refusal(request, reason)
        return respond(request, 403, "forbidden", reason)

    def not_authenticated(request, exc: AuthenticationError):
        return respond(request, 401, "not_authenticated", _("请先登录，或提供有效的 API 令牌"))

    def http_error(request, exc: HttpError):
        if exc.status_code == 403 and str(exc.message).startswith("CSRF"):
            # ninja raises this for a session request without a valid CSRF token.
            _audit_refusal(request, "csrf")
            return respond(request, 403, "csrf_failed", _("CSRF 校验失败，请刷新页面后重试"))
        return respond(request, exc.status_code, "error", exc.message)

    def not_found(request, exc: Http404):
        return respond(request, 404, "not_found", _("未找到该对象"))

    def validation_error(request, exc: ValidationError):
        return respond(request, 422, "invalid", _("请求数据不正确"), detail=exc.errors)

    def unexpected(request, exc: Exception):
        # Never a traceback or an exception message to the caller; the log has it.
        logger.exception("unhandled API error on %s %s", request.method, request.path)
        return respond(request, 500, "server_error", _("服务器内部错误，请稍后再试"))

    for exc_class, handler in [
        (ServiceError, service_error),
        (PermissionDenied, permission_denied),
        (AuthenticationError, not_authenticated),
        (HttpError, http_error),
        (Http404, not_found),
        (ValidationError, validation_error),
        (Exception, unexpected),
    ]:
        api.add_exception_handler(exc_class, handler)


def _audit_refusal(request, reason) -> None:
    audit_record(
        actor=getattr(request, "user", None),
        action="access.refused",
        target_label=request.path[:255],
        after={"method": request.method, "reason": str(reason), "channel": "api"},
        request=request,
    )


api = NinjaAPI(
    title="拱墅区公共文化服务平台 API",
    version="1.0",
    description=(
        "Gongshu public-culture platform: open JSON API. 所有操作均按用户的组织范围授权。"
        " Authenticate with `Authorization: Bearer <token>` (issued by a district officer) or"
        " with the platform's session cookie plus the CSRF token for unsafe methods."
    ),
    auth=AUTH,
    urls_namespace="api",
)

install_error_handlers(api)

api.add_router("/accounts/", accounts_router)
api.add_router("/org/", org_router)
api.add_router("/venues/", venues_router)
api.add_router("/activities/", activities_router)
api.add_router("/teams/", teams_router)
api.add_router("/standards/", standards_reporting_router)
api.add_router("/standards/", standards_router)
api.add_router("/circles/", circles_coverage_router)
api.add_router("/circles/", circles_siting_router)
api.add_router("/circles/", circles_registry_router)
api.add_router("/booking/", booking_router)
api.add_router("/library/", library_router)
