from __future__ import annotations

import pytest

from culture.activities.models import Activity
from culture.activities.services import (
    activity_cancel,
    activity_create,
    activity_update,
    activity_upsert,
)
from culture.activities.tests.factories import activity, local, venue
from culture.core.errors import FieldErrors, OutOfScope
from culture.core.models import AuditEntry
from culture.venues.models import VenueStatus

pytestmark = pytest.mark.django_db


def _base(tree, **over):
    data = {
        "title": "社区合唱展演",
        "kind": "performance",
        "organiser": tree["c11"],
        "start_at": local(2025, 3, 8, 14),
        "end_at": local(2025, 3, 8, 16),
        "attendance": 120,
    }
    data.update(over)
    return data


def test_community_worker_creates_in_own_community_and_it_is_audited(tree, users):
    a = activity_create(actor=users["community"], **_base(tree, for_elderly=True))
    assert a.organiser_path == tree["c11"].path
    assert a.target_groups == ["elderly"]
    entry = AuditEntry.objects.get(action="activities.activity_created")
    assert entry.target_id == str(a.pk)
    assert entry.org_path == tree["c11"].path
    assert entry.after["title"] == "社区合唱展演"


def test_organiser_outside_scope_is_refused(tree, users):
    with pytest.raises(OutOfScope):
        activity_create(actor=users["community"], **_base(tree, organiser=tree["c21"]))
    with pytest.raises(OutOfScope):
        activity_create(actor=users["subdistrict"], **_base(tree, organiser=tree["s2"]))
    with pytest.raises(OutOfScope):
        activity_create(actor=users["evaluator"], **_base(tree))
    assert Activity.objects.count() == 0


def test_subdistrict_officer_may_use_a_venue_run_by_another_unit(tree, users):
    district_venue = venue(tree["district"], name_zh="区文化馆")
    a = activity_create(actor=users["subdistrict"], **_base(tree, venue=district_venue))
    assert a.venue == district_venue


def test_closed_venue_is_refused(tree, users):
    closed = venue(tree["c11"], status=VenueStatus.CLOSED)
    with pytest.raises(FieldErrors) as exc:
        activity_create(actor=users["community"], **_base(tree, venue=closed))
    assert list(exc.value.errors) == ["venue"]


def test_end_before_start_is_a_field_error(tree, users):
    with pytest.raises(FieldErrors) as exc:
        activity_create(actor=users["community"], **_base(tree, end_at=local(2025, 3, 8, 13, 59)))
    assert exc.value.errors["end_at"] == ["结束时间不能早于开始时间"]


def test_kind_specific_fields_not_applicable_and_required(tree, users):
    with pytest.raises(FieldErrors) as exc:
        activity_create(actor=users["community"], **_base(tree, books_count=200))
    assert "不适用" in str(exc.value.errors["books_count"][0])
    with pytest.raises(FieldErrors) as exc:
        activity_create(actor=users["community"], **_base(tree, kind="books_to_grassroots"))
    assert list(exc.value.errors) == ["books_count"]
    with pytest.raises(FieldErrors) as exc:
        activity_create(actor=users["community"], **_base(tree, kind="film_screening"))
    assert set(exc.value.errors) == {"film_release_date", "film_domestic"}
    film = activity_create(
        actor=users["community"],
        **_base(
            tree,
            kind="film_screening",
            film_release_date=local(2024, 12, 1).date(),
            film_domestic=True,
        ),
    )
    assert film.film_domestic is True


def test_online_kinds_are_online(tree, users):
    a = activity_create(actor=users["community"], **_base(tree, kind="online_service", sessions=3))
    assert a.online is True
    with pytest.raises(FieldErrors) as exc:
        activity_create(
            actor=users["community"],
            **_base(tree, kind="online_service", sessions=3, online=False, title="另一场"),
        )
    assert list(exc.value.errors) == ["online"]


def test_duplicate_natural_key_and_external_id_are_refused(tree, users):
    activity_create(actor=users["community"], **_base(tree))
    with pytest.raises(FieldErrors) as exc:
        activity_create(actor=users["community"], **_base(tree))
    assert list(exc.value.errors) == ["title"]
    activity_create(actor=users["community"], **_base(tree, external_id="EXT-1", title="甲"))
    with pytest.raises(FieldErrors) as exc:
        activity_create(actor=users["community"], **_base(tree, external_id="EXT-1", title="乙"))
    assert list(exc.value.errors) == ["external_id"]


def test_update_checks_scope_of_current_and_new_organiser(tree, users):
    a = activity(tree["c11"])
    with pytest.raises(OutOfScope):
        activity_update(actor=users["community"], activity=a, organiser=tree["c12"])
    updated = activity_update(actor=users["subdistrict"], activity=a, organiser=tree["c12"])
    assert updated.organiser_path == tree["c12"].path
    with pytest.raises(OutOfScope):
        activity_update(actor=users["community"], activity=updated, attendance=5)
    entry = AuditEntry.objects.filter(action="activities.activity_updated").get()
    assert entry.before == {"organiser_id": tree["c11"].pk}
    assert entry.after == {"organiser_id": tree["c12"].pk}


def test_update_without_change_writes_no_audit(tree, users):
    a = activity(tree["c11"], attendance=80)
    activity_update(actor=users["community"], activity=a, attendance=80)
    assert not AuditEntry.objects.filter(action="activities.activity_updated").exists()


def test_upsert_by_external_id_and_by_composite_key(tree, users):
    actor = users["community"]
    a, outcome = activity_upsert(actor=actor, **_base(tree, external_id="X9"))
    assert outcome == "created"
    same, outcome = activity_upsert(actor=actor, **_base(tree, external_id="X9"))
    assert (same.pk, outcome) == (a.pk, "unchanged")
    same, outcome = activity_upsert(actor=actor, **_base(tree, external_id="X9", attendance=130))
    assert (same.pk, outcome, same.attendance) == (a.pk, "updated", 130)
    b, outcome = activity_upsert(actor=actor, **_base(tree, title="无编号活动"))
    assert outcome == "created"
    again, outcome = activity_upsert(actor=actor, **_base(tree, title="无编号活动", attendance=9))
    assert (again.pk, outcome, again.attendance) == (b.pk, "updated", 9)
    assert Activity.objects.count() == 2


def test_cancel_and_restore(tree, users):
    a = activity(tree["c11"])
    with pytest.raises(OutOfScope):
        activity_cancel(actor=users["evaluator"], activity=a)
    a = activity_cancel(actor=users["community"], activity=a)
    assert a.cancelled is True
    a = activity_cancel(actor=users["community"], activity=a, cancelled=False)
    assert a.cancelled is False
    actions = list(
        AuditEntry.objects.filter(action__startswith="activities.activity_c").values_list(
            "action", flat=True
        )
    ) + list(
        AuditEntry.objects.filter(action="activities.activity_restored").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == [
        "activities.activity_cancelled",
        "activities.activity_created",
        "activities.activity_restored",
    ]
