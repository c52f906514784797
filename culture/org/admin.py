"""Django admin for org units (district officers and superusers only, per the product
decisions): scoped querysets, saves through the org services, no deletes."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponseRedirect

from culture.core.errors import FieldErrors, ServiceError
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.org.models import OrgUnit
from culture.org.services import EDITABLE_FIELDS, org_unit_create, org_unit_update


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "level", "population", "area_km2", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("code", "name_zh", "name_en")
    ordering = ("code",)
    fields = (
        "code",
        "level",
        "parent",
        "name_zh",
        "name_en",
        "population",
        "area_km2",
        "is_active",
    )
    raw_id_fields = ("parent",)
    actions = None

    # ----- who may use it ------------------------------------------------------------------
    def _allowed(self, request) -> bool:
        return viewer_scope(request.user).has_role(Role.DISTRICT_OFFICER)

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
        return not scope.is_read_only and (obj is None or scope.can_write_path(obj.path))

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return viewer_scope(request.user).filter(super().get_queryset(request), "path")

    def get_readonly_fields(self, request, obj=None):
        return ("code", "level", "parent") if obj is not None else ()

    # ----- writes go through the services --------------------------------------------------
    def save_model(self, request, obj, form, change):
        if change:
            changes = {f: form.cleaned_data[f] for f in form.changed_data if f in EDITABLE_FIELDS}
            unit = org_unit_update(actor=request.user, unit=obj, request=request, **changes)
        else:
            data = form.cleaned_data
            unit = org_unit_create(
                actor=request.user,
                code=data["code"],
                level=data["level"],
                parent=data["parent"],
                name_zh=data["name_zh"],
                name_en=data.get("name_en") or "",
                population=data.get("population") or 0,
                area_km2=data.get("area_km2"),
                request=request,
            )
        obj.pk, obj.path = unit.pk, unit.path

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The admin runs the change form in a transaction: a service error rolls it back, and
        # the user sees the service's message instead of a server error.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except FieldErrors as exc:
            for name, errors in exc.errors.items():
                for message in errors:
                    messages.error(request, f"{name}: {message}")
        except ServiceError as exc:
            messages.error(request, str(exc.message))
        return HttpResponseRedirect(request.get_full_path())
