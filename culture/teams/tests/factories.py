"""Test data built through the services (validated and audited like real data)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from culture.org.models import OrgUnit, ResidentialDevelopment
from culture.org.services import development_upsert
from culture.teams.models import CulturalOrganisation, CulturalTeam, CultureHousehold
from culture.teams.services import culture_household_upsert, organisation_upsert, team_upsert


def team(code: str, unit: OrgUnit, *, kind: str = "choir", **kwargs: Any) -> CulturalTeam:
    values: dict[str, Any] = {
        "name": f"{unit.name_zh}{code}团",
        "members_count": 20,
        "leader_name": "领队甲",
        "founded_on": date(2015, 3, 1),
        "last_active_on": None,
    }
    values.update(kwargs)
    obj, _status = team_upsert(actor=None, code=code, kind=kind, org_unit=unit, **values)
    return obj


def organisation(code: str, unit: OrgUnit, **kwargs: Any) -> CulturalOrganisation:
    values: dict[str, Any] = {"name": f"{code}文化组织", "kind": "social_organisation"}
    values.update(kwargs)
    obj, _status = organisation_upsert(actor=None, code=code, org_unit=unit, **values)
    return obj


def household(code: str, community: OrgUnit, **kwargs: Any) -> CultureHousehold:
    values: dict[str, Any] = {"name": f"{code}家", "speciality": "书法"}
    values.update(kwargs)
    obj, _status = culture_household_upsert(actor=None, code=code, community=community, **values)
    return obj


def development(code: str, community: OrgUnit, **kwargs: Any) -> ResidentialDevelopment:
    values: dict[str, Any] = {
        "name": f"{code}小区",
        "population": 2000,
        "indoor_fitness_m2": Decimal("250"),
        "outdoor_fitness_m2": Decimal("400"),
        "culture_space_m2": Decimal("300"),
    }
    values.update(kwargs)
    obj, _status = development_upsert(actor=None, code=code, community=community, **values)
    return obj
