"""Django admin for district officers and superusers: scoped querysets, writes through services,
personal numbers shown masked and read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from culture.accounts import selectors, services
from culture.accounts.models import Resident, RoleAssignment, StaffMember, User
from culture.core.errors import ServiceError
from culture.core.roles import Role
from culture.core.scope import viewer_scope


def _is_admin_user(request) -> bool:
    scope = viewer_scope(request.user)
    return request.user.is_active and (
        scope.is_superuser or (Role.DISTRICT_OFFICER in scope.roles and scope.writes_all)
    )


class ScopedAdmin(admin.ModelAdmin):
    """Only district officers and superusers; no deletes (records are deactivated instead)."""

    def has_module_permission(self, request) -> bool:
        return _is_admin_user(request)

    def has_view_permission(self, request, obj: Any = None) -> bool:
        return _is_admin_user(request)

    def has_change_permission(self, request, obj: Any = None) -> bool:
        return _is_admin_user(request)

    def has_add_permission(self, request) -> bool:
        return _is_admin_user(request)

    def has_delete_permission(self, request, obj: Any = None) -> bool:
        return False

    def _service_call(self, request, fn, **kwargs) -> Any:
        try:
            return fn(actor=request.user, request=request, **kwargs)
        except ServiceError as exc:
            messages.error(request, str(exc.message))
            raise PermissionDenied(str(exc.message)) from exc


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ("role", "org_unit", "active")
    readonly_fields = ("role", "org_unit", "active")
    can_delete = False

    def has_add_permission(self, request, obj: Any = None) -> bool:
        return False


class UserAdminForm(forms.ModelForm):
    phone = forms.CharField(
        label=_("手机号（修改时填写，留空不变）"), required=False, max_length=20
    )
    password_new = forms.CharField(
        label=_("新密码（留空不变）"), required=False, widget=forms.PasswordInput
    )

    class Meta:
        model = User
        fields = ("username", "display_name", "is_active")


@admin.register(User)
class UserAdmin(ScopedAdmin):
    form = UserAdminForm
    list_display = ("username", "display_name", "phone_masked", "is_active")
    list_filter = ("is_active", "role_assignments__role")
    search_fields = ("username", "display_name")
    readonly_fields = ("phone_masked", "last_login", "date_joined")
    inlines = [RoleInline]

    def get_queryset(self, request):
        return (
            selectors.user_list(viewer=request.user, filters={})
            if _is_admin_user(request)
            else User.objects.none()
        )

    def get_readonly_fields(self, request, obj: Any = None):
        ro = list(super().get_readonly_fields(request, obj))
        return [*ro, "username"] if obj is not None else ro

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        current = (
            [
                (ra.role, ra.org_unit)
                for ra in obj.role_assignments.filter(active=True).select_related("org_unit")
            ]
            if change
            else []
        )
        saved, _status = self._service_call(
            request,
            services.user_upsert,
            username=obj.username if change else data["username"],
            display_name=data.get("display_name", ""),
            password=data.get("password_new") or None,
            roles=current,
            phone=data.get("phone") or (None if change else ""),
            is_active=data.get("is_active", True),
        )
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change) -> None:
        """Roles are changed on the platform's user page (through the services), not here."""

    def delete_model(self, request, obj) -> None:
        self._service_call(request, services.user_deactivate, user=obj)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdmin):
    list_display = ("user", "role", "org_unit", "active")
    list_filter = ("role", "active")
    search_fields = ("user__username", "org_unit__name_zh")
    fields = ("user", "role", "org_unit")
    raw_id_fields = ("user",)

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("user", "org_unit")
        return qs if _is_admin_user(request) else qs.none()

    def has_change_permission(self, request, obj: Any = None) -> bool:
        return obj is None and _is_admin_user(request)

    def save_model(self, request, obj, form, change) -> None:
        saved = self._service_call(
            request,
            services.role_assignment_add,
            user=obj.user,
            role=obj.role,
            org_unit=obj.org_unit,
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj: Any = None) -> bool:
        return _is_admin_user(request)

    def delete_model(self, request, obj) -> None:
        self._service_call(request, services.role_assignment_remove, assignment=obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class StaffAdminForm(forms.ModelForm):
    phone = forms.CharField(
        label=_("手机号（修改时填写，留空不变）"), required=False, max_length=20
    )

    class Meta:
        model = StaffMember
        fields = (
            "staff_number",
            "name",
            "org_unit",
            "position",
            "is_professional",
            "is_fulltime_culture",
        )


@admin.register(StaffMember)
class StaffMemberAdmin(ScopedAdmin):
    form = StaffAdminForm
    list_display = (
        "staff_number",
        "name",
        "org_unit",
        "is_professional",
        "is_fulltime_culture",
        "is_active",
    )
    list_filter = ("is_professional", "is_fulltime_culture", "is_active")
    search_fields = ("staff_number", "name")
    readonly_fields = ("phone_masked",)

    def get_queryset(self, request):
        if not _is_admin_user(request):
            return StaffMember.objects.none()
        qs = StaffMember.objects.select_related("org_unit")
        return viewer_scope(request.user).filter(qs, "org_unit__path")

    def get_readonly_fields(self, request, obj: Any = None):
        ro = list(super().get_readonly_fields(request, obj))
        return [*ro, "staff_number"] if obj is not None else ro

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        saved, _status = self._service_call(
            request,
            services.staff_member_upsert,
            staff_number=obj.staff_number,
            name=data["name"],
            org_unit=data["org_unit"],
            position=data.get("position", ""),
            is_professional=data.get("is_professional", False),
            is_fulltime_culture=data.get("is_fulltime_culture", False),
            phone=data.get("phone") or (None if change else ""),
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj) -> None:
        self._service_call(request, services.staff_member_deactivate, staff=obj)


@admin.register(Resident)
class ResidentAdmin(ScopedAdmin):
    list_display = ("name", "id_number_masked", "phone", "community")
    search_fields = ("name",)
    fields = (
        "name",
        "community",
        "id_number_masked",
        "ssc_card_no_masked",
        "phone",
        "phone_verified_at",
    )
    readonly_fields = ("id_number_masked", "ssc_card_no_masked", "phone", "phone_verified_at")

    @admin.display(description=_("手机号"))
    def phone(self, obj) -> str:
        return obj.user.phone_masked

    def get_queryset(self, request):
        if not _is_admin_user(request):
            return Resident.objects.none()
        return selectors.resident_list(viewer=request.user, filters={})

    def has_add_permission(self, request) -> bool:
        return False  # residents sign up, or are registered on the platform's page

    def save_model(self, request, obj, form, change) -> None:
        self._service_call(
            request,
            services.resident_update,
            resident=Resident.objects.get(pk=obj.pk),
            name=form.cleaned_data["name"],
            community=form.cleaned_data.get("community"),
        )
