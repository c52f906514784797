from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "culture.booking"
    verbose_name = _("一键预约")

    def ready(self) -> None:
        # Django's place for wiring once the models are loaded (the services import models, so
        # they cannot be imported at the top of this module).
        from culture.activities import hooks
        from culture.booking.services.activity_changes import (
            activity_bookings_cancel,
            activity_bookings_reschedule,
        )

        hooks.on_activity_cancelled(activity_bookings_cancel)
        hooks.on_activity_rescheduled(activity_bookings_reschedule)
