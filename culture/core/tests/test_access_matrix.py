"""THE ACCESS MATRIX: every page and every API operation x every role x an object inside and
outside the viewer's scope.

The list of what to test is generated, not written: every URL pattern of ``get_resolver()``
(recursively) and every operation of the OpenAPI document. Each must have an entry in ``CASES``
saying how to build its URL for an object INSIDE the scope of the subdistrict officer (s1) and the
community worker (c11), and OUTSIDE it (s2 / c21), and which roles may read and write. A page or
operation without an entry fails ``test_every_page_and_operation_is_declared``: a new page must be
declared here before it ships.

For every declared entry and every role:
- GET: allowed roles get ``ok`` (200, or 302 where the page redirects); anonymous callers are sent
  to the sign-in page (pages) or get 401 (API); everybody else gets 403 or 404; the database is
  unchanged by every GET; a 200 body never contains the name of anything the role may not see
  (``HIDDEN``: out-of-scope org units, staff, residents and accounts; residents' names for
  evaluators).
- POST: a role allowed to write is not refused; every other role is refused (403/404, sign-in
  redirect or 401 for anonymous, 405 where the URL takes no POST) and the database is unchanged.
  The evaluator's every write is refused (checked for every entry).
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.api import api
from culture.accounts.models import StaffMember
from culture.accounts.services import resident_register
from culture.accounts.tests.factories import staff_user
from culture.activities.tests.factories import activity as make_activity
from culture.core.roles import Role
from culture.spreadsheets.framework import EXPORTERS, IMPORTERS
from culture.spreadsheets.models import ImportJob

ROLES = ("anonymous", "resident", "community", "subdistrict", "venue", "district", "evaluator")
ALL = frozenset(ROLES)
SIGNED_IN = ALL - {"anonymous"}
STAFF = frozenset({"community", "subdistrict", "venue", "district", "evaluator"})
DISTRICT_WIDE = frozenset({"district", "evaluator"})
ORG_READERS = frozenset({"community", "subdistrict", "district", "evaluator"})
ORG_WRITERS = frozenset({"community", "subdistrict", "district"})
DISTRICT = frozenset({"district"})
NOBODY: frozenset[str] = frozenset()

# Known personal data of the world (also used by the leak scan).
RESIDENT_ID = "330105199001011233"
RESIDENT_PHONE = "13957112345"
OTHER_RESIDENT_ID = "330105198503171232"
OTHER_RESIDENT_PHONE = "13857154321"
OUT_RESIDENT_ID = "330105197211084562"
OUT_RESIDENT_PHONE = "13757198765"
STAFF_PHONE = "13666612345"
OUT_STAFF_PHONE = "13566687654"
RESIDENT_PASSWORD = "a-long-resident-password-7"


# ----- the world every case runs in ---------------------------------------------------------------


@dataclass
class World:
    tree: dict[str, Any]
    users: dict[str, Any]  # role -> user (no "anonymous")
    objects: dict[str, Any]  # "<target>_in" / "<target>_out" -> object
    hidden: dict[str, list[str]]  # role -> names that must never appear in a 200 body

    def obj(self, target: str, side: str) -> Any:
        return self.objects[f"{target}_{side}"]


def build_world(tree: dict[str, Any], users: dict[str, Any]) -> World:
    c11, c12, c21 = tree["c11"], tree["c12"], tree["c21"]
    venue = staff_user(Role.VENUE_MANAGER, None, display_name="场馆管理员庚")
    resident = resident_register(
        actor=None,
        name="居民本人丁",
        phone=RESIDENT_PHONE,
        password=RESIDENT_PASSWORD,
        id_number=RESIDENT_ID,
        community=c11,
    )
    other_in = resident_register(
        actor=None,
        name="同社区居民戊",
        phone=OTHER_RESIDENT_PHONE,
        password=RESIDENT_PASSWORD,
        id_number=OTHER_RESIDENT_ID,
        community=c11,
    )
    resident_out = resident_register(
        actor=None,
        name="越界居民丙",
        phone=OUT_RESIDENT_PHONE,
        password=RESIDENT_PASSWORD,
        id_number=OUT_RESIDENT_ID,
        community=c21,
    )
    staff_in = StaffMember.objects.create(
        staff_number="S-IN-001", name="域内员工甲", org_unit=c11, position="文化专干"
    )
    staff_out = StaffMember.objects.create(
        staff_number="S-OUT-001", name="越界员工乙", org_unit=c21, position="文化专干"
    )
    _set_phone(staff_in, STAFF_PHONE)
    _set_phone(staff_out, OUT_STAFF_PHONE)
    user_out = staff_user(Role.COMMUNITY_WORKER, c21, display_name="越界账号己")
    user_in = users["community"]
    every_user = {**users, "venue": venue, "resident": resident.user}

    out_units = [tree["s2"].name_zh, c21.name_zh, tree["c22"].name_zh]
    out_people = ["越界员工乙", "越界居民丙", "越界账号己"]
    staff_names = ["域内员工甲", "越界员工乙"]
    residents = ["同社区居民戊", "越界居民丙"]
    hidden = {
        "anonymous": staff_names + residents + ["居民本人丁", "越界账号己", "场馆管理员庚"],
        "resident": [c12.name_zh, *out_units, *staff_names, *residents, "越界账号己"],
        "venue": [c11.name_zh, c12.name_zh, *out_units, *staff_names, *residents, "越界账号己"],
        "community": [c12.name_zh, *out_units, *out_people],
        "subdistrict": [*out_units, *out_people],
        "district": [],
        "evaluator": ["居民本人丁", *residents],  # residents' names are masked for evaluators
    }
    job_in = ImportJob.objects.create(
        user=users["community"], importer="org_units", original_name="社区.xlsx", kind="xlsx"
    )
    job_out = ImportJob.objects.create(
        user=user_out, importer="org_units", original_name="越界.xlsx", kind="xlsx"
    )
    objects = {
        "job_in": job_in,
        "job_out": job_out,
        "unit_in": c11,
        "unit_out": c21,
        "subdistrict_in": tree["s1"],
        "subdistrict_out": tree["s2"],
        "staff_in": staff_in,
        "staff_out": staff_out,
        "resident_in": other_in,
        "resident_out": resident_out,
        "user_in": user_in,
        "user_out": user_out,
    }
    # activities: one organised in c11 (in scope), one in c21 (out of scope)
    objects["activity_in"] = make_activity(c11, title="域内活动庚", kind="lecture")
    objects["activity_out"] = make_activity(c21, title="越界活动辛", kind="lecture")
    for role in ("anonymous", "resident", "venue", "community", "subdistrict"):
        hidden[role].append("越界活动辛")
    for role in ("anonymous", "resident", "venue"):
        hidden[role].append("域内活动庚")
    _teams_world(tree, objects, hidden)  # teams, organisations, households, talents, developments
    _venues_world(tree, objects, hidden, every_user)  # venues and rooms (venue manager bound)
    _standards_world(objects, hidden, users)  # reported figures and attestations
    _circles_world(tree, objects, hidden)  # circles of c11 (in) and c21 (out)
    _booking_resident_world(tree, objects, every_user)  # bookable activity/room, own booking
    _booking_manage_world(objects)  # manager's pages: pending seats, room rules, blocks
    _booking_api_world(tree, objects, every_user)  # bookings in and out of scope (API)
    _library_api_world(tree, objects, hidden)  # library branches, copies, loans (API)
    _library_resident_world(tree, objects)  # titles to borrow, own loan, hold and order
    _library_manage_world(tree, objects)  # staff pages: copies in transit, the district library
    return World(tree=tree, users=every_user, objects=objects, hidden=hidden)


def _set_phone(staff: StaffMember, phone: str) -> None:
    from culture.core.personal import protect_phone

    stored = protect_phone(phone)
    staff.phone_enc, staff.phone_hash, staff.phone_masked = (
        stored.encrypted,
        stored.hash,
        stored.masked,
    )
    staff.save(update_fields=["phone_enc", "phone_hash", "phone_masked"])


@pytest.fixture
def world(tree, users) -> World:
    return build_world(tree, users)


def client_for(world: World, role: str, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


# ----- the declarations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """How to call one page or operation and who may do what.

    ``read``: roles whose GET succeeds (for the in-scope object when ``target`` is set);
    ``read_out``: roles whose GET of the out-of-scope object succeeds (default: district-wide);
    ``write``: roles whose POST is accepted (None: the URL takes no writes; POSTs must change
    nothing); ``own_state``: the POST changes only the caller's own session or preferences (sign
    in/out, language, elderly mode), so it is not a data write.
    """

    read: frozenset[str]
    target: str | None = None
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda obj: {})
    read_out: frozenset[str] = DISTRICT_WIDE
    query: str | Callable[[Any], str] = ""
    ok: tuple[int, ...] = (200,)
    get_allowed: bool = True  # False: a POST-only URL, every GET is 405
    write: frozenset[str] | None = None
    write_out: frozenset[str] = DISTRICT
    data: Callable[[World, str], dict[str, Any]] | None = None  # (world, side) -> POST data
    own_state: bool = False
    # A role outside ``write`` may also be turned away by the form itself (its unit is not among
    # the choices): a 200/422 answer is then accepted as long as nothing changed.
    rejects_in_form: bool = False
    # The declared data is a complete, valid write: an allowed POST must change the database
    # (proves the "allowed" half of the case really writes, not just "was not refused").
    changes: bool = False
    # Names the page shows by design, to whoever may read it (public facilities near a circle,
    # the circle itself on its public page): never counted as a leak on this page.
    shows: tuple[str, ...] = ()
    note: str = ""

    def url_query(self, obj: Any) -> str:
        return self.query(obj) if callable(self.query) else self.query


def unit_code(unit: Any) -> dict[str, Any]:
    return {"code": unit.code}


def pk(obj: Any) -> dict[str, Any]:
    return {"pk": obj.pk}


def job_id(job: Any) -> dict[str, Any]:
    return {"job_id": job.pk}


def unit_form(world: World, side: str) -> dict[str, Any]:
    unit = world.obj("unit", side)
    return {"name_zh": unit.name_zh, "name_en": "renamed", "population": 4321, "area_km2": ""}


def staff_form(world: World, side: str) -> dict[str, Any]:
    staff = world.obj("staff", side)
    return {
        "staff_number": staff.staff_number,
        "name": staff.name,
        "org_unit": staff.org_unit.code,
        "position": "馆员",
        "training_current": "6",
        "training_previous": "",
    }


def new_staff_form(world: World, side: str) -> dict[str, Any]:
    unit = world.obj("unit", side)
    return {"staff_number": f"S-NEW-{side}", "name": "新来的员工", "org_unit": unit.code}


# Every registered exporter and importer must be declared here (checked below), so a new one is
# walked by the matrix and the leak scan as soon as it is registered.
EXPORT_READERS = {
    "venues": STAFF,
    "rooms": STAFF,
    "teams": STAFF,
    "organisations": STAFF,
    "culture_households": STAFF,
    "culture_talents": STAFF,
    "developments": STAFF,
    "audit": DISTRICT_WIDE,
    "org_units": STAFF,
    "staff": STAFF,
    "users": DISTRICT_WIDE,
    "residents": DISTRICT_WIDE,
    "activities": STAFF,
    "reported_figures": STAFF,
    "residential_points": STAFF,
    "candidate_sites": STAFF,
    "circle_coverage": ORG_READERS,
    "library_overdue": STAFF,  # overdue loans of the library branches the viewer may see
}
IMPORT_WRITERS = {
    "venues": ORG_WRITERS,
    "rooms": ORG_WRITERS | {"venue"},
    "teams": ORG_WRITERS,
    "organisations": ORG_WRITERS,
    "culture_households": ORG_WRITERS,
    "culture_talents": ORG_WRITERS,
    "developments": ORG_WRITERS,
    "org_units": ORG_WRITERS,
    "staff": ORG_WRITERS,
    "users": DISTRICT,
    "activities": ORG_WRITERS,
    "reported_figures": ORG_WRITERS,
    "residential_points": ORG_WRITERS,
    "candidate_sites": ORG_WRITERS,
    "library_titles": DISTRICT,  # one catalogue for every branch: district-wide writers only
    "library_copies": ORG_WRITERS,
    "library_marc": DISTRICT,  # MARC titles and copies: the catalogue, district-wide writers
}


# ----- teams, organisations, culture households and talents, residential developments -----
def _teams_world(tree: dict[str, Any], objects: dict[str, Any], hidden: dict[str, list]) -> None:
    from culture.teams.services import culture_talent_upsert
    from culture.teams.tests.factories import development, household, organisation, team

    c11, c21 = tree["c11"], tree["c21"]
    objects["team_in"] = team("T-IN", c11, name="域内合唱团")
    objects["team_out"] = team("T-OUT", c21, name="越界团队壬")
    objects["organisation_in"] = organisation("O-IN", c11, name="域内文化组织")
    objects["organisation_out"] = organisation("O-OUT", c21, name="越界组织癸")
    objects["household_in"] = household("H-IN", c11, name="域内示范户")
    objects["household_out"] = household("H-OUT", c21, name="越界示范户")
    for side, unit, name in (("in", c11, "域内能人"), ("out", c21, "越界能人")):
        objects[f"talent_{side}"] = culture_talent_upsert(
            actor=None, code=f"R-{side.upper()}", name=name, community=unit
        )[0]
    objects["development_in"] = development("D-IN", c11, name="域内小区")
    objects["development_out"] = development("D-OUT", c21, name="越界小区")
    out_names = ["越界团队壬", "越界组织癸", "越界示范户", "越界能人", "越界小区"]
    for role in ("anonymous", "resident", "venue", "community", "subdistrict"):
        hidden[role] = hidden[role] + out_names


def code_of(obj: Any) -> dict[str, Any]:
    return {"code": obj.code}


def _team_data(world: World, side: str, *, new: bool = False) -> dict[str, Any]:
    unit = world.obj("unit", side) if new else world.obj("team", side).org_unit
    return {
        "code": f"T-NEW-{side}" if new else world.obj("team", side).code,
        "name": "矩阵合唱团",
        "kind": "choir",
        "org_unit": unit.code,
        "members_count": "9",
        "is_active": "on",
    }


def _organisation_data(world: World, side: str, *, new: bool = False) -> dict[str, Any]:
    unit = world.obj("unit", side) if new else world.obj("organisation", side).org_unit
    return {
        "code": f"O-NEW-{side}",
        "name": "矩阵组织",
        "kind": "women_centre",
        "org_unit": unit.code,
        "is_active": "on",
    }


def _person_data(world: World, side: str, target: str, *, new: bool = False) -> dict[str, Any]:
    unit = world.obj("unit", side) if new else world.obj(target, side).community
    return {"code": f"P-NEW-{side}", "name": "矩阵记录", "community": unit.code, "speciality": "x"}


def _development_data(world: World, side: str, *, new: bool = False) -> dict[str, Any]:
    unit = world.obj("unit", side) if new else world.obj("development", side).community
    return {
        "code": f"D-NEW-{side}",
        "name": "矩阵小区",
        "community": unit.code,
        "population": "1234",
        "indoor_fitness_m2": "10",
        "outdoor_fitness_m2": "20",
        "culture_space_m2": "30",
        "completion_year": "2024",
    }


def _teams_cases() -> dict[str, Case]:
    cases: dict[str, Case] = {
        "teams:team_list": Case(read=STAFF),
        "teams:organisation_list": Case(read=STAFF),
        "teams:household_list": Case(read=STAFF),
        "teams:talent_list": Case(read=STAFF),
        "org:development_list": Case(read=STAFF),
        "teams:team_detail": Case(read=ORG_READERS, target="team", kwargs=code_of),
        "teams:organisation_detail": Case(read=ORG_READERS, target="organisation", kwargs=code_of),
        "org:development_detail": Case(read=ORG_READERS, target="development", kwargs=code_of),
    }
    forms = {
        "teams:team": ("team", lambda w, s, new=False: _team_data(w, s, new=new)),
        "teams:organisation": (
            "organisation",
            lambda w, s, new=False: _organisation_data(w, s, new=new),
        ),
        "teams:household": (
            "household",
            lambda w, s, new=False: _person_data(w, s, "household", new=new),
        ),
        "teams:talent": ("talent", lambda w, s, new=False: _person_data(w, s, "talent", new=new)),
        "org:development": (
            "development",
            lambda w, s, new=False: _development_data(w, s, new=new),
        ),
    }
    for prefix, (target, data) in forms.items():
        cases[f"{prefix}_create"] = Case(
            changes=True,
            read=ORG_WRITERS,
            target="unit",
            read_out=ORG_WRITERS,
            write=ORG_WRITERS,
            data=lambda w, side, data=data: data(w, side, new=True),
            rejects_in_form=True,
            note="one URL; the in/out object is the unit chosen in the form",
        )
        cases[f"{prefix}_edit"] = Case(
            changes=True,
            read=ORG_WRITERS,
            read_out=DISTRICT,
            target=target,
            kwargs=code_of,
            write=ORG_WRITERS,
            data=data,
        )
    api = "culture_teams_api_"
    dev_api = "culture_org_api_developments_"
    cases.update(
        {
            f"{api}list_teams": Case(read=STAFF),
            f"{api}list_organisations": Case(read=STAFF),
            f"{api}list_households": Case(read=STAFF),
            f"{api}list_talents": Case(read=STAFF),
            f"{dev_api}list_developments": Case(read=STAFF),
            f"{api}get_team": Case(read=ORG_READERS, target="team", kwargs=code_of),
            f"{api}get_organisation": Case(read=ORG_READERS, target="organisation", kwargs=code_of),
            f"{dev_api}get_development": Case(
                read=ORG_READERS, target="development", kwargs=code_of
            ),
        }
    )
    api_writes = {
        f"{api}%s_team": (
            "team",
            lambda w, s, new=False: {
                **_team_data(w, s, new=new),
                "members_count": 9,
                "is_active": True,
            },
        ),
        f"{api}%s_organisation": (
            "organisation",
            lambda w, s, new=False: {**_organisation_data(w, s, new=new), "is_active": True},
        ),
        f"{dev_api}%s_development": (
            "development",
            lambda w, s, new=False: {
                **_development_data(w, s, new=new),
                "population": 1234,
                "completion_year": 2024,
            },
        ),
    }
    for pattern, (target, data) in api_writes.items():
        cases[pattern % "create"] = Case(
            changes=True,
            read=NOBODY,
            target="unit",
            write=ORG_WRITERS,
            data=lambda w, side, data=data: data(w, side, new=True),
            note="one URL; the in/out object is the unit named in the body",
        )
        cases[pattern % "update"] = Case(
            changes=True,
            read=NOBODY,
            target=target,
            kwargs=code_of,
            write=ORG_WRITERS,
            data=lambda w, side, data=data: {k: v for k, v in data(w, side).items() if k != "code"},
        )
    return cases


# ----- venues and rooms (scoped by the OPERATOR unit; a venue manager reaches the bound venue) -----
VENUE_READERS = frozenset({"subdistrict", "district", "evaluator", "venue"})
VENUE_WRITERS = frozenset({"subdistrict", "district", "venue"})


def _venues_world(
    tree: dict[str, Any], objects: dict[str, Any], hidden: dict[str, list], users: dict[str, Any]
) -> None:
    from culture.accounts.models import RoleAssignment
    from culture.venues.services import room_add
    from culture.venues.tests.factories import give_boundaries, venue

    give_boundaries()  # squares for the communities, so coordinates resolve to a community
    # In: run by s1, standing in c11 (the community worker of c11 does not run it).
    objects["venue_in"] = venue(
        operator=tree["s1"], at=tree["c11"], code="V-IN", name_zh="域内场馆甲"
    )
    objects["venue_out"] = venue(
        operator=tree["s2"], at=tree["c21"], code="V-OUT", name_zh="越界场馆乙"
    )
    objects["room_in"] = room_add(
        actor=None, venue=objects["venue_in"], name="域内活动室", capacity=30
    )
    objects["room_out"] = room_add(
        actor=None, venue=objects["venue_out"], name="越界活动室", capacity=30
    )
    RoleAssignment.objects.filter(user=users["venue"]).update(venue=objects["venue_in"])
    for role in ("anonymous", "resident", "venue", "community", "subdistrict"):
        hidden[role] = hidden[role] + ["越界场馆乙", "越界活动室"]
    for role in ("anonymous", "resident", "community"):
        hidden[role] = hidden[role] + ["域内场馆甲", "域内活动室"]


def _venue_kwargs(v: Any) -> dict[str, Any]:
    return {"code": v.code}


def _venue_point(world: World, side: str) -> tuple[float, float]:
    from culture.venues.tests.factories import point_in

    return point_in(world.obj("unit", side))


def _venue_new(world: World, side: str) -> dict[str, Any]:
    lon, lat = _venue_point(world, side)
    unit = world.obj("unit", side)
    return {"code": f"V-NEW-{side}", "name_zh": "矩阵新场馆", "kind": "city_bookroom",
            "status": "open", "operator_unit": unit.code, "coord_system": "wgs84",
            "lon": lon, "lat": lat, "fee_policy": "free"}  # fmt: skip


def _venue_edit(world: World, side: str) -> dict[str, Any]:
    v = world.obj("venue", side)
    return {"name_zh": "矩阵改名", "kind": v.kind, "status": "open",
            "operator_unit": v.operator_unit.code, "coord_system": "wgs84", "lon": v.lon,
            "lat": v.lat, "fee_policy": "free"}  # fmt: skip


def _venues_cases() -> dict[str, Case]:
    api = "culture_venues_api_"
    room_kwargs = lambda r: {"code": r.venue.code, "pk": r.pk}  # noqa: E731
    return {
        "venues:list": Case(read=STAFF),
        "venues:map": Case(read=STAFF),
        "venues:map_data": Case(read=STAFF),
        "venues:create": Case(
            changes=True,
            read=ORG_WRITERS,
            read_out=ORG_WRITERS,
            target="unit",
            write=ORG_WRITERS,
            data=_venue_new,
            rejects_in_form=True,
            note="one URL; the in/out object is the operator unit chosen in the form",
        ),
        "venues:detail": Case(read=VENUE_READERS, target="venue", kwargs=_venue_kwargs),
        "venues:edit": Case(
            changes=True,
            read=VENUE_WRITERS,
            read_out=DISTRICT,
            target="venue",
            kwargs=_venue_kwargs,
            write=VENUE_WRITERS,
            data=_venue_edit,
        ),
        "venues:room_add": Case(
            changes=True,
            read=VENUE_WRITERS,
            read_out=DISTRICT,
            target="venue",
            kwargs=_venue_kwargs,
            write=VENUE_WRITERS,
            data=lambda w, side: {"name": "矩阵活动室", "capacity": "20", "is_active": "on"},
        ),
        "venues:room_edit": Case(
            changes=True,
            read=VENUE_WRITERS,
            read_out=DISTRICT,
            target="room",
            kwargs=room_kwargs,
            write=VENUE_WRITERS,
            data=lambda w, side: {
                "name": w.obj("room", side).name,
                "capacity": "33",
                "is_active": "on",
            },  # fmt: skip
        ),
        f"{api}list_venues": Case(read=STAFF),
        f"{api}get_venue": Case(read=VENUE_READERS, target="venue", kwargs=_venue_kwargs),
        f"{api}create_venue": Case(
            changes=True,
            read=NOBODY,
            target="unit",
            write=ORG_WRITERS,
            data=lambda w, side: {
                k: v for k, v in _venue_new(w, side).items() if k not in ("status", "fee_policy")
            },
            note="one URL; the in/out object is the operator unit named in the body",
        ),
        f"{api}update_venue": Case(
            changes=True,
            read=NOBODY,
            target="venue",
            kwargs=_venue_kwargs,
            write=VENUE_WRITERS,
            data=lambda w, side: {"name_zh": "接口改名"},
        ),
        f"{api}add_room": Case(
            changes=True,
            read=NOBODY,
            target="venue",
            kwargs=_venue_kwargs,
            write=VENUE_WRITERS,
            data=lambda w, side: {"name": "接口活动室", "capacity": 20},
        ),
        f"{api}update_room": Case(
            changes=True,
            read=NOBODY,
            target="room",
            kwargs=lambda r: {"code": r.venue.code, "room_id": r.pk},
            write=VENUE_WRITERS,
            data=lambda w, side: {"capacity": 44},
        ),
    }


CASES: dict[str, Case | list[Case]] = {
    # core
    "core:home": Case(read=ALL, ok=(200, 302)),
    "core:healthz": Case(read=ALL),
    "core:audit_list": Case(read=DISTRICT_WIDE),
    "core:elderly_mode": Case(
        read=NOBODY,
        get_allowed=False,
        write=ALL,
        own_state=True,
        data=lambda w, side: {"on": "1", "next": "/"},
    ),
    "set_language": Case(
        read=ALL,
        ok=(302,),
        write=ALL,
        own_state=True,
        data=lambda w, side: {"language": "en", "next": "/"},
    ),
    # accounts: sign-in, sign-up, own account
    "accounts:login": Case(
        read=ALL,
        ok=(200, 302),
        write=ALL,
        own_state=True,
        data=lambda w, side: {"username": "nobody-here", "password": "wrong-password-123"},
    ),
    "accounts:logout": Case(read=NOBODY, get_allowed=False, write=ALL, own_state=True),
    "accounts:signup": Case(
        read=ALL, ok=(200, 302), write=ALL, own_state=True, note="self-registration"
    ),
    "accounts:signup_verify": Case(
        read=ALL, ok=(200, 302), write=ALL, own_state=True, note="self-registration"
    ),
    "accounts:me": Case(read=SIGNED_IN, write=SIGNED_IN, own_state=True),
    # accounts: users (district officers manage; evaluators read)
    "accounts:user_list": Case(read=DISTRICT_WIDE),
    "accounts:user_create": Case(read=DISTRICT, write=DISTRICT),
    "accounts:user_edit": Case(
        read=DISTRICT,
        read_out=DISTRICT,
        target="user",
        kwargs=pk,
        write=DISTRICT,
    ),
    "accounts:user_deactivate": Case(
        changes=True,
        read=NOBODY,
        read_out=NOBODY,
        get_allowed=False,
        target="user",
        kwargs=pk,
        write=DISTRICT,
    ),
    # accounts: staff records (scoped by org unit)
    "accounts:staff_list": Case(read=STAFF),
    "accounts:staff_create": Case(
        changes=True,
        read=ORG_WRITERS,
        target="unit",
        read_out=ORG_WRITERS,
        write=ORG_WRITERS,
        data=new_staff_form,
        rejects_in_form=True,
        note="one URL; the in/out object is the unit chosen in the form",
    ),
    "accounts:staff_detail": Case(read=ORG_READERS, target="staff", kwargs=pk),
    "accounts:staff_edit": Case(
        changes=True,
        read=ORG_WRITERS,
        read_out=DISTRICT,
        target="staff",
        kwargs=pk,
        write=ORG_WRITERS,
        data=staff_form,
    ),
    "accounts:staff_deactivate": Case(
        changes=True,
        read=NOBODY,
        read_out=NOBODY,
        get_allowed=False,
        target="staff",
        kwargs=pk,
        write=ORG_WRITERS,
    ),
    # accounts: residents (district-wide only; evaluators see names masked)
    "accounts:resident_list": Case(read=DISTRICT_WIDE),
    "accounts:resident_create": Case(read=DISTRICT, write=DISTRICT),
    "accounts:resident_detail": Case(read=DISTRICT_WIDE, target="resident", kwargs=pk),
    "accounts:resident_active": Case(
        changes=True,
        read=NOBODY,
        read_out=NOBODY,
        get_allowed=False,
        target="resident",
        kwargs=pk,
        write=DISTRICT,
    ),
    "accounts:resident_reveal": Case(
        read=NOBODY,
        read_out=NOBODY,
        get_allowed=False,
        target="resident",
        kwargs=pk,
        write=NOBODY,
        write_out=NOBODY,
        data=lambda w, side: {"field": "id_number"},
        note="nobody in the world holds the reveal permission; test_leaks covers the holder",
    ),
    # org
    "org:tree": Case(read=STAFF),
    "org:unit": Case(read=ORG_READERS, target="unit", kwargs=unit_code),
    "org:unit_edit": Case(
        changes=True,
        read=ORG_WRITERS,
        read_out=DISTRICT,
        target="unit",
        kwargs=unit_code,
        write=ORG_WRITERS,
        data=unit_form,
    ),
    "org:geojson": Case(
        read=ORG_READERS,
        target="unit",
        query=lambda unit: f"unit={unit.code}",
    ),
    # spreadsheets
    "spreadsheets:import_home": Case(read=STAFF),
    "spreadsheets:import": [
        Case(
            read=IMPORT_WRITERS.get(name, NOBODY),
            kwargs=lambda obj, name=name: {"name": name},
            write=IMPORT_WRITERS.get(name, NOBODY),
            note="an empty upload: allowed roles get the form's error",
        )
        for name in sorted(IMPORTERS)
    ],
    "spreadsheets:template": [
        Case(read=STAFF, kwargs=lambda obj, name=name: {"name": name}) for name in sorted(IMPORTERS)
    ],
    "spreadsheets:export": [
        Case(
            read=EXPORT_READERS.get(name, NOBODY),
            kwargs=lambda obj, name=name: {"name": name},
            query=f"format={fmt}",
        )
        for name in sorted(EXPORTERS)
        for fmt in ("xlsx", "csv")
    ],
    "spreadsheets:job": Case(
        read=frozenset({"community", "district"}),
        read_out=DISTRICT,
        target="job",
        kwargs=job_id,
    ),
    "spreadsheets:job_marked": Case(
        read=frozenset({"community", "district"}),
        read_out=DISTRICT,
        target="job",
        kwargs=job_id,
        ok=(404,),
        note="the world's jobs have no marked file",
    ),
    # API operations (operationId); a write operation's ``read`` is unused
    "culture_accounts_api_me": Case(read=SIGNED_IN),
    "culture_accounts_api_list_users": Case(read=DISTRICT_WIDE),
    "culture_accounts_api_create_user": Case(
        changes=True,
        read=NOBODY,
        write=DISTRICT,
        data=lambda w, side: {
            "username": "api-new-user",
            "display_name": "接口新用户",
            "password": "a-long-api-password-5",
            "roles": [],
        },
    ),
    "culture_accounts_api_get_user": Case(
        read=DISTRICT_WIDE, target="user", kwargs=lambda u: {"user_id": u.pk}
    ),
    "culture_accounts_api_update_user": Case(
        changes=True,
        read=NOBODY,
        target="user",
        kwargs=lambda u: {"user_id": u.pk},
        write=DISTRICT,
        data=lambda w, side: {"display_name": "接口改名"},
    ),
    "culture_accounts_api_list_staff": Case(read=STAFF),
    "culture_accounts_api_create_staff": Case(
        changes=True,
        read=NOBODY,
        target="unit",
        write=ORG_WRITERS,
        data=lambda w, side: {
            "staff_number": f"S-API-{side}",
            "name": "接口员工",
            "org_unit": w.obj("unit", side).code,
        },
        note="one URL; the in/out object is the unit named in the body",
    ),
    "culture_accounts_api_get_staff": Case(
        read=ORG_READERS, target="staff", kwargs=lambda st: {"staff_id": st.pk}
    ),
    "culture_accounts_api_update_staff": Case(
        changes=True,
        read=NOBODY,
        target="staff",
        kwargs=lambda st: {"staff_id": st.pk},
        write=ORG_WRITERS,
        data=lambda w, side: {
            "name": w.obj("staff", side).name,
            "org_unit": w.obj("staff", side).org_unit.code,
            "position": "接口岗位",
        },
    ),
    "culture_accounts_api_deactivate_staff": Case(
        changes=True,
        read=NOBODY,
        target="staff",
        kwargs=lambda st: {"staff_id": st.pk},
        write=ORG_WRITERS,
    ),
    "culture_accounts_api_list_residents": Case(read=DISTRICT_WIDE),
    "culture_accounts_api_get_resident": Case(
        read=DISTRICT_WIDE, target="resident", kwargs=lambda r: {"resident_id": r.pk}
    ),
    "culture_org_api_unit_list": Case(read=STAFF, query="level=community"),
    "culture_org_api_unit_detail": Case(read=ORG_READERS, target="unit", kwargs=unit_code),
    "culture_org_api_unit_update": Case(
        changes=True,
        read=NOBODY,
        target="unit",
        kwargs=unit_code,
        write=ORG_WRITERS,
        data=lambda w, side: {"population": 4321},
    ),
    # activities (scoped by the organiser unit; the venue manager's binding is not built yet)
    "activities:list": Case(read=STAFF),
    "activities:detail": Case(read=ORG_READERS, target="activity", kwargs=pk),
    "activities:create": Case(
        changes=True,
        read=ORG_WRITERS,
        read_out=ORG_WRITERS,
        target="unit",
        write=ORG_WRITERS,
        data=lambda w, side: {
            "title": f"新活动{side}",
            "kind": "lecture",
            "organiser": w.obj("unit", side).code,
            "start_at": "2025-06-01T09:00",
            "end_at": "2025-06-01T10:00",
            "attendance": "5",
        },
        rejects_in_form=True,
        note="one URL; the in/out object is the organiser chosen in the form",
    ),
    "activities:edit": Case(
        changes=True,
        read=ORG_WRITERS,
        read_out=DISTRICT,
        target="activity",
        kwargs=pk,
        write=ORG_WRITERS,
        data=lambda w, side: {
            "title": w.obj("activity", side).title,
            "kind": "lecture",
            "organiser": w.obj("activity", side).organiser.code,
            "start_at": "2025-05-01T09:00",
            "end_at": "2025-05-01T11:00",
            "attendance": "4321",
        },
    ),
    "activities:cancel": Case(
        changes=True,
        read=NOBODY,
        read_out=NOBODY,
        get_allowed=False,
        target="activity",
        kwargs=pk,
        write=ORG_WRITERS,
    ),
    "culture_activities_api_list_activities": Case(read=STAFF),
    "culture_activities_api_counts": Case(read=STAFF, query="year=2025&level=community"),
    "culture_activities_api_get_activity": Case(
        read=ORG_READERS, target="activity", kwargs=lambda a: {"activity_id": a.pk}
    ),
    "culture_activities_api_create_activity": Case(
        changes=True,
        read=NOBODY,
        target="unit",
        write=ORG_WRITERS,
        data=lambda w, side: {
            "title": f"接口活动{side}",
            "kind": "lecture",
            "organiser": w.obj("unit", side).code,
            "start_at": "2025-06-01T09:00:00+08:00",
            "end_at": "2025-06-01T10:00:00+08:00",
        },
        note="one URL; the in/out object is the organiser named in the body",
    ),
    "culture_activities_api_update_activity": Case(
        changes=True,
        read=NOBODY,
        target="activity",
        kwargs=lambda a: {"activity_id": a.pk},
        write=ORG_WRITERS,
        data=lambda w, side: {"attendance": 4321},
    ),
    "culture_activities_api_cancel_activity": Case(
        changes=True,
        read=NOBODY,
        target="activity",
        kwargs=lambda a: {"activity_id": a.pk},
        write=ORG_WRITERS,
        data=lambda w, side: {"cancelled": True},
    ),
}


CASES.update(_teams_cases())
CASES.update(_venues_cases())


def _cockpit_cases() -> dict[str, Case]:
    """The cockpit and indicator pages read stored results (no run in this world: the pages
    say so); only a district officer may ask for a run now."""
    in_unit = lambda u: f"unit={u.code}&year=2025"  # noqa: E731
    return {
        "cockpit:home": Case(read=ORG_READERS, target="unit", query=in_unit),
        "cockpit:screen": Case(read=ORG_READERS, target="unit", query=in_unit),
        "cockpit:indicators": Case(read=ORG_READERS, target="unit", query=in_unit),
        # No run in this world: readers are sent back to the cockpit with a message.
        "cockpit:download": Case(read=ORG_READERS, target="unit", query=in_unit, ok=(302,)),
        "cockpit:indicator": Case(
            read=ORG_READERS,
            target="unit",
            kwargs=lambda u: {"indicator_id": "T10"},
            query=in_unit,
        ),
        "cockpit:evaluate": Case(
            changes=True,
            read=NOBODY,
            get_allowed=False,
            write=DISTRICT,
            data=lambda w, side: {"year": "2025"},
        ),
        "culture_standards_api_list_indicators": Case(read=ORG_READERS),
        "culture_standards_api_list_results": Case(read=ORG_READERS, target="unit", query=in_unit),
    }


CASES.update(_cockpit_cases())


# ----- reported figures (统计填报), attestations (佐证), named definitions ----------------------
def _standards_world(objects: dict[str, Any], hidden: dict[str, list], users: dict) -> None:
    from culture.standards.models import Attestation, ReportedFigure

    for side, unit, user in (("in", objects["unit_in"], users["community"]),
                             ("out", objects["unit_out"], objects["user_out"])):  # fmt: skip
        common = {"org_unit": unit, "org_path": unit.path, "year": 2025}
        objects[f"figure_{side}"] = ReportedFigure.objects.create(
            indicator_id="S52", field_key="value", value="0.9", submitted_by=user, **common
        )
        objects[f"attestation_{side}"] = Attestation.objects.create(
            indicator_id="S53", title=f"{'域内' if side == 'in' else '越界'}佐证材料",
            evidence="evidence/2025/missing.pdf", uploaded_by=user, **common
        )  # fmt: skip
    for role in ("anonymous", "resident", "venue", "community", "subdistrict"):
        hidden[role] = hidden[role] + ["越界佐证材料"]
    for role in ("anonymous", "resident", "venue"):
        hidden[role] = hidden[role] + ["域内佐证材料"]


def _standards_cases() -> dict[str, Case]:
    reviewers = frozenset({"subdistrict", "district"})
    api = "culture_standards_api_reporting_"
    post_only = dict(read=NOBODY, read_out=NOBODY, get_allowed=False)
    key = lambda obj: {"key": "offpeak_start"}  # noqa: E731
    return {
        "standards:report_sheet": Case(
            read=ORG_READERS, target="unit", query=lambda u: f"unit={u.code}&year=2025",
            write=ORG_WRITERS, data=lambda w, side: {},
            note="an empty sheet: allowed roles are told nothing changed",
        ),
        "standards:report_review_queue": Case(read=reviewers),
        "standards:report_review": Case(
            **post_only, changes=True, target="figure", kwargs=pk, write=reviewers,
            data=lambda w, side: {"decision": "approve"},
        ),
        "standards:attestation_list": Case(read=STAFF),
        "standards:attestation_upload": Case(
            read=ORG_WRITERS, read_out=ORG_WRITERS, target="unit", write=ORG_WRITERS,
            rejects_in_form=True, data=lambda w, side: {"org_unit": w.obj("unit", side).code},
            note="no file: allowed roles get the form's errors (nothing is stored)",
        ),
        "standards:attestation_review_queue": Case(read=DISTRICT),
        "standards:attestation_review": Case(
            **post_only, changes=True, target="attestation", kwargs=pk, write=DISTRICT,
            data=lambda w, side: {"decision": "accept"},
        ),
        "standards:attestation_file": Case(
            read=ORG_READERS, target="attestation", kwargs=pk, ok=(404,),
            note="the world's evidence has no stored file (downloads: test_attestations_pages)",
        ),
        "standards:definition_list": Case(read=STAFF),
        "standards:definition_set": Case(
            **post_only, changes=True, kwargs=key, write=DISTRICT,
            data=lambda w, side: {"value": "08:30"},
        ),
        "standards:definition_reset": Case(**post_only, kwargs=key, write=DISTRICT),
        f"{api}list_figures": Case(read=STAFF),
        f"{api}submit_figure": Case(
            read=NOBODY, target="unit", write=ORG_WRITERS,
            data=lambda w, side: {"indicator_id": "S52", "field_key": "value", "year": 2025,
                                  "org_unit": w.obj("unit", side).code, "value": "0.9"},
            note="S52 is not judged per community: allowed roles get 422, others 403",
        ),
        f"{api}review_figure": Case(
            changes=True, read=NOBODY, target="figure", kwargs=lambda f: {"figure_id": f.pk},
            write=reviewers, data=lambda w, side: {"approve": True},
        ),
        f"{api}list_attestations": Case(read=STAFF),
        f"{api}review_attestation": Case(
            changes=True, read=NOBODY, target="attestation",
            kwargs=lambda a: {"attestation_id": a.pk}, write=DISTRICT,
            data=lambda w, side: {"accept": True},
        ),
    }  # fmt: skip


CASES.update(_standards_cases())


# ----- 15-minute circles: coverage (homes of the viewer's communities; venue managers have none)
CASES.update(
    {
        "circles:coverage": Case(read=ORG_READERS),
        "circles:coverage_data": Case(read=ORG_READERS),
        "circles:points": Case(read=STAFF),
        "circles:sites": Case(read=STAFF),
        "culture_circles_api_coverage_get_coverage": Case(read=ORG_READERS),
    }
)

# ----- 15-minute circles: siting (reads only: district officers anywhere, subdistrict officers in
# their area; the API is a POST because it takes a body, and changes nothing)
SITING = frozenset({"subdistrict", "district"})
CASES.update(
    {
        "circles:siting": [
            Case(read=SITING, read_out=DISTRICT),
            Case(read=SITING, read_out=DISTRICT, target="subdistrict",
                 query=lambda u: f"mode=fewest&unit={u.code}"),
        ],
        "culture_circles_api_siting_post_siting": Case(
            read=NOBODY, read_out=NOBODY, target="subdistrict", write=SITING,
            data=lambda w, side: {"unit": w.obj("subdistrict", side).code},
            note="reads only: allowed roles get the answer (or 422 for the world's unplaced homes)",
        ),
    }
)  # fmt: skip


# ----- 15-minute circles: the registry (创建/验收) and the public circle pages -----
def _circles_world(tree: dict[str, Any], objects: dict[str, Any], hidden: dict[str, list]) -> None:
    from culture.circles.registry import circle_create

    objects["circle_in"] = circle_create(actor=None, community=tree["c11"], name="矩阵文化圈甲")
    objects["circle_out"] = circle_create(actor=None, community=tree["c21"], name="矩阵文化圈乙")
    for role in ("anonymous", "resident", "venue", "community", "subdistrict"):
        hidden[role] = hidden[role] + ["矩阵文化圈乙"]
    for role in ("anonymous", "resident", "venue"):
        hidden[role] = hidden[role] + ["矩阵文化圈甲"]


def _circles_cases() -> dict[str, Case]:
    code = lambda c: {"code": c.code}  # noqa: E731
    # The open public venues and spaces within reach of a circle are listed by name, whoever
    # runs them (the world's venues stand at the centres of c11 and c21; the library's branches
    # of the world are public-welfare spaces there too).
    near = ("域内场馆甲", "越界场馆乙", "矩阵图书分馆in", "矩阵图书分馆out")
    public = dict(read=ALL, read_out=ALL, target="circle", kwargs=code,
                  shows=(*near, "矩阵文化圈甲", "矩阵文化圈乙"))  # fmt: skip
    post_only = dict(read=NOBODY, read_out=NOBODY, get_allowed=False)
    api = "culture_circles_api_registry_"
    return {
        "circles:circle_list": Case(read=STAFF),
        "circles:circle_create": Case(
            read=ORG_WRITERS, read_out=ORG_WRITERS, target="unit", write=ORG_WRITERS,
            data=lambda w, side: {"community": w.obj("unit", side).code}, rejects_in_form=True,
            note="c11 and c21 have their circle already: allowed roles get the form's error",
        ),
        "circles:circle_detail": Case(read=ORG_READERS, target="circle", kwargs=code),
        "circles:circle_edit": Case(
            changes=True, read=ORG_WRITERS, read_out=DISTRICT, target="circle", kwargs=code,
            write=ORG_WRITERS, data=lambda w, side: {"name": "矩阵改名文化圈"}, shows=near,
        ),
        "circles:circle_accept": Case(
            **post_only, target="circle", kwargs=code, write=DISTRICT,
            note="the world's circles lack everything: the district officer is told what",
        ),
        "circles:circle_reopen": Case(
            **post_only, target="circle", kwargs=code, write=DISTRICT,
            note="not accepted: the district officer is told there is nothing to reopen",
        ),
        "circles:circle_public": Case(**public),
        "circles:circle_qr_svg": Case(**public),
        "circles:circle_qr_png": Case(**public),
        "circles:circle_poster": Case(**public),
        f"{api}list_circles": Case(read=STAFF),
        f"{api}get_circle": Case(read=ORG_READERS, target="circle", kwargs=code),
        f"{api}circle_population": Case(read=STAFF),
    }  # fmt: skip


CASES.update(_circles_cases())


# ----- one-click booking, the residents' pages --------------------------------------------------
# "in": what can be booked (an activity with seats, a room with a booking rule) and the
# resident's own booking; "out": an activity / room that takes no bookings (404 for everybody)
# and another resident's booking (404: codes cannot be probed). Booking is for residents' accounts;
# finding and opening are public. Bookable things are public by design, whoever runs the venue.
RESIDENT = frozenset({"resident"})
BOOKING_HOURS = "Mo-Su 08:00-21:00"


def _booking_resident_world(
    tree: dict[str, Any], objects: dict[str, Any], users: dict[str, Any]
) -> None:
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from culture.booking.services import activity_book, room_rule_set, seats_set
    from culture.venues.services import room_add
    from culture.venues.tests.factories import venue

    place = venue(operator=tree["s1"], at=tree["c11"], code="V-BOOK", name_zh="矩阵预约文化站",
                  opening_hours=BOOKING_HOURS)  # fmt: skip
    day = timezone.localdate() + timedelta(days=3)
    tz = timezone.get_current_timezone()

    def bookable(title: str) -> Any:
        a = make_activity(tree["c11"], title=title, kind="lecture", venue=place,
                          start_at=datetime.combine(day, time(10), tzinfo=tz),
                          end_at=datetime.combine(day, time(11), tzinfo=tz))  # fmt: skip
        seats_set(actor=None, activity=a, capacity=5)
        return a

    objects["bookable_in"] = bookable("矩阵预约讲座")
    objects["bookable_out"] = make_activity(tree["c11"], title="矩阵不收预约的活动", venue=place)
    objects["bookroom_in"] = room_add(actor=None, venue=place, name="矩阵预约活动室", capacity=20)
    room_rule_set(actor=None, room=objects["bookroom_in"], advance_days=7)
    objects["bookroom_out"] = room_add(actor=None, venue=place, name="矩阵库房", capacity=3)
    booked = bookable("矩阵已约讲座")
    objects["booking_in"] = activity_book(user=users["resident"], activity=booked)
    objects["booking_out"] = activity_book(user=objects["resident_in"].user, activity=booked)


def _room_slot(world: World, side: str) -> dict[str, Any]:
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    day = timezone.localdate() + timedelta(days=1)
    start = datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone())
    return {"slot": start.isoformat(), "date": day.isoformat(), "people": "2",
            "idempotency_key": f"matrix-room-{side}"}  # fmt: skip


def _booking_resident_cases() -> dict[str, Case]:
    activity_id = lambda a: {"activity_id": a.pk}  # noqa: E731
    room_id = lambda r: {"room_id": r.pk}  # noqa: E731
    code = lambda b: {"code": b.code}  # noqa: E731
    shows = ("域内场馆甲", "越界场馆乙", "域内活动室", "越界活动室", "域内活动庚", "越界活动辛")
    public = dict(read=ALL, read_out=NOBODY, shows=shows)
    own = dict(read=RESIDENT, read_out=NOBODY, target="booking", kwargs=code)
    book = dict(read=NOBODY, read_out=NOBODY, get_allowed=False, write=RESIDENT,
                write_out=NOBODY, changes=True)  # fmt: skip
    return {
        "booking:find": Case(read=ALL, shows=shows),
        "booking:activity": Case(**public, target="bookable", kwargs=activity_id),
        "booking:activity_book": Case(
            **book, target="bookable", kwargs=activity_id,
            data=lambda w, side: {"idempotency_key": f"matrix-{side}"},
            note="staff accounts are refused: booking is for residents' accounts",
        ),
        "booking:room": Case(**public, target="bookroom", kwargs=room_id),
        "booking:room_book": Case(**book, target="bookroom", kwargs=room_id, data=_room_slot),
        "booking:mine": Case(read=SIGNED_IN),
        "booking:booking": Case(**own),
        "booking:booking_qr": Case(**own),
        "booking:booking_cancel": Case(
            **own, write=RESIDENT, write_out=NOBODY, changes=True,
            note="GET is the confirm step; POST cancels",
        ),
        "booking:messages": Case(read=SIGNED_IN),
        "booking:messages_read": Case(
            read=NOBODY, get_allowed=False, write=SIGNED_IN, own_state=True,
            note="marks the caller's own messages read",
        ),
    }  # fmt: skip


CASES.update(_booking_resident_cases())


# ----- one-click booking, the venue manager's pages (booking:manage_*) ---------------------------
# At venue_in and venue_out: an activity taking bookings with approval and a resident's pending
# seat in it (the residents' names are hidden: the manager's pages mask them), a room rule and a
# maintenance block a month ahead. A venue manager reaches the bound venue_in; staff their scope.
def _booking_manage_world(objects: dict[str, Any]) -> None:
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from culture.booking.services import activity_book, room_block_create, room_rule_set, seats_set

    day = timezone.localdate() + timedelta(days=3)
    start = datetime.combine(day, time(), tzinfo=timezone.get_current_timezone())
    for side in ("in", "out"):
        venue, room = objects[f"venue_{side}"], objects[f"room_{side}"]
        activity = make_activity(
            venue.operator_unit, venue=venue, kind="lecture",
            title=f"{'域内' if side == 'in' else '越界'}审核讲座",
            start_at=start + timedelta(hours=14), end_at=start + timedelta(hours=16),
        )  # fmt: skip
        seats_set(actor=None, activity=activity, capacity=20, needs_approval=True)
        objects[f"mgr_activity_{side}"] = activity
        objects[f"mgr_booking_{side}"] = activity_book(
            user=objects[f"resident_{side}"].user, activity=activity
        )
        room_rule_set(actor=None, room=room, slot_minutes=60)
        objects[f"mgr_block_{side}"] = room_block_create(
            actor=None, room=room, start_at=start + timedelta(days=30, hours=9),
            end_at=start + timedelta(days=30, hours=12), reason="矩阵维修",
        )[0]  # fmt: skip


def _manage_day_query(venue: Any) -> str:
    """The day of the venue's first booking (the page shows one day, today by default)."""
    from django.utils import timezone

    first = venue.bookings.order_by("start_at").first()
    return f"date={timezone.localtime(first.start_at).date()}" if first else ""


