"""Indicators computed mainly from the activity records (declarations only; the calculators
are in ``culture.standards.calculators.activities``).

- ``online``: T01, T02, S13, S14;
- ``programme``: T10, T11, T12, T17, S29;
- ``places``: S27, S28, S30, S31;
- ``outreach``: S32, S45, S46, S49.
"""

from __future__ import annotations

from culture.standards.catalogue.activities import online, outreach, places, programme
from culture.standards.catalogue.types import Indicator

INDICATORS: tuple[Indicator, ...] = (
    *online.INDICATORS,
    *programme.INDICATORS,
    *places.INDICATORS,
    *outreach.INDICATORS,
)
