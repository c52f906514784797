"""The demo generator: plausible volumes, uneven 三团三社, some shortfalls, re-run unchanged."""

from __future__ import annotations

import io
import random

import pytest

from culture.demo import services
from culture.demo.seed_teams import seed_teams
from culture.org.models import OrgLevel, OrgUnit, ResidentialDevelopment
from culture.org.selectors_developments import fitness_standard_q
from culture.teams.models import CORE_KINDS, CulturalOrganisation, CulturalTeam, CultureTalent

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_tree(monkeypatch):
    monkeypatch.setattr(services, "_seed_people_function", lambda: None)
    services.demo_dataset_build(seed=42)


def test_seed_teams_builds_a_plausible_uneven_registry(demo_tree):
    out = io.StringIO()
    seed_teams(rng=random.Random("42:teams"), stdout=out)
    n_teams = CulturalTeam.objects.count()
    # Policy target (2.4.1) is >= 800; the generator aims at about one team per 1,450 residents.
    assert 700 <= n_teams <= 1000, n_teams
    assert f"done: {n_teams} teams" in out.getvalue()
    lacking = 0
    for sub in OrgUnit.objects.filter(level=OrgLevel.SUBDISTRICT):
        kinds = set(
            CulturalTeam.objects.filter(
                org_unit__path__startswith=sub.path, kind__in=CORE_KINDS
            ).values_list("kind", flat=True)
        )
        lacking += len(kinds) < 6
    assert 0 < lacking < 18
    developments = ResidentialDevelopment.objects.all()
    assert developments.count() == 40
    assert 0 < developments.exclude(fitness_standard_q()).count() < 40
    short_of_talents = (
        OrgUnit.objects.filter(level=OrgLevel.COMMUNITY)
        .exclude(pk__in=CultureTalent.objects.values("community"))
        .count()
    )
    assert short_of_talents > 0
    assert CulturalOrganisation.objects.filter(kind="workers_palace").count() == 1
    masked = CulturalOrganisation.objects.exclude(phone_masked="").first()
    assert masked is not None and "****" in masked.phone_masked


def test_a_second_run_changes_nothing(demo_tree):
    seed_teams(rng=random.Random("42:teams"), stdout=None)
    before = list(CulturalTeam.objects.order_by("code").values_list("code", "name", "updated_at"))
    seed_teams(rng=random.Random("42:teams"), stdout=None)
    after = list(CulturalTeam.objects.order_by("code").values_list("code", "name", "updated_at"))
    assert before == after