def _manage_block_times(world: World, side: str) -> dict[str, str]:
    from datetime import timedelta

    from django.utils import timezone

    day = timezone.localdate() + timedelta(days=10)
    return {"start_at": f"{day} 09:00", "end_at": f"{day} 11:00", "reason": "矩阵停用"}


def _booking_manage_cases() -> dict[str, Case]:
    venue = lambda v: {"venue_code": v.code}  # noqa: E731
    booking = lambda b: {"venue_code": b.venue.code, "code": b.code}  # noqa: E731
    room = lambda r: {"venue_code": r.venue.code, "room_id": r.pk}  # noqa: E731
    post_only = dict(read=NOBODY, read_out=NOBODY, get_allowed=False, write=VENUE_WRITERS)
    readers = dict(read=VENUE_READERS, target="venue", kwargs=venue)
    editors = dict(read=VENUE_WRITERS, read_out=DISTRICT, write=VENUE_WRITERS)
    return {
        "booking:manage_home": Case(read=STAFF),
        "booking:manage_day": Case(**readers, query=_manage_day_query),
        "booking:manage_approvals": Case(**readers),
        "booking:manage_rooms": Case(**readers),
        "booking:manage_activities": Case(**readers),
        "booking:manage_checkin": Case(
            **editors, target="venue", kwargs=venue,
            data=lambda w, side: {"token": w.obj("mgr_booking", side).code},
            note="the seat is in three days: allowed roles are told it is not today's (422)",
        ),
        "booking:manage_approve": Case(
            **post_only, changes=True, target="mgr_booking", kwargs=booking,
        ),
        "booking:manage_reject": Case(
            **post_only, changes=True, target="mgr_booking", kwargs=booking,
            data=lambda w, side: {"reason": "矩阵驳回"},
        ),
        "booking:manage_cancel": Case(
            **post_only, target="mgr_booking", kwargs=booking,
            data=lambda w, side: {"reason": "矩阵取消"},
            note="a pending booking is rejected, not cancelled: allowed roles are told so",
        ),
        "booking:manage_no_show": Case(
            **post_only, target="mgr_booking", kwargs=booking,
            note="not started yet: allowed roles are told so, nothing changes",
        ),
        "booking:manage_room_rule": Case(
            **editors, changes=True, target="room", kwargs=room,
            data=lambda w, side: {"enabled": "on", "slot_minutes": "30", "max_slots": "2",
                                  "advance_days": "7", "per_person_limit": "2",
                                  "cancel_deadline_hours": "2"},
        ),
        "booking:manage_room_block": Case(
            **editors, changes=True, target="room", kwargs=room, data=_manage_block_times,
        ),
        "booking:manage_block_delete": Case(
            **post_only, changes=True, target="mgr_block",
            kwargs=lambda b: {"venue_code": b.room.venue.code, "block_id": b.pk},
        ),
        "booking:manage_seats": Case(
            **editors, changes=True, target="mgr_activity",
            kwargs=lambda a: {"venue_code": a.venue.code, "activity_id": a.pk},
            data=lambda w, side: {"capacity": "30", "waitlist_enabled": "on",
                                  "cancel_deadline_hours": "2"},
        ),
    }  # fmt: skip


