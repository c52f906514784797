"""Django admin (district officers and superusers only): scoped querysets, saves through the
services (validated, audited), no deletes. Residential developments are registered here too
(their services live in ``culture.org.services``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from culture.core.admin import ScopedServiceAdmin
from culture.org.models import ResidentialDevelopment
from culture.org.services import development_upsert
from culture.teams import services
from culture.teams.models import (
    CulturalOrganisation,
    CulturalTeam,
    CultureHousehold,
    CultureTalent,
)


class ServiceAdmin(ScopedServiceAdmin):
    unit_field = "org_unit"
    actions = None
    raw_id_fields: tuple[str, ...] = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(self.unit_field)

    def get_readonly_fields(self, request, obj: Any = None):
        return ("code",) if obj is not None else ()

    def call_service(self, request, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in form.cleaned_data}
        data["code"] = obj.code if change else data["code"]
        saved, _status = self.call_service(request, data)
        obj.pk = saved.pk


@admin.register(CulturalTeam)
class CulturalTeamAdmin(ServiceAdmin):
    list_display = ("code", "name", "kind", "org_unit", "members_count", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name", "leader_name")
    fields = (
        "code",
        "name",
        "kind",
        "org_unit",
        "members_count",
        "leader_name",
        "rehearsal_venue",
        "rehearsal_place",
        "founded_on",
        "is_active",
        "last_active_on",
    )
    raw_id_fields = ("org_unit", "rehearsal_venue")

    def call_service(self, request, data):
        return services.team_upsert(actor=request.user, request=request, **data)


@admin.register(CulturalOrganisation)
class CulturalOrganisationAdmin(ServiceAdmin):
    list_display = ("code", "name", "kind", "org_unit", "contact_name", "phone_masked")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    fields = ("code", "name", "kind", "org_unit", "contact_name", "address", "is_active")
    raw_id_fields = ("org_unit",)

    def call_service(self, request, data):
        return services.organisation_upsert(actor=request.user, request=request, phone=None, **data)


class _PeopleAdmin(ServiceAdmin):
    unit_field = "community"
    path_field = "community__path"
    list_display = ("code", "name", "community", "speciality", "is_active")
    search_fields = ("code", "name", "speciality")
    fields = ("code", "name", "community", "speciality", "is_active")
    raw_id_fields = ("community",)


@admin.register(CultureHousehold)
class CultureHouseholdAdmin(_PeopleAdmin):
    def call_service(self, request, data):
        return services.culture_household_upsert(actor=request.user, request=request, **data)


@admin.register(CultureTalent)
class CultureTalentAdmin(_PeopleAdmin):
    def call_service(self, request, data):
        return services.culture_talent_upsert(actor=request.user, request=request, **data)


@admin.register(ResidentialDevelopment)
class ResidentialDevelopmentAdmin(ServiceAdmin):
    unit_field = "community"
    path_field = "community__path"
    list_display = ("code", "name", "community", "population", "is_future_community")
    list_filter = ("is_future_community",)
    search_fields = ("code", "name")
    fields = (
        "code",
        "name",
        "community",
        "population",
        "indoor_fitness_m2",
        "outdoor_fitness_m2",
        "culture_space_m2",
        "is_future_community",
        "completion_year",
    )
    raw_id_fields = ("community",)

    def call_service(self, request, data):
        return development_upsert(actor=request.user, request=request, **data)
