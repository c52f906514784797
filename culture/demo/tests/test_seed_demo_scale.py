"""seed_demo --scale N: the extra copies of the teams and activities, one transaction per copy,
resumable; the venues stay the district's."""

from __future__ import annotations

import io
import random

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from culture.activities.models import Activity, ActivityMonthSummary
from culture.activities.services import kind_field_errors
from culture.core.models import AuditEntry
from culture.demo import scale, services
from culture.demo.models import DemoDataset
from culture.demo.seed_venues import seed_venues
from culture.teams.models import CulturalTeam
from culture.teams.services import team_upsert
from culture.venues.models import Venue

pytestmark = pytest.mark.django_db

ALL = ("teams", "activities")
EXTRA_FIELDS = ("film_release_date", "film_domestic", "sessions", "books_count", "branch_system")


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def district(without_people):
    """The synthetic org tree and its venues (through the services); the copies are tested on
    them (the base teams and activities through the services are the full-build test's)."""
    seed("--seed", "42")
    seed_venues(rng=random.Random("42:venues"), stdout=io.StringIO())
    return DemoDataset.objects.get()


def _scaled(dataset: DemoDataset, n: int) -> DemoDataset:
    DemoDataset.objects.filter(pk=dataset.pk).update(scale=n, copies_done=0)
    dataset.refresh_from_db()
    return dataset


def _digest() -> list[tuple]:
    """What the copies hold, by codes (primary keys differ between builds)."""
    return [
        *CulturalTeam.objects.order_by("code").values_list(
            "code", "name", "rehearsal_venue__code", "members_count"
        ),
        *Activity.objects.order_by("external_id").values_list(
            "external_id", "title", "venue__code", "start_at", "attendance"
        ),
    ]


def _fail_on_copy(monkeypatch, n: int):
    """Make copy ``n`` fail half-way (after its teams); returns the real step."""
    real = scale.activity_copy

    def activity_copy(**kwargs):
        if kwargs["copy"] == n:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(scale, "activity_copy", activity_copy)
    return real


def test_a_stopped_build_keeps_whole_copies_and_resumes_to_the_same_rows(district, monkeypatch):
    dataset = _scaled(district, 4)
    venues = Venue.objects.count()
    lines: list[str] = []
    real = _fail_on_copy(monkeypatch, 2)
    with pytest.raises(RuntimeError):
        scale.demo_scale_up(dataset=dataset, names=ALL, say=lines.append)
    dataset.refresh_from_db()
    assert dataset.copies_done == 1
    # copy 1 whole, nothing of copy 2 (its teams were rolled back with it)
    assert CulturalTeam.objects.exclude(code__contains="-x1-").count() == 0
    assert Activity.objects.exclude(external_id__contains="-x1-").count() == 0
    assert CulturalTeam.objects.exists() and Activity.objects.exists()
    assert [line.split(":")[0] for line in lines if line.startswith("  copy")] == ["  copy 1/3"]

    monkeypatch.setattr(scale, "activity_copy", real)
    lines.clear()
    scale.demo_scale_up(dataset=dataset, names=ALL, say=lines.append)
    dataset.refresh_from_db()
    assert dataset.copies_done == 3 and dataset.complete
    progress = [line.split(":")[0] for line in lines if line.startswith("  copy")]
    assert progress == ["  copy 2/3", "  copy 3/3"]
    assert Activity.objects.filter(external_id__contains="-x3-").exists()
    assert Venue.objects.count() == venues  # the district's venues, not copied
    resumed = _digest()
    entry = AuditEntry.objects.get(action="demo.dataset_scaled")
    assert entry.after["copies"] == "2-3"

    # the same copies built in one go give the same rows
    Activity.objects.all().delete()
    CulturalTeam.objects.all().delete()
    dataset = _scaled(dataset, 4)
    scale.demo_scale_up(dataset=dataset, names=ALL, say=lambda _line: None)
    assert _digest() == resumed


def test_copied_rows_satisfy_the_services_rules(district):
    dataset = _scaled(district, 2)
    scale.demo_scale_up(dataset=dataset, names=ALL, say=lambda _line: None)
    assert CulturalTeam.objects.filter(rehearsal_venue__isnull=False).exists()
    for team in CulturalTeam.objects.order_by("code")[::40]:
        _team, status = team_upsert(
            actor=None,
            code=team.code,
            name=team.name,
            kind=team.kind,
            org_unit=team.org_unit,
            members_count=team.members_count,
            leader_name=team.leader_name,
            rehearsal_venue=team.rehearsal_venue,
            rehearsal_place=team.rehearsal_place,
            founded_on=team.founded_on,
            is_active=team.is_active,
            last_active_on=team.last_active_on,
            members=team.members,
        )
        assert status == "unchanged", team.code
    # activities: held in a venue of their organiser's area when not online
    assert Activity.objects.filter(venue__isnull=False).exists()
    for a in Activity.objects.select_related("organiser", "venue")[::50]:
        assert a.end_at > a.start_at
        assert a.organiser_path == a.organiser.path
        values = {f: getattr(a, f) for f in EXTRA_FIELDS}
        assert kind_field_errors(a.kind, values, check_required=True) == {}
        if a.venue is not None:
            assert a.organiser_id in (a.venue.operator_unit_id, a.venue.location_community_id)


def test_seed_demo_refuses_another_scale_then_finishes_and_resets(monkeypatch):
    # people and base registry replaced by no-ops: the copies alone, through the command
    monkeypatch.setattr(services, "_seed_people_function", lambda: lambda **kw: None)
    steps = tuple((name, lambda **kw: None) for name in ALL)
    monkeypatch.setattr(services, "_registry_steps", lambda: steps)
    real = _fail_on_copy(monkeypatch, 2)
    with pytest.raises(RuntimeError):
        seed("--seed", "42", "--scale", "3")
    assert DemoDataset.objects.get().copies_done == 1
    with pytest.raises(CommandError, match="--scale 3"):
        seed("--seed", "42")

    monkeypatch.setattr(scale, "activity_copy", real)
    out = seed("--seed", "42", "--scale", "3")
    assert "Resuming: 1 of 2 copies were built." in out
    assert "copy 2/2" in out and "copy 1/2" not in out
    assert "Demo data set finished (seed 42, scale 3)" in out
    assert "already built" in seed("--seed", "42", "--scale", "3")
    n = Activity.objects.count()
    assert n > 10_000
    # the copies bypassed the activity services: the summaries were rebuilt once at the end
    assert "Recomputing the activity summaries" in out
    summed = ActivityMonthSummary.objects.aggregate(n=Sum("activities"))["n"]
    assert summed == Activity.objects.filter(cancelled=False).count() == n

    monkeypatch.setattr(services, "RESET_CHUNK", 1000)
    out = io.StringIO()
    counts = services.demo_dataset_reset(stdout=out)
    assert counts["activities.Activity"] == n
    assert not Activity.objects.exists() and not CulturalTeam.objects.exists()
    assert not DemoDataset.objects.exists()
    assert "activities.Activity: " in out.getvalue()  # progress while deleting in chunks
