from __future__ import annotations

from ninja import Router, Schema

from culture.core.scope import viewer_scope

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]
    read_only: bool


@router.get("/me", response=MeOut, summary="当前用户 / the signed-in user")
def me(request):
    scope = viewer_scope(request.user)
    return MeOut(
        username=request.user.username,
        display_name=request.user.display_name,
        roles=sorted(scope.roles),
        read_only=scope.is_read_only,
    )
