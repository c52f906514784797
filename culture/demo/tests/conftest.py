import pytest

from culture.demo import services


@pytest.fixture(autouse=True)
def without_registry(request, monkeypatch):
    """Most demo tests build the org tree and people only; the registry steps (venues, teams,
    activities: about a minute) are tested by their apps and by the one ``full_demo`` test."""
    if "full_demo" not in request.keywords:
        monkeypatch.setattr(services, "_registry_steps", lambda: ())


@pytest.fixture
def without_people(monkeypatch):
    """Build the org tree only (the people are the accounts engineer's seed_people, tested
    there and in test_seed_demo_people)."""
    monkeypatch.setattr(services, "_seed_people_function", lambda: None)
