"""Django admin: a back office for superusers and district officers only.

The default admin site lets in any ``is_staff`` user; here the gate is the platform's own roles:
a superuser or an active district-officer role. The audit log is shown read-only (the model and
the database refuse changes anyway).
"""

from __future__ import annotations

import types

from django.contrib import admin

from culture.core.models import AuditEntry
from culture.core.roles import Role
from culture.core.scope import viewer_scope


def may_enter_admin(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Role.DISTRICT_OFFICER in viewer_scope(user).roles


def _has_permission(self, request) -> bool:
    return may_enter_admin(request.user)


# The default site object is kept (every app registers on it); only its gate changes.
admin.site.has_permission = types.MethodType(_has_permission, admin.site)  # type: ignore[method-assign]
admin.site.site_header = "拱墅区公共文化服务平台 · 后台"
admin.site.site_title = "拱墅区公共文化服务平台"


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_label", "action", "target_type", "target_label", "org_path", "ip")
    list_filter = ("action",)
    search_fields = ("actor_label", "action", "target_label", "org_path")
    date_hierarchy = "at"
    readonly_fields = tuple(
        f.name for f in AuditEntry._meta.get_fields() if getattr(f, "concrete", False)
    )

    def has_view_permission(self, request, obj=None) -> bool:
        return may_enter_admin(request.user)

    def has_module_permission(self, request) -> bool:
        return may_enter_admin(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
