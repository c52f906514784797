"""seed_demo: the synthetic Gongshu district, built through the org services."""

from __future__ import annotations

import hashlib
import io
import json
from decimal import Decimal

import pytest
import shapely
from django.core.management import CommandError, call_command
from django.db import transaction
from pyproj import Transformer
from shapely.geometry import box, shape

from culture.core.models import AuditEntry
from culture.demo.models import DemoDataset
from culture.org.models import OrgUnit

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.usefixtures("without_people")]

SUBDISTRICT_NAMES = {
    "武林街道",
    "天水街道",
    "长庆街道",
    "潮鸣街道",
    "朝晖街道",
    "文晖街道",
    "东新街道",
    "石桥街道",
    "米市巷街道",
    "湖墅街道",
    "小河街道",
    "和睦街道",
    "拱宸桥街道",
    "大关街道",
    "上塘街道",
    "祥符街道",
    "康桥街道",
    "半山街道",
}
TO_4549 = Transformer.from_crs("EPSG:4326", "EPSG:4549", always_xy=True)


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def digest() -> str:
    rows = OrgUnit.objects.order_by("code").values_list(
        "code", "name_zh", "name_en", "population", "area_km2", "boundary"
    )
    text = json.dumps([[str(v) if isinstance(v, Decimal) else v for v in r] for r in rows])
    return hashlib.sha256(text.encode()).hexdigest()


def metric(boundary: dict):
    return shapely.transform(shape(boundary), TO_4549.transform, interleaved=False)


def km2(boundary: dict) -> float:
    return metric(boundary).area / 1e6


def inside(inner: dict, outer: dict) -> bool:
    """``inner`` lies within ``outer`` give or take 1 m (coordinates are rounded to ~0.1 m)."""
    return metric(outer).buffer(1.0).contains(metric(inner))


def test_builds_the_18_subdistricts_and_about_200_communities():
    output = seed("--seed", "42")
    assert "武林街道" in output and "built" in output  # progress is printed

    district = OrgUnit.objects.get(level="district")
    assert (district.code, district.name_zh, district.name_en) == (
        "330105",
        "拱墅区",
        "Gongshu District",
    )
    subs = list(OrgUnit.objects.filter(level="subdistrict"))
    assert {s.name_zh for s in subs} == SUBDISTRICT_NAMES
    assert sorted(s.code for s in subs) == [f"330105{n:03d}" for n in range(1, 19)]
    assert OrgUnit.objects.get(name_zh="武林街道").name_en == "Wulin Subdistrict"
    assert OrgUnit.objects.get(name_zh="拱宸桥街道").name_en == "Gongchenqiao Subdistrict"

    communities = list(OrgUnit.objects.filter(level="community").select_related("parent"))
    assert 180 <= len(communities) <= 230
    for c in communities:
        assert len(c.code) == 12 and c.code.isdigit() and c.code.startswith(c.parent.code)
        assert c.name_zh.endswith("社区") and c.name_en.endswith("Community")
    assert len({c.name_zh for c in communities}) == len(communities)

    assert 1_100_000 <= district.population <= 1_300_000
    for s in subs:
        assert s.population == sum(c.population for c in communities if c.parent_id == s.pk)
    assert district.population == sum(s.population for s in subs)


def test_boundaries_nest_and_measure_about_119_km2():
    seed("--seed", "42")
    district = OrgUnit.objects.get(level="district")
    outline = shape(district.boundary)
    assert box(120.09, 30.26, 120.22, 30.40).contains(outline)
    assert km2(district.boundary) == pytest.approx(119, rel=0.10)

    subs = {s.pk: s for s in OrgUnit.objects.filter(level="subdistrict")}
    assert sum(float(s.area_km2) for s in subs.values()) == pytest.approx(119, rel=0.10)
    for s in subs.values():
        # the stored area is measured in EPSG:4549
        assert float(s.area_km2) == pytest.approx(km2(s.boundary), abs=0.002)
        assert inside(s.boundary, district.boundary)
    by_parent: dict[int, float] = {}
    for c in OrgUnit.objects.filter(level="community"):
        assert inside(c.boundary, subs[c.parent_id].boundary), c.code
        assert c.area_km2 > 0 and c.centroid_lat and c.centroid_lon
        by_parent[c.parent_id] = by_parent.get(c.parent_id, 0) + float(c.area_km2)
    for pk, s in subs.items():  # communities tile their subdistrict
        assert by_parent[pk] == pytest.approx(float(s.area_km2), rel=0.01)


