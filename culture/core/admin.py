"""Django admin: a back office for superusers and district officers only.

The default admin site lets in any ``is_staff`` user; here the gate is the platform's own roles:
a superuser or an active district-officer role. The audit log is shown read-only (the model and
the database refuse changes anyway).
"""

from __future__ import annotations

import types

from django.contrib import admin, messages
from django.http import HttpResponseRedirect

from culture.core.errors import FieldErrors, ServiceError
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


class ScopedServiceAdmin(admin.ModelAdmin):
    """The base of every model admin: district officers (and superusers) only, the queryset
    limited to the viewer's scope through ``path_field``, no deletes, no bulk actions; writes go
    through the app's services in the subclass's ``save_model``, and a service's refusal is shown
    as a message instead of a server error (the admin's transaction rolls the change back)."""

    path_field = "org_unit__path"  # the org path that puts an object in or out of scope
    actions = None

    def _allowed(self, request) -> bool:
        return viewer_scope(request.user).has_role(Role.DISTRICT_OFFICER)

    def _path_of(self, obj) -> str:
        value = obj
        for part in self.path_field.split("__"):
            value = getattr(value, part)
        return value

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request) -> bool:
        return self._allowed(request) and not viewer_scope(request.user).is_read_only

    def has_change_permission(self, request, obj=None) -> bool:
        if not self._allowed(request):
            return False
        scope = viewer_scope(request.user)
        return not scope.is_read_only and (obj is None or scope.can_write_path(self._path_of(obj)))

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return viewer_scope(request.user).filter(super().get_queryset(request), self.path_field)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except FieldErrors as exc:
            for name, errors in exc.errors.items():
                for message in errors:
                    messages.error(request, f"{name}: {message}")
        except ServiceError as exc:
            messages.error(request, str(exc.message))
        return HttpResponseRedirect(request.get_full_path())
