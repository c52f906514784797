import pytest

from culture.demo import services


@pytest.fixture
def without_people(monkeypatch):
    """Build the org tree only (the people are the accounts engineer's seed_people, tested
    there and in test_seed_demo_people)."""
    monkeypatch.setattr(services, "_seed_people_function", lambda: None)
