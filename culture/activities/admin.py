"""Django admin for activities (district officers and superusers only): scoped querysets,
saves through the activity services, no deletes (cancel instead)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponseRedirect

from culture.activities.models import Activity
from culture.activities.services import (
    EDITABLE_FIELDS,
    activity_cancel,
    activity_create,
    activity_update,
)
from culture.core.errors import FieldErrors, ServiceError
from culture.core.roles import Role
from culture.core.scope import viewer_scope


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "organiser", "venue", "start_at", "attendance", "cancelled")
    list_filter = ("kind", "online", "cancelled")
    search_fields = ("title", "external_id")
    date_hierarchy = "start_at"
    raw_id_fields = ("organiser", "venue")
    fields = (*EDITABLE_FIELDS, "cancelled")
    actions = None
    show_full_result_count = False

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
        return not scope.is_read_only and (obj is None or scope.can_write_path(obj.organiser_path))

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("organiser", "venue")
        return viewer_scope(request.user).filter(qs, "organiser_path")

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
