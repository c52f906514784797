"""Indicators computed mainly from the venue registry (declarations only): facilities that must
exist, rules on each venue's record, opening hours."""

from __future__ import annotations

from culture.standards.catalogue.types import Indicator
from culture.standards.catalogue.venues import facilities, opening, records

INDICATORS: tuple[Indicator, ...] = facilities.INDICATORS + records.INDICATORS + opening.INDICATORS
