"""Django admin for activities (district officers and superusers only): scoped querysets,
saves through the activity services, no deletes (cancel instead)."""

from __future__ import annotations

from django.contrib import admin

from culture.activities.models import Activity
from culture.activities.services import (
    EDITABLE_FIELDS,
    activity_cancel,
    activity_create,
    activity_update,
)
from culture.core.admin import ScopedServiceAdmin


@admin.register(Activity)
class ActivityAdmin(ScopedServiceAdmin):
    path_field = "organiser_path"
    list_display = ("title", "kind", "organiser", "venue", "start_at", "attendance", "cancelled")
    list_filter = ("kind", "online", "cancelled")
    search_fields = ("title", "external_id")
    date_hierarchy = "start_at"
    raw_id_fields = ("organiser", "venue")
    fields = (*EDITABLE_FIELDS, "cancelled")
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organiser", "venue")

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in EDITABLE_FIELDS if f in form.cleaned_data}
        if change:
            original = Activity.objects.get(pk=obj.pk)
            changes = {f: data[f] for f in form.changed_data if f in EDITABLE_FIELDS}
            saved = activity_update(
                actor=request.user, activity=original, request=request, **changes
            )
        else:
            saved = activity_create(actor=request.user, request=request, **data)
        if "cancelled" in form.changed_data or (not change and form.cleaned_data["cancelled"]):
            activity_cancel(
                actor=request.user,
                activity=saved,
                request=request,
                cancelled=form.cleaned_data["cancelled"],
            )
        obj.pk = saved.pk
