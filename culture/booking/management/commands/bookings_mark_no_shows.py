"""python manage.py bookings_mark_no_shows: mark the confirmed bookings nobody checked in for as
no-shows (run it every few minutes from a scheduler, e.g. cron or a systemd timer)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from culture.booking.services import bookings_mark_no_shows


class Command(BaseCommand):
    help = (
        "Mark every confirmed booking not checked in CULTURE_BOOKING_NO_SHOW_AFTER_MINUTES after "
        "its start as a no-show (repeated no-shows suspend booking; the person is told)."
    )

    def handle(self, *args, **options):
        marked = bookings_mark_no_shows()
        minutes = settings.CULTURE_BOOKING_NO_SHOW_AFTER_MINUTES
        self.stdout.write(f"{marked} booking(s) marked no-show ({minutes} minutes after start)")
