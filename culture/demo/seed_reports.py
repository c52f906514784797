"""Synthetic reported figures (统计填报) for what the platform keeps no records of: library stock
(the library's own system), volunteers (the provincial volunteer platform), spending, the
satisfaction survey and third-party evaluation, the published catalogue and annual reports.

Submitted by a demo statistics clerk (a second district officer) and approved by the demo district
officer through the reporting services, as a real district would, so the cockpit is complete from
the first day. Last year is reported in full; the current year only what is known mid-year (stock,
volunteers, spending so far, the volunteer structure); the survey and evaluation of the current
year are not done yet and stay "no data". Every number is drawn from the seeded generator.
"""

from __future__ import annotations

import random
from typing import Any

from django.utils import timezone

from culture.accounts.models import User
from culture.accounts.services.users import user_upsert
from culture.core.roles import Role
from culture.demo.logins import DEMO_PASSWORD
from culture.org.models import OrgLevel, OrgUnit
from culture.standards.models import ReportedFigure, ReportStatus
from culture.standards.services.reporting import reported_figure_review, reported_figure_submit


def _figures(rng: random.Random, year: int, full_year: bool) -> list[tuple[str, str, OrgUnit, Any]]:
    district = OrgUnit.objects.get(level=OrgLevel.DISTRICT)
    subdistricts = list(OrgUnit.objects.filter(level=OrgLevel.SUBDISTRICT).order_by("code"))
    communities = list(OrgUnit.objects.filter(level=OrgLevel.COMMUNITY).order_by("code"))
    share = 1.0 if full_year else timezone.localdate().timetuple().tm_yday / 365
    out: list[tuple[str, str, OrgUnit, Any]] = []
    stock = int(district.population * rng.uniform(1.35, 1.75))
    out.append(("S17", "stock", district, stock))
    out.append(
        ("S17", "new_stock", district, int(district.population * rng.uniform(0.05, 0.1) * share))
    )
    volunteers = 0
    for s in subdistricts:
        n = int(s.population * rng.uniform(2.2, 4.6) / 1000)
        volunteers += n
        out.append(("S44", "volunteers", s, n))
        spending = s.population * rng.uniform(14, 32) * share
        out.append(("T16", "activity_spending", s, round(spending)))
        out.append(("T16", "book_spending", s, round(spending * rng.uniform(0.06, 0.16))))
        out.append(("T15", "value", s, 1 if rng.random() < 0.9 else 0))
        if full_year:
            out.append(("S52", "value", s, round(rng.uniform(0.8, 0.96), 3)))
    out.append(("S44", "volunteers", district, volunteers))
    out.append(("T15", "value", district, 1))
    for c in communities:
        out.append(("T15", "value", c, 1 if rng.random() < 0.75 else 0))
    if full_year:
        out += [
            ("S52", "value", district, round(rng.uniform(0.84, 0.93), 3)),
            ("T18", "evaluation_done", district, 1),
            ("T18", "survey_done", district, 1),
            ("S53", "value", district, 1),
            ("S50", "value", district, 1 if rng.random() < 0.8 else 0),
            ("S51", "library_report", district, 1),
            ("S51", "culture_centre_report", district, 1),
            ("S51", "museum_report", district, 1 if rng.random() < 0.7 else 0),
        ]
    return out


def seed_reports(*, rng: random.Random, stdout: Any = None) -> None:
    district = OrgUnit.objects.get(level=OrgLevel.DISTRICT)
    clerk, _s = user_upsert(
        actor=None,
        username="stats",
        display_name="区统计填报演示员",
        password=DEMO_PASSWORD,
        roles=[(Role.DISTRICT_OFFICER, district)],
    )
    officer = User.objects.get(username="district")  # the demo district officer (seed_people)
    this_year = timezone.localdate().year
    n = 0
    for year, full in ((this_year - 1, True), (this_year, False)):
        for indicator_id, key, unit, value in _figures(rng, year, full):
            reported_figure_submit(
                actor=clerk,
                indicator_id=indicator_id,
                field_key=key,
                org_unit=unit,
                year=year,
                value=value,
                note="合成演示数据",
            )
            n += 1
    for figure in ReportedFigure.objects.filter(status=ReportStatus.SUBMITTED).order_by("pk"):
        reported_figure_review(actor=officer, figure=figure, approve=True)
    if stdout is not None:
        stdout.write(f"  {n} reported figures (submitted by 'stats', approved by 'district')\n")