CASES.update(_booking_manage_cases())


# ----- one-click booking, the JSON API (/api/booking/) ------------------------------------------
# Bookable things are public to every signed-in caller, with their venue's name; booking is for
# residents' accounts; a booking is cancelled by its holder or by staff who may write its venue
# ("in": the resident's own at the residents' world's venue, run by s1; "out": another
# resident's at venue_out, which only the district reaches).
def _booking_api_world(
    tree: dict[str, Any], objects: dict[str, Any], users: dict[str, Any]
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from culture.booking.services import activity_book, seats_set

    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=3)
    for side, venue, holder in (
        ("in", objects["bookable_in"].venue, users["resident"]),
        ("out", objects["venue_out"], objects["resident_out"].user),
    ):
        a = make_activity(
            venue.operator_unit,
            title=f"矩阵接口讲座{side}",
            kind="lecture",
            venue=venue,
            start_at=start,
            end_at=start + timedelta(hours=1),
        )
        seats_set(actor=None, activity=a, capacity=5)
        objects[f"deskbooking_{side}"] = activity_book(user=holder, activity=a)
        objects[f"deskvenue_{side}"] = venue


def _booking_api_cases() -> dict[str, Case]:
    api = "culture_booking_api_"
    shows = ("域内场馆甲", "越界场馆乙")  # bookable activities are public with their venue
    book = dict(read=NOBODY, read_out=NOBODY, write=RESIDENT, write_out=NOBODY, changes=True)

    def room_body(w: World, side: str) -> dict[str, Any]:
        from datetime import datetime, time, timedelta

        from django.utils import timezone

        day = timezone.localdate() + timedelta(days=2)
        tz = timezone.get_current_timezone()
        return {"start_at": datetime.combine(day, time(10), tzinfo=tz).isoformat(),
                "end_at": datetime.combine(day, time(11), tzinfo=tz).isoformat()}  # fmt: skip

    return {
        f"{api}list_activities": Case(read=SIGNED_IN, shows=shows),
        f"{api}room_slots": Case(
            read=SIGNED_IN, read_out=NOBODY, target="bookroom",
            kwargs=lambda r: {"room_id": r.pk},
            note="out: a room that takes no bookings (404 for everybody)",
        ),
        f"{api}book_activity": Case(
            **book, target="bookable", kwargs=lambda a: {"activity_id": a.pk},
            note="staff accounts are refused: booking is for residents' accounts",
        ),
        f"{api}book_room": Case(
            **book, target="bookroom", kwargs=lambda r: {"room_id": r.pk}, data=room_body
        ),
        f"{api}my_bookings": Case(read=SIGNED_IN, shows=shows),
        f"{api}cancel_booking": Case(
            read=NOBODY, changes=True, target="deskbooking", kwargs=lambda b: {"code": b.code},
            write=frozenset({"resident", "subdistrict", "district"}),
            data=lambda w, side: {"reason": "矩阵取消"}, shows=shows,
            note="the venue manager is bound to venue_in, not to this venue",
        ),
        f"{api}check_in": Case(
            read=NOBODY, target="deskvenue", kwargs=lambda v: {"venue_code": v.code},
            write=frozenset({"subdistrict", "district"}),
            data=lambda w, side: {"token": w.obj("deskbooking", side).code},
            note="the desk bookings are days ahead: allowed roles get 422 wrong_day",
        ),
    }  # fmt: skip


