"""Django admin for venues and rooms (district officers and superusers only): scoped
querysets, saves through the venue services (so kind rules, coordinates, hours figures and the
audit log hold here too), no deletes."""

from __future__ import annotations

from django.contrib import admin

from culture.core.admin import ScopedServiceAdmin
from culture.venues.models import Room, Venue
from culture.venues.services import (
    EDITABLE_FIELDS,
    ROOM_FIELDS,
    room_add,
    room_update,
    venue_create,
    venue_update,
)


class _ServiceAdmin(ScopedServiceAdmin):
    actions = None
    path_field = "operator_unit__path"


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0
    fields = ROOM_FIELDS
    readonly_fields = ROOM_FIELDS
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Venue)
class VenueAdmin(_ServiceAdmin):
    list_display = ("code", "name_zh", "kind", "operator_unit", "location_community",
                    "weekly_hours", "status")  # fmt: skip
    list_filter = ("kind", "status")
    search_fields = ("code", "name_zh", "name_en", "address")
    ordering = ("code",)
    list_select_related = ("operator_unit", "location_community")
    raw_id_fields = ("operator_unit",)
    fields = ("code", "operator_unit", "lon", "lat", *EDITABLE_FIELDS)
    readonly_fields_always = ("location_community", "weekly_hours", "days_open_per_year",
                              "offpeak_share", "hours_year")  # fmt: skip
    inlines = (RoomInline,)

    def get_readonly_fields(self, request, obj=None):
        return (
            ("code", *self.readonly_fields_always)
            if obj is not None
            else self.readonly_fields_always
        )

    def get_fields(self, request, obj=None):
        return (*self.fields, *self.readonly_fields_always)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            changes = {
                f: data[f] for f in form.changed_data if f in (*EDITABLE_FIELDS, "operator_unit")
            }
            if "lon" in form.changed_data or "lat" in form.changed_data:
                changes.update(lon=data["lon"], lat=data["lat"])
            venue = venue_update(actor=request.user, venue=obj, request=request, **changes)
        else:
            venue = venue_create(
                actor=request.user,
                request=request,
                code=data["code"],
                operator_unit=data["operator_unit"],
                lon=data["lon"],
                lat=data["lat"],
                **{f: data[f] for f in EDITABLE_FIELDS if f in data},
            )
        obj.pk = venue.pk

    def save_related(self, request, form, formsets, change):
        # Rooms are read-only here (edited on the venue's page and through the room admin).
        return None


@admin.register(Room)
class RoomAdmin(_ServiceAdmin):
    path_field = "venue__operator_unit__path"
    list_display = ("venue", "name", "capacity", "is_active")
    search_fields = ("name", "venue__code", "venue__name_zh")
    list_select_related = ("venue",)
    raw_id_fields = ("venue",)
    fields = ("venue", *ROOM_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        return ("venue",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            changes = {f: data[f] for f in form.changed_data if f in ROOM_FIELDS}
            room = room_update(actor=request.user, room=obj, request=request, **changes)
        else:
            room = room_add(
                actor=request.user,
                request=request,
                venue=data["venue"],
                **{f: data[f] for f in ROOM_FIELDS if f in data},
            )
        obj.pk = room.pk
