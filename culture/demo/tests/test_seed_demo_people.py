"""seed_demo hands over to culture.demo.seed_people after the org tree exists."""

from __future__ import annotations

import io
import random

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from culture.accounts.models import User
from culture.core.scope import viewer_scope
from culture.demo import services
from culture.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from culture.org.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_seed_people_is_called_once_with_a_seeded_rng_after_the_tree(monkeypatch):
    calls = []

    def fake_seed_people(*, rng, stdout):
        calls.append((rng.random(), OrgUnit.objects.filter(level="community").count()))

    monkeypatch.setattr(services, "_seed_people_function", lambda: fake_seed_people)
    call_command("seed_demo", "--seed", "42", stdout=io.StringIO())
    call_command("seed_demo", "--seed", "42", stdout=io.StringIO())  # already built: not again
    assert len(calls) == 1
    value, communities = calls[0]
    assert communities >= 180  # the tree exists before the people are made
    assert value == random.Random("42:people").random()  # deterministic, from the seed


def test_full_build_creates_the_demo_logins_one_per_role():
    call_command("seed_demo", "--seed", "42", stdout=io.StringIO())
    for login in DEMO_LOGINS:  # the resident signs in with a phone number
        request = RequestFactory().post("/accounts/login/")
        user = authenticate(request, username=login["username"], password=DEMO_PASSWORD)
        assert user is not None, login
    hushu = User.objects.get(username="hushu")
    assert viewer_scope(hushu).read_paths == (OrgUnit.objects.get(name_zh="湖墅街道").path,)
