"""Selectors: every read goes through the viewer's scope."""

from __future__ import annotations

import pytest

from culture.accounts import selectors
from culture.accounts.tests.helpers import make_residents, make_staff
from culture.core.errors import NotFound, OutOfScope


def numbers(qs) -> set[str]:
    return {s.staff_number for s in qs}


def test_staff_list_follows_the_org_tree(users, tree):
    (c11,) = make_staff(1, tree["c11"])
    (s1,) = make_staff(1, tree["s1"])
    (c21,) = make_staff(1, tree["c21"])
    (d,) = make_staff(1, tree["district"])
    assert numbers(selectors.staff_list(viewer=users["community"])) == {c11.staff_number}
    assert numbers(selectors.staff_list(viewer=users["subdistrict"])) == {
        c11.staff_number,
        s1.staff_number,
    }
    everything = {c11.staff_number, s1.staff_number, c21.staff_number, d.staff_number}
    assert numbers(selectors.staff_list(viewer=users["district"])) == everything
    assert numbers(selectors.staff_list(viewer=users["evaluator"])) == everything
    # a filter cannot widen the scope
    assert (
        numbers(selectors.staff_list(viewer=users["community"], filters={"unit": tree["s2"].code}))
        == set()
    )


def test_staff_get_checks_scope(users, tree):
    (other,) = make_staff(1, tree["c21"])
    with pytest.raises(OutOfScope):
        selectors.staff_get(viewer=users["community"], pk=other.pk)
    with pytest.raises(NotFound):
        selectors.staff_get(viewer=users["district"], pk="abc")
    assert selectors.staff_get(viewer=users["district"], pk=other.pk) == other


def test_residents_for_district_officers_and_evaluators_only(users, tree):
    make_residents(2, community=tree["c11"])
    assert selectors.resident_list(viewer=users["district"]).count() == 2
    assert selectors.resident_list(viewer=users["evaluator"]).count() == 2
    for who in ("subdistrict", "community"):
        with pytest.raises(OutOfScope):
            selectors.resident_list(viewer=users[who])


def test_resident_search_by_full_number_and_name(users, tree):
    first, second = make_residents(2, community=tree["c11"])
    assert list(
        selectors.resident_list(viewer=users["district"], filters={"q": "13600000001"})
    ) == [second]
    assert list(selectors.resident_list(viewer=users["district"], filters={"q": "居民0"})) == [
        first
    ]
    # evaluators see names masked, so they may not probe them by name
    with pytest.raises(OutOfScope):
        list(selectors.resident_list(viewer=users["evaluator"], filters={"q": "居民0"}))


def test_resident_names_masked_for_evaluators():
    assert selectors.mask_name("张三") == "张*"
    assert selectors.mask_name("欧阳娜娜") == "欧***"
    assert selectors.mask_name("李") == "李*"


def test_user_list_excludes_residents_and_needs_a_district_role(users, tree):
    make_residents(1)
    names = {u.username for u in selectors.user_list(viewer=users["district"])}
    assert names == {u.username for u in users.values()}
    with pytest.raises(OutOfScope):
        selectors.user_list(viewer=users["subdistrict"])