CASES.update(_booking_api_cases())


# ----- the library, the JSON API (/api/library/) ---------------------------------------------
# A library branch run by s1 in c11 ("in") and one run by s2 in c21 ("out"), each with a copy on
# the shelf and a copy lent (to the resident at "in", to the out-of-scope resident at "out").
# The desk is worked by staff who may write the branch (its operator's officers, the district).
LIBRARY_DESK = frozenset({"subdistrict", "district"})


def _library_api_world(
    tree: dict[str, Any], objects: dict[str, Any], hidden: dict[str, list]
) -> None:
    from types import SimpleNamespace

    from culture.library.models import Copy, Title
    from culture.library.services import delivery_place, hold_place, loan_checkout
    from culture.venues.tests.factories import venue

    book = Title.objects.create(title="矩阵馆藏书目", source_id="MATRIX-T1")
    for side, unit, at, card in (
        ("in", tree["s1"], tree["c11"], RESIDENT_ID),
        ("out", tree["s2"], tree["c21"], OUT_RESIDENT_ID),
    ):
        branch = venue(operator=unit, at=at, kind="branch_library", code=f"L-{side.upper()}",
                       name_zh=f"矩阵图书分馆{side}")  # fmt: skip
        objects[f"libdesk_{side}"] = branch
        for barcode in (f"MX-{side.upper()}", f"MXR-{side.upper()}"):
            Copy.objects.create(title=book, barcode=barcode, home_branch=branch,
                                current_branch=branch)  # fmt: skip
        loan = loan_checkout(actor=None, branch=branch, card=card, barcode=f"MXR-{side.upper()}")
        objects[f"apiloan_{side}"] = loan
        holder = loan.reader
        queued = Title.objects.create(title=f"矩阵排队书目{side}", source_id=f"MATRIX-Q-{side}")
        Copy.objects.create(title=queued, barcode=f"MXQ-{side.upper()}", home_branch=branch,
                            current_branch=branch, status="on_loan")  # fmt: skip
        objects[f"apihold_{side}"] = hold_place(reader=holder, title=queued, pickup_branch=branch)
        ordered = Title.objects.create(title=f"矩阵订单书目{side}", source_id=f"MATRIX-O-{side}")
        Copy.objects.create(title=ordered, barcode=f"MXO-{side.upper()}", home_branch=branch,
                            current_branch=branch)  # fmt: skip
        objects[f"apiorder_{side}"] = delivery_place(reader=holder, title=ordered,
                                                     pickup_branch=branch)  # fmt: skip
    objects["apititle_in"] = book
    objects["apititle_out"] = SimpleNamespace(pk=987654321)  # no such title: 404 for everybody
    for role in ("venue", "community", "subdistrict"):
        hidden[role].append("矩阵图书分馆out")


