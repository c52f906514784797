"""python manage.py spreadsheets_columns [--write docs/spreadsheets.md | --check docs/spreadsheets.md]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from culture.spreadsheets.docs import columns_reference, with_reference, write_reference


class Command(BaseCommand):
    help = (
        "Print the column reference of every registered importer (and of the exports without "
        "one) as Markdown, generated from the registry. --write FILE puts it between the "
        "markers of FILE (docs/spreadsheets.md); --check FILE fails if FILE is out of date."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--write", metavar="FILE", help="rewrite the reference in FILE")
        group.add_argument("--check", metavar="FILE", help="fail if FILE's reference is stale")

    def handle(self, *args, write: str | None, check: str | None, **options):
        try:
            if write:
                changed = write_reference(Path(write))
                self.stdout.write(f"{write}: {'updated' if changed else 'already up to date'}")
                return
            if check:
                text = Path(check).read_text(encoding="utf-8")
                if with_reference(text) != text:
                    raise CommandError(
                        f"{check} is out of date: run manage.py spreadsheets_columns --write {check}"
                    )
                self.stdout.write(f"{check}: up to date")
                return
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(columns_reference(), ending="")
