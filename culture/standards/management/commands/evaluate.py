"""Evaluate every indicator for a year and write every result (JSON, xlsx or Word).

    python manage.py evaluate --year 2025 [--unit CODE] --format json|xlsx|docx [--output F]

The run is stored (the cockpit shows it). The JSON format is documented in docs/standards.md.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from culture.core.errors import ServiceError
from culture.demo.models import DemoDataset
from culture.org.models import OrgUnit
from culture.standards.results_export import results_docx, results_json, results_xlsx
from culture.standards.services.evaluation import evaluation_run


class Command(BaseCommand):
    help = "Evaluate every standard for a year and write the results (JSON, xlsx or docx)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--unit", default="", help="org unit code (default: the district)")
        parser.add_argument("--format", choices=("json", "xlsx", "docx"), default="json")
        parser.add_argument("--output", default="", help="file to write (json: default stdout)")

    def handle(self, *args, year: int, unit: str, format: str, output: str, **options):
        org_unit = None
        if unit:
            org_unit = OrgUnit.objects.filter(code=unit.strip()).first()
            if org_unit is None:
                raise CommandError(f"未知的单位代码 {unit} (unknown org unit code)")
        try:
            run = evaluation_run(year=year, trigger="command")
        except ServiceError as exc:
            raise CommandError(str(exc.message)) from exc
        if not run.results.exclude(source="").exists():
            self.stderr.write(
                f"注意：{year} 年没有任何记录、填报或佐证，所有指标为“无数据”。"
                f" (No records, reported figures or evidence for {year}: every result is no_data.)"
            )
        if format == "json":
            text = results_json(run, unit=org_unit)
            if output:
                with open(output, "w", encoding="utf-8") as fh:
                    fh.write(text + "\n")
            else:
                self.stdout.write(text)
        else:
            data = (
                results_xlsx(run, unit=org_unit)
                if format == "xlsx"
                else results_docx(run, unit=org_unit, synthetic=DemoDataset.objects.exists())
            )
            path = output or f"standards-{year}{'-' + unit if unit else ''}.{format}"
            with open(path, "wb") as fh:
                fh.write(data)
            self.stderr.write(f"{run.result_count} results -> {path}")