def _library_api_cases() -> dict[str, Case]:
    api = "culture_library_api_"
    desk = dict(read=NOBODY, read_out=NOBODY, target="libdesk", changes=True,
                kwargs=lambda v: {"venue_code": v.code}, write=LIBRARY_DESK)  # fmt: skip
    resident_post = dict(read=NOBODY, read_out=NOBODY, write=RESIDENT, write_out=NOBODY,
                         changes=True)  # fmt: skip
    title_id = lambda t: {"title_id": t.pk}  # noqa: E731
    return {
        f"{api}desk_checkout": Case(
            **desk,
            data=lambda w, side: {"card": RESIDENT_ID, "barcode": f"MX-{side.upper()}"},
            note="the resident's card, a copy on the shelf of the branch",
        ),
        f"{api}desk_return": Case(
            **desk, data=lambda w, side: {"barcode": f"MXR-{side.upper()}"},
            note="a copy lent at the branch",
        ),
        f"{api}search_titles": Case(
            read=SIGNED_IN, query="q=%E7%9F%A9%E9%98%B5",
            shows=("矩阵图书分馆in", "矩阵图书分馆out", "矩阵借阅分馆"),
            note="the catalogue and where its copies stand are public to every signed-in caller",
        ),
        f"{api}title_detail": Case(
            read=SIGNED_IN, read_out=NOBODY, target="apititle", kwargs=title_id,
            shows=("矩阵图书分馆in", "矩阵图书分馆out"),
            note="where a title's copies stand is public; out: no such title (404)",
        ),
        f"{api}my_loans": Case(read=SIGNED_IN, note="the caller's own; empty for staff accounts"),
        f"{api}my_holds": Case(read=SIGNED_IN, note="the caller's own; empty for staff accounts"),
        f"{api}my_orders": Case(read=SIGNED_IN, note="the caller's own; empty for staff accounts"),
        f"{api}borrow_title": Case(
            **resident_post, target="apititle", kwargs=title_id,
            data=lambda w, side: {"pickup_branch": "L-IN"},
            note="staff accounts are refused (403): borrowing is for residents' accounts; out: "
            "no such title (404 for everybody)",
        ),
        f"{api}hold_title": Case(
            **resident_post, target="apititle", kwargs=title_id,
            data=lambda w, side: {"pickup_branch": "L-IN"},
        ),
        f"{api}renew_loan": Case(
            **resident_post, target="apiloan", kwargs=lambda loan: {"loan_id": loan.pk},
            note="out: another resident's loan (404: ids cannot be probed)",
        ),
        f"{api}cancel_hold": Case(
            **resident_post, target="apihold", kwargs=lambda h: {"hold_id": h.pk},
        ),
        f"{api}cancel_order": Case(
            **resident_post, target="apiorder", kwargs=lambda o: {"order_id": o.pk},
        ),
    }  # fmt: skip


