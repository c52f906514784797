"""API tokens: issued once, stored as SHA-256 only, revocable. Every issue and revoke is audited.

Only a district officer may issue or revoke a token for someone else; any signed-in user may do
so for themself. ``actor=None`` is the operator at the command line (``issue_api_token``).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from culture.accounts.models import ApiToken, User
from culture.core.audit import audit_record
from culture.core.errors import FieldErrors, OutOfScope
from culture.core.roles import Role
from culture.core.scope import viewer_scope

TOKEN_PREFIX = "gsc_"  # noqa: S105 (a marker, not a secret)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_may_manage(actor: Any, user: User) -> None:
    if actor is None:
        return
    if getattr(actor, "pk", None) == user.pk and actor.is_authenticated:
        return
    if viewer_scope(actor).has_role(Role.DISTRICT_OFFICER):
        return
    raise OutOfScope(_("只有区文旅局干部可以为他人管理 API 令牌"))


@transaction.atomic
def api_token_issue(*, actor: Any, user: User, name: str, request: Any = None) -> str:
    """Create a token for ``user`` and return it; it is never shown again (only its hash is kept)."""
    _require_may_manage(actor, user)
    name = (name or "").strip()
    errors: dict[str, list[Any]] = {}
    if not name:
        errors["name"] = [_("令牌名称不能为空")]
    elif len(name) > 64:
        errors["name"] = [_("令牌名称最多64个字符")]
    if not user.is_active:
        errors["user"] = [_("该用户已停用，不能签发令牌")]
    if errors:
        raise FieldErrors(errors)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(
        user=user, name=name, token_hash=_digest(token), prefix=token[:8]
    )
    audit_record(
        actor=actor or "system",
        action="accounts.api_token_issued",
        target=api_token,
        target_label=f"{user.get_username()} / {name}",
        after={"user": user.get_username(), "name": name, "prefix": api_token.prefix},
        request=request,
    )
    return token


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken, request: Any = None) -> ApiToken:
    """Revoke ``token``; it stops working at once. Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update(of=("self",)).select_related("user").get(pk=token.pk)
    _require_may_manage(actor, token.user)
    if token.revoked:
        return token
    token.revoked = True
    token.save(update_fields=["revoked", "updated_at"])
    audit_record(
        actor=actor or "system",
        action="accounts.api_token_revoked",
        target=token,
        target_label=f"{token.user.get_username()} / {token.name}",
        before={"revoked": False},
        after={"revoked": True, "prefix": token.prefix},
        request=request,
    )
    return token
