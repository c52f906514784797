import pytest

from culture.accounts.tests.factories import staff_user
from culture.core.roles import Role
from culture.demo import services
from culture.org.models import OrgUnit


@pytest.fixture
def demo(db, monkeypatch):
    """The synthetic district of seed_demo --seed 42 (org tree only), and one user per role:
    the subdistrict officer of 湖墅街道 and a community worker of its first community."""
    monkeypatch.setattr(services, "_seed_people_function", lambda: None)
    services.demo_dataset_build(seed=42)
    hushu = OrgUnit.objects.get(name_zh="湖墅街道")
    first, second = OrgUnit.objects.filter(parent=hushu).order_by("code")[:2]
    return {
        "hushu": hushu,
        "community": first,
        "neighbour": second,
        "wulin": OrgUnit.objects.get(name_zh="武林街道"),
        "district_user": staff_user(Role.DISTRICT_OFFICER),
        "evaluator": staff_user(Role.EVALUATOR),
        "subdistrict_user": staff_user(Role.SUBDISTRICT_OFFICER, hushu),
        "community_user": staff_user(Role.COMMUNITY_WORKER, first),
    }
