"""python manage.py housekeeping [--every SECONDS]: run each periodic job once (for cron), or once
per interval until stopped (beside ``db_worker``, as ``make run`` does).

The periodic jobs are management commands, each safe to run at any moment and as often as one
likes (they act on what is due and do nothing otherwise):

- ``bookings_mark_no_shows``: confirmed bookings nobody checked in for become no-shows;
- ``library_expire_holds``: ready holds past their expiry date expire, their copies pass on;
- ``library_send_reminders``: loans due soon are reminded of, overdue ones told, each once.

``CULTURE_PERIODIC_JOBS`` (a list of command names) replaces the list. Each job runs in its own
try: a job that fails is logged with its traceback and the others still run; a single run
(without ``--every``) then exits with status 1 so cron reports it.
"""

from __future__ import annotations

import logging
import time
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

PERIODIC_JOBS = ("bookings_mark_no_shows", "library_expire_holds", "library_send_reminders")

log = logging.getLogger("culture.housekeeping")


def periodic_jobs() -> list[str]:
    return list(getattr(settings, "CULTURE_PERIODIC_JOBS", PERIODIC_JOBS))


def _fresh_connections() -> None:
    """A long-running process: drop connections the database closed or that are past
    CONN_MAX_AGE, as Django does around each request (never inside a transaction)."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


class Command(BaseCommand):
    help = (
        "Run each periodic job (no-shows, expired holds) once; with --every SECONDS, once per "
        "interval until stopped. A failing job is logged and the others still run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            default=None,
            help="repeat every SECONDS (default: run once and exit)",
        )
        parser.add_argument(
            "--rounds",
            type=int,
            default=None,
            help="with --every, stop after this many rounds (default: until stopped)",
        )

    def handle(self, *args, every: float | None, rounds: int | None, **options):
        if every is not None and every < 0:
            raise CommandError("--every must be 0 or more seconds")
        if every is None:
            failed = self.run_round()
            if failed:
                raise CommandError(f"periodic job(s) failed: {', '.join(failed)}")
            return
        done = 0
        try:
            while rounds is None or done < rounds:
                self.run_round()
                done += 1
                if rounds is None or done < rounds:
                    time.sleep(every)
        except KeyboardInterrupt:
            self.stdout.write("housekeeping stopped")

    def run_round(self) -> list[str]:
        """Run every job once; returns the names of those that failed."""
        failed = []
        for name in periodic_jobs():
            _fresh_connections()
            out = StringIO()
            started = time.monotonic()
            try:
                call_command(name, stdout=out)
            except Exception:
                log.exception("periodic job %s failed", name)
                self.stderr.write(f"{name}: FAILED (see the log)")
                failed.append(name)
                continue
            finally:
                _fresh_connections()
            said = " ".join(out.getvalue().split()) or "done"
            self.stdout.write(f"{name}: {said} ({time.monotonic() - started:.1f} s)")
        return failed
