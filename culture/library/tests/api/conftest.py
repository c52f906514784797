"""Fixtures of the /api/library/ tests: a branch with its desk officer's client."""

from __future__ import annotations

import pytest

from culture.accounts.tests.factories import staff_user
from culture.core.roles import Role
from culture.library.tests.api.world import (
    client_of,
)
from culture.library.tests.factories import branch


@pytest.fixture
def desk(tree):
    """A branch run by s1 with its desk officer (the subdistrict officer of s1)."""
    here = branch(operator=tree["s1"], name="湖墅分馆")
    return here, client_of(staff_user(Role.SUBDISTRICT_OFFICER, tree["s1"]))
