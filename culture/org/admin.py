"""Django admin for org units (district officers and superusers only, per the product
decisions): scoped querysets, saves through the org services, no deletes."""

from __future__ import annotations

from django.contrib import admin

from culture.core.admin import ScopedServiceAdmin
from culture.org.models import OrgUnit
from culture.org.services import EDITABLE_FIELDS, org_unit_create, org_unit_update


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedServiceAdmin):
    path_field = "path"
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
