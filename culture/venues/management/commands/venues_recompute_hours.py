"""python manage.py venues_recompute_hours [--year YYYY]

Recompute every venue's weekly hours, days open, off-peak share and shortest rest-day opening
for a calendar year (run on 1 January, and after changing CULTURE_OFFPEAK_START/END)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from culture.venues.services import venue_recompute_hours


class Command(BaseCommand):
    help = "Recompute the opening-hours figures of every venue for a year (default: this year)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None)

    def handle(self, *args, year: int | None, **options):
        n = venue_recompute_hours(actor=None, year=year)
        self.stdout.write(f"Recomputed the opening-hours figures of {n} venues.")
