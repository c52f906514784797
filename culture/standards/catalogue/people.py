"""Indicators computed mainly from the people records (declarations only)."""

from __future__ import annotations

from culture.standards.catalogue.types import Indicator

INDICATORS: tuple[Indicator, ...] = ()
