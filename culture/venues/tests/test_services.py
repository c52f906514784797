"""Venue and room services: kind rules, fees, coordinates, hours figures, scope, audit."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from culture.accounts.models import RoleAssignment
from culture.accounts.tests.factories import staff_user
from culture.core import geo
from culture.core.errors import FieldErrors, OutOfScope
from culture.core.models import AuditEntry
from culture.core.roles import Role
from culture.venues.models import Venue, VenueKind
from culture.venues.services import (
    room_add,
    room_update,
    venue_create,
    venue_manager_bind,
    venue_update,
    venue_upsert,
)
from culture.venues.tests.factories import give_boundaries, venue


@pytest.fixture
def centres(tree):
    return give_boundaries()


def test_create_computes_location_and_hours(tree, users, centres):
    lon, lat = centres[tree["c12"].code]
    v = venue_create(
        actor=users["subdistrict"],
        code="SB-001",
        name_zh="湖墅城市书房",
        kind=VenueKind.CITY_BOOKROOM,
        operator_unit=tree["s1"],
        lon=lon,
        lat=lat,
        opening_hours="Mo-Fr 09:00-21:00; Sa,Su 09:00-17:00",
        bookroom_certification="district",
    )
    v.refresh_from_db()
    assert v.location_community == tree["c12"]
    assert v.weekly_hours == 76
    assert v.days_open_per_year in (365, 366)
    assert 0.45 < v.offpeak_share < 0.55
    entry = AuditEntry.objects.get(action="venues.venue_created")
    assert entry.target_id == str(v.pk) and entry.org_path == tree["s1"].path


def test_gcj02_input_is_stored_as_wgs84(tree, centres):
    wgs = centres[tree["c21"].code]
    gcj = geo.wgs84_to_gcj02(*wgs)
    v = venue(operator=tree["s2"], lon=gcj[0], lat=gcj[1], coord_system="gcj02")
    assert v.lon == pytest.approx(wgs[0], abs=1e-6) and v.lat == pytest.approx(wgs[1], abs=1e-6)
    assert v.coord_source_system == "gcj02"
    assert v.location_community == tree["c21"]


def test_coordinates_outside_the_district_are_refused(tree, centres):
    with pytest.raises(FieldErrors) as exc:
        venue(operator=tree["s1"], lon=120.50, lat=30.31)
    assert "不在本区范围内" in str(exc.value.errors["lon"][0])
    assert not Venue.objects.exists()


def test_a_point_just_inside_before_conversion_but_outside_after_is_refused(tree, centres):
    # WGS-84 (120.101, 30.305) is inside; read as GCJ-02 it moves ~0.0046 deg west: outside.
    with pytest.raises(FieldErrors):
        venue(operator=tree["s1"], lon=120.101, lat=30.305, coord_system="gcj02")


def test_kind_specific_field_on_the_wrong_kind_says_so(tree, centres):
    with pytest.raises(FieldErrors) as exc:
        venue(operator=tree["s1"], kind=VenueKind.CITY_BOOKROOM, theatre_seats=800)
    assert str(exc.value.errors["theatre_seats"][0]) == "城市书房没有‘剧场座位数’"
    v = venue(operator=tree["district"], kind=VenueKind.THEATRE, theatre_seats=800)
    assert v.theatre_seats == 800


def test_duplicate_code_refused(tree, centres):
    venue(operator=tree["s1"], code="DUP-1")
    with pytest.raises(FieldErrors) as exc:
        venue(operator=tree["s1"], code="DUP-1")
    assert "已存在" in str(exc.value.errors["code"][0])


def test_low_fee_at_most_seventy_percent_of_market_price(tree, centres):
    with pytest.raises(FieldErrors) as exc:
        venue(
            operator=tree["district"],
            kind=VenueKind.THEATRE,
            fee_policy="low",
            ticket_price=Decimal("80"),
            market_price=Decimal("100"),
        )
    assert "70%" in str(exc.value.errors["ticket_price"][0])
    v = venue(
        operator=tree["district"],
        kind=VenueKind.THEATRE,
        fee_policy="low",
        ticket_price=Decimal("70"),
        market_price=Decimal("100"),
        waiver_groups=["minors", "elderly"],
        free_days=["heritage_day"],
    )
    assert v.waiver_groups == ["minors", "elderly"]
    with pytest.raises(FieldErrors) as exc:
        venue(operator=tree["s1"], waiver_groups=["pets"])
    assert "pets" in str(exc.value.errors["waiver_groups"][0])


def test_bad_opening_hours_quote_the_parser(tree, centres):
    with pytest.raises(FieldErrors) as exc:
        venue(operator=tree["s1"], opening_hours="Mo-Fr 9-21")
    message = str(exc.value.errors["opening_hours"][0])
    assert "Mo-Fr 9-21" in message and "expected" in message


def test_scope_operator_unit_decides_who_may_write(tree, users, centres):
    with pytest.raises(OutOfScope):
        venue_create(
            actor=users["subdistrict"],
            code="X1",
            name_zh="别的街道的书房",
            kind=VenueKind.CITY_BOOKROOM,
            operator_unit=tree["s2"],
            lon=centres[tree["c11"].code][0],
            lat=centres[tree["c11"].code][1],
        )
    with pytest.raises(OutOfScope):
        venue_create(
            actor=users["evaluator"],
            code="X2",
            name_zh="评估员不能建",
            kind=VenueKind.CITY_BOOKROOM,
            operator_unit=tree["s1"],
            lon=centres[tree["c11"].code][0],
            lat=centres[tree["c11"].code][1],
        )
    # A district-run branch standing in s1 is edited by the district only.
    v = venue(operator=tree["district"], kind=VenueKind.BRANCH_LIBRARY, at=tree["c11"])
    assert v.location_community == tree["c11"]
    with pytest.raises(OutOfScope):
        venue_update(actor=users["subdistrict"], venue=v, name_zh="改名")
    venue_update(actor=users["district"], venue=v, name_zh="改名")
    assert Venue.objects.get(pk=v.pk).name_zh == "改名"


def test_venue_manager_edits_own_venue_only_and_not_its_kind(tree, centres):
    mine = venue(operator=tree["district"], kind=VenueKind.LIBRARY)
    other = venue(operator=tree["district"], kind=VenueKind.MUSEUM)
    manager = staff_user(Role.VENUE_MANAGER, tree["district"])
    RoleAssignment.objects.filter(user=manager).update(venue=mine)
    venue_update(actor=manager, venue=mine, opening_hours="Tu-Su 09:00-20:00")
    assert Venue.objects.get(pk=mine.pk).weekly_hours == 66
    with pytest.raises(FieldErrors):
        venue_update(actor=manager, venue=mine, kind=VenueKind.MUSEUM)
    with pytest.raises(OutOfScope):
        venue_update(actor=manager, venue=other, name_zh="不是我的")


def test_update_recomputes_location_when_moved(tree, centres):
    v = venue(operator=tree["district"], at=tree["c11"])
    lon, lat = centres[tree["c22"].code]
    venue_update(actor=None, venue=v, lon=lon, lat=lat)
    assert Venue.objects.get(pk=v.pk).location_community == tree["c22"]
    with pytest.raises(FieldErrors):
        venue_update(actor=None, venue=v, lon=lon)


def test_upsert_creates_then_updates_then_leaves_alone(tree, users, centres):
    lon, lat = centres[tree["c11"].code]
    args = dict(
        actor=users["subdistrict"],
        code="UP-1",
        name_zh="书房",
        kind=VenueKind.CITY_BOOKROOM,
        operator_unit=tree["s1"],
        lon=lon,
        lat=lat,
    )
    assert venue_upsert(**args)[1] == "created"
    assert venue_upsert(**args)[1] == "unchanged"
    assert venue_upsert(**{**args, "name_zh": "新书房", "has_wifi": True})[1] == "updated"
    v = Venue.objects.get(code="UP-1")
    assert v.name_zh == "新书房" and v.has_wifi is True
    assert Venue.objects.count() == 1


def test_rooms_add_and_update(tree, users, centres):
    v = venue(operator=tree["s1"])
    with pytest.raises(OutOfScope):
        room_add(actor=users["community"], venue=v, name="多功能厅", capacity=80)
    room = room_add(
        actor=users["subdistrict"], venue=v, name="多功能厅", capacity=80, equipment="投影"
    )
    with pytest.raises(FieldErrors) as exc:
        room_add(actor=users["subdistrict"], venue=v, name="多功能厅", capacity=10)
    assert "name" in exc.value.errors
    with pytest.raises(FieldErrors) as exc:
        room_update(actor=users["subdistrict"], room=room, capacity=0)
    assert "capacity" in exc.value.errors
    room_update(actor=users["subdistrict"], room=room, capacity=120)
    room.refresh_from_db()
    assert room.capacity == 120
    assert AuditEntry.objects.filter(action="venues.room_updated").count() == 1


def test_recompute_hours_for_another_year(tree, centres):
    v = venue(operator=tree["s1"], opening_hours="Mo-Su 09:00-17:00")
    call_command("venues_recompute_hours", "--year", "2025", stdout=io.StringIO())
    v.refresh_from_db()
    assert v.hours_year == 2025
    # 2025: 117 rest days of 365 (see test_hours).
    assert v.offpeak_share == pytest.approx(117 / 365, abs=1e-4)


def test_reserved_codes_are_refused(tree, centres):
    with pytest.raises(FieldErrors):
        venue(operator=tree["s1"], code="map")


def test_venue_manager_bind_is_for_district_writers(tree, users, centres):
    lib = venue(operator=tree["district"], kind=VenueKind.LIBRARY)
    manager = staff_user(Role.VENUE_MANAGER, tree["district"])
    with pytest.raises(OutOfScope):
        venue_manager_bind(actor=users["subdistrict"], user=manager, venue=lib)
    assert venue_manager_bind(actor=users["district"], user=manager, venue=lib) == 1
    assert RoleAssignment.objects.get(user=manager).venue == lib
    assert AuditEntry.objects.filter(action="venues.manager_bound").count() == 1
