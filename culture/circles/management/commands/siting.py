"""python manage.py siting [--budget K] [--format json|text] [--fix CODE ...] [--exclude CODE ...]
[--radius M] [--unit CODE] [--rule culture_circle|fitness_circle] [--time-limit S]

Where the next venues and spaces should go (docs/circles.md, "Siting"): without ``--budget``
the fewest new facilities that bring every reachable home to the rule (policy 2.2.3: within
1.5 km, >= 1 public culture venue and >= 2 public-welfare spaces); with ``--budget K`` the K new
facilities that cover the most residents. Candidates: the imported candidate sites, else a grid
inside the district. Reads only; nothing is stored.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from culture.circles.selectors import RULES
from culture.circles.siting.plan import SitingQuestion, codes_from_text, system_siting_plan
from culture.core.errors import FieldErrors, ServiceError


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


class Command(BaseCommand):
    help = "Where new venues and spaces should go: fewest to 100 %, or the best K (JSON or text)."

    def add_arguments(self, parser):
        parser.add_argument("--budget", type=int, default=None, help="K new facilities")
        parser.add_argument("--format", choices=("json", "text"), default="text")
        parser.add_argument("--fix", action="append", default=[], help="candidate code(s)")
        parser.add_argument("--exclude", action="append", default=[], help="candidate code(s)")
        parser.add_argument("--radius", type=float, default=None, help="metres (default: setting)")
        parser.add_argument("--unit", default=None, help="a subdistrict or community code")
        parser.add_argument("--rule", choices=sorted(RULES), default="culture_circle")
        parser.add_argument("--time-limit", type=float, default=None, help="seconds")

    def handle(self, *args, **options):
        question = SitingQuestion(
            budget=options["budget"],
            fixed=codes_from_text(" ".join(options["fix"])),
            excluded=codes_from_text(" ".join(options["exclude"])),
            radius_m=options["radius"],
            unit=options["unit"],
            rule=options["rule"],
            time_limit_s=options["time_limit"],
        )
        try:
            data = system_siting_plan(question=question)
        except FieldErrors as exc:
            raise CommandError(
                "; ".join(f"{k}: {m}" for k, v in exc.errors.items() for m in v)
            ) from None
        except ServiceError as exc:
            raise CommandError(str(exc.message)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        s, b, a = data["solver"], data["before"], data["after"]
        what = "fewest to 100 %" if data["budget"] is None else f"best {data['budget']}"
        self.stdout.write(
            f"{data['rule_label']} · R = {data['radius_m']:g} m · {what} · "
            f"candidates: {data['candidates']['count']} ({data['candidates']['source']})\n"
            f"solver: {s['method']}, optimal={s['optimal']}, gap={s['gap']}, "
            f"{s['seconds']} s (limit {s['time_limit_s']} s)\n"
            f"residents covered: {_pct(b['share_population'])} -> {_pct(a['share_population'])} "
            f"(+{data['residents_added']}); unreachable homes: {data['unreachable']['points']} "
            f"({data['unreachable']['population']} residents)"
        )
        for site in data["sites"]:
            self.stdout.write(
                f"  {site['order']:>3}. {site['code']} {site['community_name']} "
                f"({site['lon']}, {site['lat']}): {site['must_be']}, "
                f"+{site['residents_added']} residents{' [fixed]' if site['fixed'] else ''}"
            )
