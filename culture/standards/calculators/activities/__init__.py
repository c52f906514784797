"""Calculators over the activity records (see ``base`` for the shared helpers and readings).

- ``counts``: org-level counts (T01, T02, T10, T11, T12, T17, S13, S14, S29, S46, S49);
- ``venues``: by where activities were held (S27, and the venue-level S28, S30, S31);
- ``outreach``: standards of several requirements (S32, S45).
"""

from culture.standards.calculators.activities.base import (
    has_activity_records,
    kind_totals,
    kinds_recorded,
)

__all__ = ["has_activity_records", "kind_totals", "kinds_recorded"]
