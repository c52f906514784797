"""Django admin for bookings (district officers and superusers only): read-only and scoped by the
venue's operator unit. Every change goes through the booking services (the resident and
manager pages), so the seat counter, the room cells and the audit log stay right."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from culture.booking.models import ActivitySeats, Booking, RoomBlock, RoomBookingRule
from culture.core.admin import ScopedServiceAdmin


class _ReadOnlyAdmin(ScopedServiceAdmin):
    actions = None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Booking)
class BookingAdmin(_ReadOnlyAdmin):
    path_field = "venue__operator_unit__path"
    list_display = ("code", "user", "activity", "room", "venue", "start_at", "status")
    list_filter = ("status", "check_in_method")
    search_fields = ("code",)
    date_hierarchy = "start_at"
    list_select_related = ("user", "activity", "room__venue", "venue")
    exclude = ("user",)  # the person is shown by name only
    readonly_fields = ("person",)

    @admin.display(description=_("预约人"))
    def person(self, obj: Booking) -> str:
        return str(obj.user)


@admin.register(ActivitySeats)
class ActivitySeatsAdmin(_ReadOnlyAdmin):
    path_field = "activity__venue__operator_unit__path"
    list_display = ("activity", "capacity", "taken", "waitlist_enabled", "needs_approval")
    list_select_related = ("activity",)


@admin.register(RoomBookingRule)
class RoomBookingRuleAdmin(_ReadOnlyAdmin):
    path_field = "room__venue__operator_unit__path"
    list_display = ("room", "enabled", "slot_minutes", "max_slots", "advance_days")
    list_select_related = ("room__venue",)


@admin.register(RoomBlock)
class RoomBlockAdmin(_ReadOnlyAdmin):
    path_field = "room__venue__operator_unit__path"
    list_display = ("room", "start_at", "end_at", "reason")
    list_select_related = ("room__venue",)
