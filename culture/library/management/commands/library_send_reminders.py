"""python manage.py library_send_reminders: remind readers of loans due within
CULTURE_LIBRARY_REMIND_DAYS days and tell them once of an overdue loan (run daily; one of the
housekeeping jobs)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from culture.library.services import loans_remind


class Command(BaseCommand):
    help = "Remind readers of loans due soon and tell them of overdue loans (each once)."

    def handle(self, *args, **options):
        reminded, told = loans_remind()
        self.stdout.write(f"{reminded} due-soon reminder(s), {told} overdue notice(s) sent")
