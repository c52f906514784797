"""python manage.py import_marc FILE [--branch CODE]: import MARC21 or CNMARC records (ISO 2709)
into the catalogue, with their copies (holdings fields), all or nothing. A thin caller of the
import framework's MARC path (``marc_import``: the ``library_marc`` importer)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from culture.core.errors import ServiceError
from culture.library.marc import MarcImportRefused, marc_import
from culture.venues.models import Venue


class Command(BaseCommand):
    help = (
        "Import MARC21 or CNMARC records (ISO 2709) into the library catalogue; copies in the "
        "records' holdings fields (952/852, CNMARC 905) belong to --branch, or without it to "
        "the venue code in the field's $a. Nothing is saved if any record has a problem; every "
        "problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="an ISO 2709 file (.mrc / .iso)")
        parser.add_argument(
            "--branch",
            help="venue code of the library every copy belongs to (default: each holdings field's $a)",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        branch = None
        if options["branch"]:
            branch = Venue.objects.filter(code=options["branch"]).first()
            if branch is None:
                raise CommandError(f"no venue with code {options['branch']}")
        try:
            counts = marc_import(actor="import_marc", data=path.read_bytes(), branch=branch)
        except MarcImportRefused as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc.message)) from None
        except ServiceError as exc:
            raise CommandError(str(exc.message)) from None
        t, c = counts["titles"], counts["copies"]
        self.stdout.write(
            f"titles: {t['created']} created, {t['updated']} updated, {t['unchanged']} unchanged; "
            f"copies: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
        )
