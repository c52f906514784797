"""Housekeeping for import jobs (run it daily from the scheduler).

- Marked copies of rejected files hold what people uploaded (possibly personal numbers): they are
  deleted after ``--keep-days`` (default 30); the job and its error list stay.
- A job whose worker died (status still 正在检查/正在保存 after ``--stale-minutes``, default 60) is
  queued again: its upload is still stored and importers upsert, so a rerun is safe.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand

from culture.spreadsheets.services import import_jobs_maintain


class Command(BaseCommand):
    help = "Delete old marked files of import jobs and re-queue jobs whose worker died."

    def add_arguments(self, parser):
        parser.add_argument("--keep-days", type=int, default=30)
        parser.add_argument("--stale-minutes", type=int, default=60)

    def handle(self, *args, keep_days: int, stale_minutes: int, **options):
        pruned, requeued = import_jobs_maintain(
            keep=timedelta(days=keep_days), stale=timedelta(minutes=stale_minutes)
        )
        self.stdout.write(f"marked files deleted: {pruned}; stalled jobs queued again: {requeued}")
