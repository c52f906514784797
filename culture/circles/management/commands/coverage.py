"""python manage.py coverage [--format json|text] [--radius M] [--rule culture_circle|fitness_circle]
[--unit CODE] [--no-homes]

The coverage of the whole district (or of one unit) by the 15-minute culture circle (policy
2.2.3: within 1.5 km, >= 1 public culture venue and >= 2 public-welfare spaces) or by the
fitness circle: per district, subdistrict and community, by residents and by residential
point, at the radius and at the city radius beside it; with ``--format json`` every home too
(code, place, residents, covered, what it lacks, distance to the N-th nearest facility), so an
independent computation can be compared point by point. See docs/circles.md.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from culture.circles.report import report_dict, system_report
from culture.circles.selectors import RULES, rule_for
from culture.core.errors import ServiceError


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


class Command(BaseCommand):
    help = "Coverage of the 15-minute culture circle (or the fitness circle) as JSON or text."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("json", "text"), default="text")
        parser.add_argument("--radius", type=float, default=None, help="metres (default: setting)")
        parser.add_argument("--rule", choices=sorted(RULES), default="culture_circle")
        parser.add_argument("--unit", default=None, help="a subdistrict or community code")
        parser.add_argument("--no-homes", action="store_true", help="JSON without the homes")

    def handle(self, *args, **options):
        try:
            rule = rule_for(options["rule"], options["radius"])
            report = system_report(rule=rule, unit=options["unit"])
        except ServiceError as exc:
            raise CommandError(str(exc.message)) from None
        if options["format"] == "json":
            data = report_dict(report, homes=not options["no_homes"])
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        t = report.total
        self.stdout.write(
            f"{rule.label} · R = {report.radius_m:g} m (city {report.city_radius_m:g} m)\n"
            f"{t.name}: residents {t.population_covered}/{t.population} "
            f"{_pct(t.share_population)}, points {t.points_covered}/{t.points} "
            f"{_pct(t.share_points)}; at {report.city_radius_m:g} m "
            f"{_pct(t.share_population_city)}"
        )
        for row in [*report.subdistricts, *report.communities]:
            lacking = ", ".join(f"{k} {v}" for k, v in row.lacking.items())
            self.stdout.write(
                f"  {row.code} {row.name}: {_pct(row.share_population)} of {row.population} "
                f"({row.points_covered}/{row.points} points; lacking: {lacking})"
            )