CASES.update(_library_api_cases())


# ----- the library, the residents' pages (library:search ... library:order_cancel) ----------
# Searching and opening titles are public (branches and their books are public by design, like
# the bookable venues); borrowing, holds and one's loans are for residents' accounts. "in": a
# title with a copy on the shelf, a title with none free (the queue), the resident's own loan,
# hold and order; "out": a title id that does not exist (404 for everybody) and another
# resident's loan, hold and order (404: ids cannot be probed).
LIBRARY_SHOWS = ("域内场馆甲", "越界场馆乙", "矩阵图书分馆in", "矩阵图书分馆out")


def _library_resident_world(tree: dict[str, Any], objects: dict[str, Any]) -> None:
    from types import SimpleNamespace

    from culture.library.models import Copy, CopyStatus
    from culture.library.services import (
        delivery_place,
        hold_place,
        loan_checkout,
        reader_for_card,
        title_upsert,
    )
    from culture.venues.tests.factories import venue

    branch = venue(operator=tree["s1"], at=tree["c11"], kind="branch_library", code="L-RES",
                   name_zh="矩阵借阅分馆")  # fmt: skip

    def book(name: str, barcodes: tuple[str, ...], status: str = CopyStatus.AVAILABLE) -> Any:
        made = title_upsert(actor=None, source_id=f"MX-{barcodes[0]}", title=name)[0]
        for barcode in barcodes:
            Copy.objects.create(title=made, barcode=barcode, home_branch=branch,
                                current_branch=branch, status=status)  # fmt: skip
        return made

    me, them = reader_for_card(card=RESIDENT_ID), reader_for_card(card=OTHER_RESIDENT_ID)
    missing = SimpleNamespace(pk=987654321)
    objects["libtitle_in"], objects["libtitle_out"] = book("矩阵可借书目", ("MXB-1",)), missing
    objects["libqueue_in"] = book("矩阵排队书目", ("MXB-2",), CopyStatus.ON_LOAN)
    objects["libqueue_out"] = missing
    book("矩阵在借书目", ("MXB-3", "MXB-4"))
    objects["libloan_in"] = loan_checkout(actor=None, branch=branch, card=RESIDENT_ID,
                                          barcode="MXB-3")  # fmt: skip
    objects["libloan_out"] = loan_checkout(actor=None, branch=branch, card=OTHER_RESIDENT_ID,
                                           barcode="MXB-4")  # fmt: skip
    held = book("矩阵已排队书目", ("MXB-5",), CopyStatus.ON_LOAN)
    objects["libhold_in"] = hold_place(reader=me, title=held, pickup_branch=branch)
    objects["libhold_out"] = hold_place(reader=them, title=held, pickup_branch=branch)
    ordered = book("矩阵已借阅书目", ("MXB-6", "MXB-7"))
    objects["liborder_in"] = delivery_place(reader=me, title=ordered, pickup_branch=branch)
    objects["liborder_out"] = delivery_place(reader=them, title=ordered, pickup_branch=branch)