def test_the_south_is_small_and_dense_the_north_large_and_sparse():
    seed("--seed", "42")
    units = {u.name_zh: u for u in OrgUnit.objects.filter(level="subdistrict")}
    south = [units[n] for n in ("武林街道", "天水街道", "长庆街道", "潮鸣街道")]
    north = [units[n] for n in ("康桥街道", "半山街道", "祥符街道")]
    assert max(s.centroid_lat for s in south) < min(n.centroid_lat for n in north)
    assert max(s.area_km2 for s in south) < min(n.area_km2 for n in north)
    assert min(s.density for s in south) > 2 * max(n.density for n in north)


def test_same_seed_gives_the_same_district_on_a_fresh_database():
    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        seed("--seed", "42")
        first = digest()
        raise Rollback
    assert not OrgUnit.objects.exists()  # the first run is gone: the database is fresh again
    seed("--seed", "42")
    assert digest() == first


def test_a_different_seed_gives_a_different_district():
    seed("--seed", "42")
    first = digest()
    seed("--seed", "7", "--reset")
    assert digest() != first
    assert DemoDataset.objects.get().seed == 7


def test_second_run_reports_already_built_and_changes_nothing():
    seed("--seed", "42")
    before = (
        digest(),
        OrgUnit.objects.count(),
        AuditEntry.objects.count(),
        DemoDataset.objects.count(),
    )
    stamps = list(OrgUnit.objects.order_by("code").values_list("updated_at", flat=True))
    output = seed("--seed", "42")
    assert "already built" in output
    after = (
        digest(),
        OrgUnit.objects.count(),
        AuditEntry.objects.count(),
        DemoDataset.objects.count(),
    )
    assert after == before
    assert list(OrgUnit.objects.order_by("code").values_list("updated_at", flat=True)) == stamps


def test_another_seed_without_reset_is_refused():
    seed("--seed", "42")
    with pytest.raises(CommandError, match="--reset"):
        seed("--seed", "43")
    assert DemoDataset.objects.get().seed == 42


def test_reset_rebuilds_and_keeps_the_audit_log():
    seed("--seed", "42")
    first = digest()
    audit_before = AuditEntry.objects.count()
    seed("--seed", "42", "--reset")
    assert digest() == first
    assert DemoDataset.objects.count() == 1
    assert AuditEntry.objects.count() > audit_before  # nothing deleted, the rebuild added rows
    assert AuditEntry.objects.filter(action="demo.dataset_reset").count() == 1


def test_units_are_created_through_the_audited_service():
    seed("--seed", "42")
    created = AuditEntry.objects.filter(action="org.unit_created")
    assert created.count() == OrgUnit.objects.count()
    assert set(created.values_list("actor_label", flat=True)) == {"system"}


def test_scale_is_recorded_and_leaves_the_tree_alone():
    seed("--seed", "42", "--scale", "3")
    dataset = DemoDataset.objects.get()
    assert (dataset.seed, dataset.scale) == (42, 3)
    assert OrgUnit.objects.filter(level="subdistrict").count() == 18


def test_an_existing_real_tree_is_never_overwritten():
    from culture.org.tests.factories import district

    district()
    with pytest.raises(CommandError, match="330105"):
        seed("--seed", "42")
    assert OrgUnit.objects.count() == 1
    assert not DemoDataset.objects.exists()


def test_footer_says_the_data_are_synthetic(client):
    seed("--seed", "42")
    html = client.get("/").content.decode()
    assert "合成演示数据" in html and "42" in html
