"""Indicators computed mainly from the people records and from reported figures (declarations
only): places (circles, stewards, fitness, developments), staff and teams, and governance
(funding, stock, evaluation, attested items)."""

from __future__ import annotations

from culture.standards.catalogue.people import governance, places, staff_teams
from culture.standards.catalogue.types import Indicator

INDICATORS: tuple[Indicator, ...] = (
    *places.INDICATORS,
    *staff_teams.INDICATORS,
    *governance.INDICATORS,
)
