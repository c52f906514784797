"""A subdistrict's population is the sum of its communities; the district's the sum of its subdistricts."""

import pytest

from culture.core.errors import FieldErrors
from culture.core.models import AuditEntry
from culture.org.models import OrgUnit
from culture.org.services import org_unit_update


def pop(unit):
    return OrgUnit.objects.get(pk=unit.pk).population


@pytest.mark.django_db
def test_creating_communities_rolls_population_up(tree):
    # tree: s1 has communities of 8,000 and 7,000; s2 of 6,000 and 5,000.
    assert pop(tree["s1"]) == 15000
    assert pop(tree["s2"]) == 11000
    assert pop(tree["district"]) == 26000


@pytest.mark.django_db
def test_a_community_worker_changing_population_updates_subdistrict_and_district(tree, users):
    org_unit_update(actor=users["community"], unit=tree["c11"], population=8500)
    assert pop(tree["s1"]) == 15500
    assert pop(tree["district"]) == 26500
    entry = AuditEntry.objects.filter(action="org.unit_updated").first()
    assert entry.after["rolled_up_population"] == {tree["s1"].code: 15500, "330105": 26500}


@pytest.mark.django_db
def test_a_parents_population_cannot_be_set_by_hand(tree, users):
    with pytest.raises(FieldErrors) as exc:
        org_unit_update(actor=users["district"], unit=tree["s1"], population=99999)
    assert "汇总" in str(exc.value.errors["population"][0])
    assert pop(tree["s1"]) == 15000
    # the same value is not a change and passes
    org_unit_update(actor=users["district"], unit=tree["s1"], population=15000, name_en="Hushu")
