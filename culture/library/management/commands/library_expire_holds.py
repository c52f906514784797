"""python manage.py library_expire_holds: ready holds not collected by their expiry date expire
and their copies pass to the next reader in the queue or go back on the shelf (run it daily
from a scheduler, e.g. cron or a systemd timer, after the branches close)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from culture.library.services import holds_expire


class Command(BaseCommand):
    help = (
        "Expire the ready holds past their expiry date; their copies go to the next in the "
        "queue (who is told) or back on the shelf."
    )

    def handle(self, *args, **options):
        expired = holds_expire()
        self.stdout.write(f"{expired} hold(s) expired")
