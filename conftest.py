"""Shared pytest fixtures: the org tree and one user per role."""

import pytest

from culture.accounts.tests.factories import PASSWORD, staff_user
from culture.core.roles import Role
from culture.org.tests.factories import community, district, subdistrict

pytest_plugins = ["culture.core.tests.browser_fixtures"]


@pytest.fixture
def tree(db):
    """Two subdistricts with two communities each, under the district."""
    d = district()
    s1 = subdistrict(name_zh="湖墅街道", population=90000)
    s2 = subdistrict(name_zh="武林街道", population=70000)
    c11 = community(parent=s1, population=8000)
    c12 = community(parent=s1, population=7000)
    c21 = community(parent=s2, population=6000)
    c22 = community(parent=s2, population=5000)
    return {"district": d, "s1": s1, "s2": s2, "c11": c11, "c12": c12, "c21": c21, "c22": c22}


@pytest.fixture
def users(tree):
    return {
        "district": staff_user(Role.DISTRICT_OFFICER),
        "evaluator": staff_user(Role.EVALUATOR),
        "subdistrict": staff_user(Role.SUBDISTRICT_OFFICER, tree["s1"]),
        "community": staff_user(Role.COMMUNITY_WORKER, tree["c11"]),
    }


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD
