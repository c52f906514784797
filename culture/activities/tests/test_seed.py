"""The demo activities (culture.demo.seed_activities) at tiny scale on the test tree."""

from __future__ import annotations

import io
import random

import pytest

from culture.activities.models import Activity
from culture.activities.selectors import activity_counts
from culture.activities.services import kind_field_errors
from culture.activities.tests.factories import venue
from culture.core.models import AuditEntry
from culture.demo import seed_activities as seed

pytestmark = pytest.mark.django_db


def _fields(a: Activity) -> dict:
    return {
        f: getattr(a, f)
        for f in ("film_release_date", "film_domestic", "sessions", "books_count", "branch_system")
    }


def test_base_volume_through_the_services_is_deterministic_and_rerunnable(tree, users):
    venue(tree["c11"], code="V-C11")
    out = io.StringIO()
    seed.seed_activities(rng=random.Random(7), stdout=out, scale=1)
    n = Activity.objects.count()
    years = sorted({a.start_at.year for a in Activity.objects.all()})
    assert len(years) == 2 and years[1] - years[0] == 1
    # every unit organises something in each year
    for year in years:
        per_unit = activity_counts(viewer=users["district"], year=year, level="community")
        assert set(per_unit) == {tree[k].code for k in ("c11", "c12", "c21", "c22")}
    assert AuditEntry.objects.filter(action="activities.activity_created").count() == n
    assert Activity.objects.filter(venue__code="V-C11").exists()
    assert f"created {n}," in out.getvalue()
    seed.seed_activities(rng=random.Random(7), stdout=io.StringIO(), scale=1)
    assert Activity.objects.count() == n  # same seed: nothing new
    assert AuditEntry.objects.filter(action="activities.activity_updated").count() == 0


def test_scale_bulk_inserts_in_batches_with_progress(tree, monkeypatch):
    seed.seed_activities(rng=random.Random(7), stdout=io.StringIO(), scale=1)
    base = Activity.objects.count()
    Activity.objects.all().delete()
    monkeypatch.setattr(seed, "BATCH_SIZE", 40)
    out = io.StringIO()
    seed.seed_activities(rng=random.Random(7), stdout=out, scale=3)
    total = Activity.objects.count()
    assert 2 * base < total < 4 * base
    progress = [line for line in out.getvalue().splitlines() if line.startswith("  bulk:")]
    assert len(progress) == -(-(total - base) // 40)  # one line per batch of 40
    entry = AuditEntry.objects.get(action="activities.demo_bulk_seeded")
    assert entry.after == {"rows": total - base, "copies": 2}
    for a in Activity.objects.filter(external_id__contains="-x"):
        assert a.end_at > a.start_at
        assert a.organiser_path == a.organiser.path
        assert kind_field_errors(a.kind, _fields(a), check_required=True) == {}
    # rerun: the external ids exist, nothing is added
    seed.seed_activities(rng=random.Random(7), stdout=io.StringIO(), scale=3)
    assert Activity.objects.count() == total
    assert seed.demo_activities_delete() == total
    assert not Activity.objects.exists()
