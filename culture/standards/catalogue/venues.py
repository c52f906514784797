"""Indicators computed mainly from the venues records (declarations only)."""

from __future__ import annotations

from culture.standards.catalogue.types import Indicator

INDICATORS: tuple[Indicator, ...] = ()