def _library_resident_cases() -> dict[str, Case]:
    title_id = lambda t: {"title_id": t.pk}  # noqa: E731
    post = dict(read=NOBODY, read_out=NOBODY, get_allowed=False, write=RESIDENT,
                write_out=NOBODY, changes=True)  # fmt: skip
    own = dict(read=RESIDENT, read_out=NOBODY, write=RESIDENT, write_out=NOBODY, changes=True)
    return {
        "library:search": Case(read=ALL, query="q=%E7%9F%A9%E9%98%B5", shows=LIBRARY_SHOWS),
        "library:title": Case(read=ALL, read_out=NOBODY, target="libtitle", kwargs=title_id,
                              shows=LIBRARY_SHOWS),
        "library:title_borrow": Case(
            **post, target="libtitle", kwargs=title_id,
            data=lambda w, side: {"where": "L-RES"},
            note="staff accounts are refused (403): borrowing is for residents' accounts",
        ),
        "library:title_hold": Case(**post, target="libqueue", kwargs=title_id,
                                   data=lambda w, side: {"pickup": "L-RES"}),
        "library:mine": Case(read=SIGNED_IN, shows=LIBRARY_SHOWS),
        "library:history": Case(read=SIGNED_IN),
        "library:loan_renew": Case(**post, target="libloan",
                                   kwargs=lambda loan: {"loan_id": loan.pk}),
        "library:hold_cancel": Case(
            **own, target="libhold", kwargs=lambda h: {"hold_id": h.pk},
            note="GET is the confirm step; POST cancels",
        ),
        "library:order_cancel": Case(
            **own, target="liborder", kwargs=lambda o: {"order_id": o.pk},
            note="GET is the confirm step; POST cancels (while placed)",
        ),
    }  # fmt: skip


CASES.update(_library_resident_cases())


# ----- the library, the staff pages (library:manage_home, library:desk ... library:batches) -----
# On the API's branches L-IN (s1) and L-OUT (s2): a copy in transit to each (to receive), and the
# district library (run by the district) for the books-to-the-grassroots batches ("out": L-IN,
# which has no such page: 404 for everybody). The lists are read by those who may see the branch
# (evaluators included); the desk and every POST by its desk staff. Library branch names are
# public (LIBRARY_SHOWS: the residents' search shows them; the venues V-IN and V-OUT are city
# bookrooms, a library kind), and the transfer and batch forms list every library branch.
LIBRARY_READERS = frozenset({"subdistrict", "district", "evaluator"})


def _library_manage_world(tree: dict[str, Any], objects: dict[str, Any]) -> None:
    from culture.library.models import Copy, Title
    from culture.library.services.common import transfer_send
    from culture.venues.tests.factories import venue

    moving = Title.objects.create(title="矩阵调拨书目", source_id="MATRIX-TR")
    for side, there in (("in", "out"), ("out", "in")):
        here, origin = objects[f"libdesk_{side}"], objects[f"libdesk_{there}"]
        copy = Copy.objects.create(title=moving, barcode=f"MXT-{side.upper()}",
                                   home_branch=origin, current_branch=origin)  # fmt: skip
        transfer_send(copy=copy, to_branch=here, reason="rebalance", now=copy.created_at)
    objects["libdistrict_in"] = venue(operator=tree["district"], at=tree["c11"], kind="library",
                                      code="L-DIST", name_zh="矩阵区图书馆")  # fmt: skip
    objects["libdistrict_out"] = objects["libdesk_in"]


def _desk_checkout_data(w: World, side: str) -> dict[str, Any]:
    from culture.library.services import reader_for_card
    from culture.library.views.manage.desk import reader_token

    branch = w.obj("libdesk", side)
    return {"scan": f"MX-{side.upper()}",
            "reader": reader_token(reader_for_card(card=RESIDENT_ID), branch)}  # fmt: skip


def _desk_reader_data(w: World, side: str) -> dict[str, Any]:
    data = _desk_checkout_data(w, side)
    return {"reader": data["reader"], "blocked_until": "2099-01-01", "reason": f"矩阵{side}"}


def _library_manage_cases() -> dict[str, Case]:
    from django.utils import timezone

    branch = lambda v: {"venue_code": v.code}  # noqa: E731
    order = lambda o: {"venue_code": o.from_branch.code, "order_id": o.pk}  # noqa: E731
    lists = dict(read=LIBRARY_READERS, target="libdesk", kwargs=branch, shows=LIBRARY_SHOWS)
    post = dict(read=NOBODY, read_out=NOBODY, get_allowed=False, write=LIBRARY_DESK,
                changes=True)  # fmt: skip
    return {
        "library:manage_home": Case(read=STAFF, note="desk staff: their branches; read-only "
                                    "roles: the branches they may see; others: an empty list"),
        "library:desk": Case(read=LIBRARY_DESK, read_out=DISTRICT, target="libdesk",
                             kwargs=branch),
        "library:desk_checkout": Case(
            **post, target="libdesk", kwargs=branch, data=_desk_checkout_data,
            note="the resident chosen by their card (signed token), a copy on the shelf",
        ),
        "library:desk_return": Case(
            **post, target="libdesk", kwargs=branch,
            data=lambda w, side: {"scan": f"MXR-{side.upper()}"},
        ),
        "library:desk_reader": Case(
            **post, target="libdesk", kwargs=branch, data=_desk_reader_data,
            note="the reader chosen by their card (signed token) suspended, with a reason",
        ),
        "library:deliveries": Case(**lists),
        "library:delivery_advance": Case(
            **post, target="apiorder", kwargs=order,
            data=lambda w, side: {"barcode": f"MXO-{side.upper()}"},
            note="placed -> picked at the sending branch, the reserved copy scanned",
        ),
        "library:delivery_cancel": Case(
            **post, target="apiorder", kwargs=order, data=lambda w, side: {"reason": "矩阵取消"},
        ),
        "library:transfers": Case(**lists),
        "library:transfer_send": Case(
            **post, target="libdesk", kwargs=branch,
            data=lambda w, side: {"barcode": f"MX-{side.upper()}",
                                  "to_branch": "L-OUT" if side == "in" else "L-IN"},
        ),
        "library:transfer_receive": Case(
            **post, target="libdesk", kwargs=branch,
            data=lambda w, side: {"barcode": f"MXT-{side.upper()}"},
        ),
        "library:write_off_page": Case(**lists),
        "library:write_off": Case(
            **post, target="libdesk", kwargs=branch,
            data=lambda w, side: {"barcode": f"MX-{side.upper()}", "status": "withdrawn",
                                  "reason": "矩阵剔旧"},
            note="a copy of the branch on its shelf written off (剔旧)",
        ),
        "library:hold_shelf": Case(**lists),
        "library:overdue": Case(**lists),
        "library:batches": Case(
            read=DISTRICT_WIDE, read_out=NOBODY, target="libdistrict", kwargs=branch,
            write=DISTRICT, write_out=NOBODY, changes=True, shows=LIBRARY_SHOWS,
            data=lambda w, side: {"to_branch": "L-IN", "books": "12",
                                  "sent_on": timezone.localdate().isoformat()},
            note="the district library only; out: a branch, which has no batches page (404)",
        ),
    }  # fmt: skip


