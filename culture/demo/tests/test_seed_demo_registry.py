"""The whole demo build: org tree, people and the registry, then a reset that removes it all."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from culture.activities.models import Activity
from culture.org.models import OrgUnit
from culture.teams.models import CulturalTeam
from culture.venues.models import Venue, VenueKind

pytestmark = [pytest.mark.django_db, pytest.mark.full_demo]


def test_full_build_fills_the_registry_and_reset_empties_it():
    call_command("seed_demo", "--seed", "42", stdout=io.StringIO())
    subdistricts = OrgUnit.objects.filter(level="subdistrict").count()
    assert subdistricts == 18
    # one culture station per subdistrict, standing in it
    stations = Venue.objects.filter(kind=VenueKind.CULTURE_STATION)
    assert stations.count() == 18
    assert (
        stations.values("location_community__parent").annotate(n=Count("id")).filter(n=1).count()
        == 18
    )
    assert CulturalTeam.objects.count() > 300
    assert Activity.objects.count() > 1000
    assert Activity.objects.values("organiser__parent").distinct().count() > 10

    call_command("seed_demo", "--seed", "42", "--reset", stdout=io.StringIO())
    # rebuilt from scratch with the same seed: same numbers again
    assert Venue.objects.filter(kind=VenueKind.CULTURE_STATION).count() == 18
