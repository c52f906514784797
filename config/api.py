"""The open JSON API (django-ninja): OpenAPI at /api/openapi.json, docs at /api/docs.

Session auth (with CSRF) for the platform's own pages, bearer tokens for outside tools; every
operation goes through the same selectors and services as the pages, so the same scope holds.
"""

from __future__ import annotations

import hashlib

from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from culture.accounts.api import router as accounts_router
from culture.accounts.models import ApiToken
from culture.core.errors import FieldErrors, ServiceError
from culture.org.api import router as org_router


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        digest = hashlib.sha256(token.encode()).hexdigest()
        api_token = ApiToken.objects.select_related("user").filter(token_hash=digest, revoked=False).first()
        if api_token is None or not api_token.user.is_active:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user


api = NinjaAPI(
    title="拱墅区公共文化服务平台 API",
    version="1.0",
    description="Gongshu public-culture platform: open JSON API. 所有操作均按用户的组织范围授权。",
    auth=[django_auth, TokenAuth()],
    urls_namespace="api",
)


@api.exception_handler(ServiceError)
def service_error(request, exc: ServiceError):
    return api.create_response(request, exc.as_dict(), status=exc.status_code)


@api.exception_handler(FieldErrors)
def field_errors(request, exc: FieldErrors):
    return api.create_response(request, exc.as_dict(), status=exc.status_code)


api.add_router("/accounts/", accounts_router)
api.add_router("/org/", org_router)