CASES.update(_library_manage_cases())


def cases_of(key: str) -> list[Case]:
    """The cases of ``key`` (none for an undeclared page: test_every_page_... reports it)."""
    value = CASES.get(key, [])
    return value if isinstance(value, list) else [value]


# Deliberately not in the matrix, with the reason.
SKIPPED_NAMESPACES = {
    "admin": "Django admin: its own gate (superusers and district officers) is tested in "
    "test_security.py",
    "api": "ninja's URL patterns: every operation is walked through the OpenAPI document; the "
    "public docs and schema are tested in test_api_base.py",
}
SKIPPED_PATTERNS = {
    "media": "uploaded files are served by the web server in production (DEBUG-only route)",
    "static": "static files (DEBUG-only route)",
}


# ----- discovery ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    key: str  # URL name (namespaced) or operationId
    kind: str  # "page" | "api"
    route: str  # the route pattern or the OpenAPI path
    method: str = "GET"


def _walk(resolver: URLResolver, namespace: tuple[str, ...], prefix: str) -> Iterator[Endpoint]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace + ((entry.namespace,) if entry.namespace else ())
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            yield from _walk(entry, ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if any(route.lstrip("^").startswith(skip) for skip in SKIPPED_PATTERNS):
                continue
            key = ":".join((*namespace, entry.name)) if entry.name else f"<unnamed {route}>"
            yield Endpoint(key=key, kind="page", route=route)


def page_endpoints() -> list[Endpoint]:
    return list(_walk(get_resolver(), (), "/"))


def api_endpoints() -> list[Endpoint]:
    schema = api.get_openapi_schema()
    found = []
    for path_, operations in schema["paths"].items():
        for method, operation in operations.items():
            found.append(
                Endpoint(
                    key=operation["operationId"], kind="api", route=path_, method=method.upper()
                )
            )
    return found


ENDPOINTS = {e.key: e for e in page_endpoints() + api_endpoints()}


def endpoint_url(endpoint: Endpoint, case: Case, obj: Any) -> str:
    kwargs = case.kwargs(obj)
    if endpoint.kind == "page":
        url = reverse(endpoint.key, kwargs=kwargs)
    else:
        url = endpoint.route.format(**kwargs)
    query = case.url_query(obj)
    return url + (f"?{query}" if query else "")


def sides(case: Case) -> list[str | None]:
    return ["in", "out"] if case.target else [None]


def target_of(world: World, case: Case, side: str | None) -> Any:
    return world.obj(case.target, side) if case.target and side else None


# ----- response helpers -----------------------------------------------------------------------------


def body_text(response: Any) -> str:
    """Everything a reader of the response would see: HTML unescaped, JSON with non-ASCII kept,
    xlsx cells read back with openpyxl, CSV decoded."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    ctype = response.get("Content-Type", "")
    if raw[:2] == b"PK" or "spreadsheetml" in ctype:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(raw), read_only=True)
        cells = [
            str(v)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for v in row
            if v is not None
        ]
        return "\n".join(cells)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = raw.decode("latin-1")
    if "json" in ctype:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return html.unescape(text)


def call(client: Client, endpoint: Endpoint, method: str, url: str, data: dict | None) -> Any:
    if endpoint.kind == "api":
        if method == "GET":
            return client.get(url)
        return client.generic(method, url, json.dumps(data or {}), content_type="application/json")
    if method == "GET":
        return client.get(url)
    return client.post(url, data or {})


EXEMPT_TABLES = ("django_session", "axes_", "core_auditentry")


def fingerprint() -> dict[str, list[tuple]]:
    """Every row of every table the application owns (sessions, axes and the audit log left out)."""
    state = {}
    for model in apps.get_models():
        table = model._meta.db_table
        if model._meta.proxy or table.startswith(EXEMPT_TABLES) or not model._meta.managed:
            continue
        state[table] = list(model._default_manager.order_by("pk").values_list())
    return state


def assert_refused(role: str, endpoint: Endpoint, response: Any, what: str) -> None:
    status = response.status_code
    if role == "anonymous":
        if endpoint.kind == "api":
            assert status == 401, f"{what}: anonymous API call answered {status}, expected 401"
        else:
            login = reverse(settings.LOGIN_URL)
            assert status in (302, 403, 404, 405), f"{what}: anonymous got {status}"
            if status == 302:
                assert response["Location"].startswith(login), (
                    f"{what}: anonymous redirected to {response['Location']}, not the sign-in page"
                )
        return
    assert status in (403, 404, 405), f"{what}: {role} got {status}, expected 403/404"


def assert_no_leak(
    world: World, role: str, response: Any, what: str, shows: tuple[str, ...] = ()
) -> None:
    text = body_text(response)
    leaked = [name for name in world.hidden[role] if name in text and name not in shows]
    assert not leaked, f"{what}: {role} sees {leaked}"


# ----- the tests --------------------------------------------------------------------------------------


def test_every_page_and_operation_is_declared():
    undeclared = sorted(set(ENDPOINTS) - set(CASES))
    stale = sorted(set(CASES) - set(ENDPOINTS))
    assert not undeclared, (
        f"pages/operations without an access-matrix entry: {undeclared}; declare each in CASES "
        "(culture/core/tests/test_access_matrix.py): who reads, who writes, in and out of scope"
    )
    assert not stale, f"CASES entries for pages/operations that no longer exist: {stale}"


def test_every_exporter_and_importer_is_declared():
    assert set(EXPORTERS) == set(EXPORT_READERS), "declare who may export in EXPORT_READERS"
    assert set(IMPORTERS) == set(IMPORT_WRITERS), "declare who may import in IMPORT_WRITERS"


def test_no_role_but_district_officers_writes_outside_its_scope_and_evaluators_never_write():
    for key, case in ((k, c) for k in CASES for c in cases_of(k)):
        if case.write is None or case.own_state:
            continue
        assert "evaluator" not in case.write, key
        assert "anonymous" not in case.write, key
        assert case.write_out <= DISTRICT, key


# One test per declared entry (page or operation, and its case), every role inside it: the world
# is built once per entry instead of once per role (seven times fewer builds; the world's
# construction is most of the matrix's time). A failing role does not hide the others: each
# role's failure is collected and the test reports them all.
MATRIX = [
    pytest.param(key, index, id=f"{key}-{index}")
    for key in sorted(set(CASES) & set(ENDPOINTS))
    for index in range(len(cases_of(key)))
]
# An API operation is one method: GET operations are read, the others written. (Another method
# on the same path is its own operation with its own entry.)
READ_MATRIX = [p for p in MATRIX if ENDPOINTS[p.values[0]].method == "GET"]
WRITE_MATRIX = [
    p
    for p in MATRIX
    if ENDPOINTS[p.values[0]].kind == "page" or ENDPOINTS[p.values[0]].method != "GET"
]


def each_role(check: Callable[[str], None], *, rollback: bool) -> None:
    """Run ``check(role)`` for every role and fail with every role's failure. With
    ``rollback``, what a role's requests wrote is rolled back (a savepoint) before the next."""
    failures = []
    for role in ROLES:
        savepoint = transaction.savepoint() if rollback else None
        try:
            check(role)
        except AssertionError as exc:
            failures.append(f"[{role}] {exc}")
        finally:
            if savepoint is not None:
                transaction.savepoint_rollback(savepoint)
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("key,index", READ_MATRIX)
def test_read(world, key, index):
    each_role(lambda role: read_as(world, key, index, role), rollback=False)


def read_as(world: World, key: str, index: int, role: str) -> None:
    endpoint, case = ENDPOINTS[key], cases_of(key)[index]
    client = client_for(world, role)
    for side in sides(case):
        url = endpoint_url(endpoint, case, target_of(world, case, side))
        what = f"GET {url} ({key}, {side or 'no object'})"
        before = fingerprint()
        response = client.get(url)
        assert fingerprint() == before, f"{what} changed the database for {role}"
        assert response.status_code < 500, f"{what}: {response.status_code} for {role}"
        if not case.get_allowed:
            if role == "anonymous" and response.status_code == 302:
                assert_refused(role, endpoint, response, what)  # sign-in comes first
                continue
            assert response.status_code == 405, f"{what}: expected 405, got {response.status_code}"
            continue
        allowed = role in (case.read_out if side == "out" else case.read)
        if allowed:
            assert response.status_code in case.ok, (
                f"{what}: {role} got {response.status_code}, expected {case.ok}"
            )
        else:
            assert_refused(role, endpoint, response, what)
        if response.status_code == 200:
            assert_no_leak(world, role, response, what, case.shows)


@pytest.mark.django_db
@pytest.mark.parametrize("key,index", WRITE_MATRIX)
def test_write(world, key, index):
    each_role(lambda role: write_as(world, key, index, role), rollback=True)


def write_as(world: World, key: str, index: int, role: str) -> None:
    endpoint, case = ENDPOINTS[key], cases_of(key)[index]
    method = endpoint.method if endpoint.kind == "api" else "POST"
    for side in sides(case):
        client = client_for(world, role)
        url = endpoint_url(endpoint, case, target_of(world, case, side))
        what = f"{method} {url} ({key}, {side or 'no object'})"
        data = case.data(world, side or "in") if case.data else {}
        before = fingerprint()
        response = call(client, endpoint, method, url, data)
        assert response.status_code < 500, f"{what}: {response.status_code} for {role}"
        if case.write is None:
            assert fingerprint() == before, f"{what} changed the database for {role}"
            if endpoint.kind == "api":
                assert response.status_code in (401, 403, 404, 405), what
            elif role == "anonymous" and response.status_code == 302:
                assert_refused(role, endpoint, response, what)
            continue
        allowed = role in (case.write_out if side == "out" else case.write)
        if allowed:
            assert response.status_code not in (401, 403, 404, 405), (
                f"{what}: {role} was refused ({response.status_code})"
            )
            if case.changes:
                assert fingerprint() != before, f"{what}: {role} was allowed but nothing changed"
        else:
            if not (case.rejects_in_form and response.status_code in (200, 422)):
                assert_refused(role, endpoint, response, what)
            if not case.own_state:
                assert fingerprint() == before, f"{what}: refused but changed the database"
        if response.status_code == 200:
            assert_no_leak(world, role, response, what, case.shows)
