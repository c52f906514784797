"""Coverage rules: "within R metres of home, at least N facilities of these kinds, and at least M
of those". The 15-minute culture circle (policy 2.2.3) is one; the 10-minute fitness circle of
S09 is another. Kinds and radii are named settings with documented defaults (settings
``CULTURE_CIRCLE_*``); only open venues count.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from culture.venues.models import (
    PUBLIC_CULTURE_VENUE_KINDS,
    PUBLIC_WELFARE_SPACE_KINDS,
    VenueKind,
)


@dataclass(frozen=True)
class Requirement:
    key: str  # "venue", "spaces", ...
    label: object  # what a home lacks when this fails, e.g. 公共文化场馆
    kinds: tuple[str, ...]
    at_least: int


@dataclass(frozen=True)
class CoverageRule:
    key: str
    label: object
    radius_m: float
    requirements: tuple[Requirement, ...]


def culture_circle(radius_m: float | None = None) -> CoverageRule:
    """Policy 2.2.3: within 1.5 km, >= 1 public culture venue and >= 2 public-welfare spaces."""
    return CoverageRule(
        key="culture_circle",
        label=_("15分钟品质文化生活圈"),
        radius_m=float(radius_m if radius_m is not None else settings.CULTURE_CIRCLE_RADIUS_M),
        requirements=(
            Requirement(
                "venue",
                _("公共文化场馆"),
                tuple(getattr(settings, "CULTURE_CIRCLE_VENUE_KINDS", PUBLIC_CULTURE_VENUE_KINDS)),
                1,
            ),
            Requirement(
                "spaces",
                _("公益性公共文化空间"),
                tuple(getattr(settings, "CULTURE_CIRCLE_SPACE_KINDS", PUBLIC_WELFARE_SPACE_KINDS)),
                2,
            ),
        ),
    )


def fitness_circle(radius_m: float | None = None) -> CoverageRule:
    """S09 / 2.4: the 10-minute fitness circle: a sports facility within reach (named setting,
    default 1,000 m: about 10 minutes on foot)."""
    return CoverageRule(
        key="fitness_circle",
        label=_("10分钟健身圈"),
        radius_m=float(
            radius_m if radius_m is not None else settings.CULTURE_FITNESS_CIRCLE_RADIUS_M
        ),
        requirements=(
            Requirement(
                "sports",
                _("体育健身设施"),
                (
                    VenueKind.SPORTS_CENTRE,
                    VenueKind.SPORTS_COURT,
                    VenueKind.SPORTS_GROUND,
                    VenueKind.PUBLIC_GYM,
                    VenueKind.GYM,
                ),
                1,
            ),
        ),
    )
