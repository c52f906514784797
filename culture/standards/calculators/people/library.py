"""S17 (附件 17) from the library system's copies: total stock per resident >= 1.5 and the
year's new stock per resident >= 0.08 (both needed).

- stock: copies whose home branch is a library of the main/branch system (the district library,
  its branches, reading rooms and city bookrooms: ``LIBRARY_KINDS``), not lost or withdrawn,
  acquired by 31 December of the year (a copy without an acquisition date counts as held);
- new stock: copies acquired within the year (whatever their status now: a copy bought and
  lost in the year was still bought);
- population: the district's residents, as for the reported figures
  (``reported.stock_per_resident``), so a computed and a reported value compare one to one.

Only from the year the named definition ``library_stock_complete_from`` gives (the first year
the platform's copies are the whole stock; 0, the default, means not yet): a catalogue imported
in part would count the stock too low, so before that year the reported figures are used.

One aggregate query whatever the number of copies. No copy in the year's stock and none
acquired in it: ``{}`` (the reported figures are used).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from culture.library.models import Copy, CopyStatus
from culture.org.models import OrgLevel
from culture.standards.calculators import Context, Measure
from culture.standards.calculators.people.reported import stock_per_resident
from culture.venues.models import LIBRARY_KINDS

GONE = (CopyStatus.LOST, CopyStatus.WITHDRAWN)


def _counts(ctx: Context) -> dict[str, int]:
    start, end = date(ctx.year, 1, 1), date(ctx.year, 12, 31)
    held = ~Q(status__in=GONE) & (Q(acquired_on__lte=end) | Q(acquired_on__isnull=True))
    return Copy.objects.filter(home_branch__kind__in=LIBRARY_KINDS).aggregate(
        stock=Count("pk", filter=held),
        new_stock=Count("pk", filter=Q(acquired_on__gte=start, acquired_on__lte=end)),
        undated=Count("pk", filter=held & Q(acquired_on__isnull=True)),
    )


def library_stock(ctx: Context, level: str) -> dict[int, Measure]:
    """S17, district: stock and new stock per resident from the copies (see the module)."""
    if level != OrgLevel.DISTRICT:
        return {}
    complete_from = int(ctx.definitions.get("library_stock_complete_from") or 0)
    if not complete_from or ctx.year < complete_from:
        return {}
    counts = ctx.cached("library_stock", lambda: _counts(ctx))
    stock, new_stock = int(counts["stock"] or 0), int(counts["new_stock"] or 0)
    if not stock and not new_stock:
        return {}
    parts = {"stock": stock, "new_stock": new_stock, "undated": int(counts["undated"] or 0)}
    out: dict[int, Measure] = {}
    for unit in ctx.units(level):
        measure = stock_per_resident({"stock": stock, "new_stock": new_stock}, unit)
        if measure is None:  # no population recorded: no per-resident figure
            out[unit.id] = Measure(None, parts=dict(parts))
            continue
        measure.parts = {**parts, **measure.parts}
        out[unit.id] = measure
    return out
