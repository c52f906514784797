"""python manage.py summaries_rebuild [--year 2025 ...]: recompute the activity summaries."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from culture.activities.models import Activity
from culture.activities.services import MAX_YEAR, MIN_YEAR
from culture.activities.summaries import summaries_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the activity month and week summaries that the standards engine reads from "
        "the raw activity rows (after a bulk load that bypassed the services, or to check). "
        "With --year, only the summaries of those years (local time) are replaced; the weeks "
        "that straddle a new year are rebuilt whole."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            help="a year to rebuild (repeatable); default: every year",
        )

    def handle(self, *args, years: list[int] | None, **options):
        for year in years or ():
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise CommandError(f"--year must be between {MIN_YEAR} and {MAX_YEAR}: {year}")
        started = time.monotonic()
        months, weeks = summaries_rebuild(years=years)
        label = ", ".join(str(y) for y in sorted(set(years))) if years else "all years"
        live = Activity.objects.filter(cancelled=False).count()
        self.stdout.write(
            f"{label}: {months} month rows, {weeks} week rows "
            f"({live} live activities in the table; {time.monotonic() - started:.1f} s)"
        )
