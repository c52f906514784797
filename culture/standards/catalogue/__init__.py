"""The catalogue: every target of the policy as one declaration (product.md, T01-T18, S01-S53).

Declarations live by data domain, each next to nothing but data; the calculators they name live
in ``culture.standards.calculators``. ``CATALOGUE`` is ordered T01..T18 then S01..S53.
"""

from __future__ import annotations

from culture.standards.catalogue import activities, people, venues
from culture.standards.catalogue.types import Indicator


def _order(indicator_id: str) -> tuple[int, int]:
    return (0 if indicator_id.startswith("T") else 1, int(indicator_id[1:]))


def _collect() -> dict[str, Indicator]:
    found: dict[str, Indicator] = {}
    for module in (activities, venues, people):
        for indicator in module.INDICATORS:
            if indicator.id in found:
                raise ValueError(f"indicator {indicator.id} declared twice")
            found[indicator.id] = indicator
    return {k: found[k] for k in sorted(found, key=_order)}


CATALOGUE: dict[str, Indicator] = _collect()


def get_indicator(indicator_id: str) -> Indicator | None:
    return CATALOGUE.get(indicator_id.upper())
