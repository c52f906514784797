"""``seed_demo --scale N``: ``N - 1`` extra copies of the teams and activities after the base
build, for benchmarks (scale 1 makes about 7,200 activity rows; ``--scale 700`` about 5 million).

The venues are not copied: they are the district's facilities, and a busier district holds more
activities in the same places (copying them would also defeat the per-venue activity summaries:
at scale 700 with 700 times the spaces, 5 million activities made 4.2 million month rows).

The base build (org tree, people, the registry at scale 1, all through the services) is one
transaction. The copies follow it, one transaction per copy, and each copy records itself in
``DemoDataset.copies_done`` inside its own transaction, so the database never holds half a copy.
A progress line is printed per copy. A build that stops (killed, disk full) resumes where it
stopped when ``seed_demo`` runs again with the same seed and scale; ``--reset`` starts afresh.

Copy ``n`` is drawn from generators seeded by (seed, n) only, over the same units and venues, so
a resumed build equals an uninterrupted one. The copies are bulk-inserted (the documented
exception to "writes through services", see ``seed_teams`` and ``seed_activities``); one audit
entry records the whole scaled load.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Collection

from django.db import transaction

from culture.core.audit import audit_record
from culture.demo.models import DemoDataset
from culture.demo.seed_activities import activity_copy, base_seed, units_and_venues
from culture.demo.seed_teams import team_copy
from culture.venues.models import Venue

STEP_NAMES = ("teams", "activities")


def _team_venues() -> dict[int, list[int]]:
    """Per community pk, the pks of the venues standing in it."""
    out: dict[int, list[int]] = {}
    rows = Venue.objects.filter(location_community__isnull=False).order_by("pk")
    for pk, community_id in rows.values_list("pk", "location_community_id"):
        out.setdefault(community_id, []).append(pk)
    return out


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def demo_scale_up(
    *, dataset: DemoDataset, names: Collection[str], say: Callable[[str], None]
) -> dict[str, int]:
    """Build the copies of ``dataset`` not yet built, for the registry steps in ``names`` (those
    the base build ran). Returns the rows inserted per step by this call."""
    totals = {name: 0 for name in STEP_NAMES if name in names}
    last = dataset.scale - 1
    if dataset.copies_done >= last:
        return totals
    if not totals:  # no registry (the org-tree-only builds of the tests): nothing to copy
        DemoDataset.objects.filter(pk=dataset.pk).update(copies_done=last)
        dataset.copies_done = last
        return totals
    first = dataset.copies_done + 1
    say(f"Scaling up: copies {first}-{last} of the registry (one transaction per copy) ...")
    units, activity_venues = units_and_venues()
    team_venues = _team_venues()
    activities_seed = base_seed(random.Random(f"{dataset.seed}:activities"))
    started = time.monotonic()
    for copy in range(first, last + 1):
        with transaction.atomic():
            counts: dict[str, int] = {}
            if "teams" in totals:
                counts["teams"] = team_copy(
                    seed=dataset.seed, copy=copy, venues_by_community=team_venues
                )
            if "activities" in totals:
                counts["activities"] = activity_copy(
                    base_seed=activities_seed, copy=copy, units_venues=(units, activity_venues)
                )
            DemoDataset.objects.filter(pk=dataset.pk).update(copies_done=copy)
        dataset.copies_done = copy
        for name, n in counts.items():
            totals[name] += n
        elapsed = time.monotonic() - started
        rows = sum(totals.values())
        done = copy - first + 1
        left = elapsed / done * (last - copy)
        say(
            f"  copy {copy}/{last}: "
            + ", ".join(f"{n:,} {name}" for name, n in counts.items())
            + f" | {rows:,} rows in {_duration(elapsed)} ({rows / max(elapsed, 1e-9):,.0f} rows/s)"
            + (f", about {_duration(left)} left" if copy < last else "")
        )
    audit_record(
        actor="system",
        action="demo.dataset_scaled",
        target=dataset,
        after={"scale": dataset.scale, "copies": f"{first}-{last}", **totals},
    )
    return totals
