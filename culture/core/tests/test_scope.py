"""The scope mechanism: who sees and who may change which org units."""

import pytest

from culture.core.errors import OutOfScope
from culture.core.scope import viewer_scope
from culture.org.models import OrgUnit


@pytest.mark.django_db
def test_subdistrict_officer_sees_own_subdistrict_and_its_communities_only(tree, users):
    scope = viewer_scope(users["subdistrict"])
    seen = set(scope.filter(OrgUnit.objects.all(), "path").values_list("code", flat=True))
    assert seen == {tree["s1"].code, tree["c11"].code, tree["c12"].code}


@pytest.mark.django_db
def test_community_worker_sees_own_community_only(tree, users):
    scope = viewer_scope(users["community"])
    seen = list(scope.filter(OrgUnit.objects.all(), "path").values_list("code", flat=True))
    assert seen == [tree["c11"].code]
    with pytest.raises(OutOfScope):
        scope.require_write(tree["c12"].path)
    scope.require_write(tree["c11"].path)  # in scope: no error


@pytest.mark.django_db
def test_evaluator_sees_everything_and_writes_nothing(tree, users):
    scope = viewer_scope(users["evaluator"])
    assert scope.filter(OrgUnit.objects.all(), "path").count() == 7
    assert scope.is_read_only
    with pytest.raises(OutOfScope):
        scope.require_write(tree["c11"].path)


@pytest.mark.django_db
def test_district_officer_writes_everywhere_but_reveals_only_with_the_permission(tree, users):
    scope = viewer_scope(users["district"])
    scope.require_write(tree["c22"].path)
    assert scope.can_reveal is False
