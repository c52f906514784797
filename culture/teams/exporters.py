"""Spreadsheet exports of teams, organisations, culture households and talents, and residential
developments: the importers' columns, rows from the scoped selectors, so an export re-imports.
Phone numbers are exported masked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from culture.org.selectors_developments import development_list
from culture.spreadsheets.framework import Exporter, register_exporter
from culture.teams import selectors
from culture.teams.importers import (
    DEVELOPMENT_COLUMNS,
    HOUSEHOLD_COLUMNS,
    ORGANISATION_COLUMNS,
    TALENT_COLUMNS,
    TEAM_COLUMNS,
)
from culture.teams.services import format_members


@register_exporter
class TeamExporter(Exporter):
    name = "teams"
    title_zh = "文艺团队"
    title_en = "Cultural teams"
    columns = TEAM_COLUMNS

    def rows(self, *, viewer: Any, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        for t in selectors.team_list(viewer=viewer, filters=filters).iterator(chunk_size=2000):
            yield {
                "code": t.code,
                "name": t.name,
                "kind": t.kind,
                "org_unit": t.org_unit.code,
                "members_count": t.members_count,
                "leader_name": t.leader_name,
                "rehearsal_venue": t.rehearsal_venue.code if t.rehearsal_venue else "",
                "rehearsal_place": t.rehearsal_place,
                "founded_on": t.founded_on,
                "is_active": t.is_active,
                "last_active_on": t.last_active_on,
                "members": format_members(t.members or []),
            }


@register_exporter
class OrganisationExporter(Exporter):
    name = "organisations"
    title_zh = "文化组织与合作伙伴"
    title_en = "Cultural organisations and partners"
    columns = ORGANISATION_COLUMNS

    def rows(self, *, viewer: Any, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        qs = selectors.organisation_list(viewer=viewer, filters=filters)
        for o in qs.iterator(chunk_size=2000):
            yield {
                "code": o.code,
                "name": o.name,
                "kind": o.kind,
                "org_unit": o.org_unit.code,
                "contact_name": o.contact_name,
                "phone": o.phone_masked,
                "address": o.address,
                "is_active": o.is_active,
            }


class _PeopleExporter(Exporter):
    def select(self, viewer: Any, filters: dict[str, Any]) -> Any:
        raise NotImplementedError

    def rows(self, *, viewer: Any, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        for p in self.select(viewer, filters).iterator(chunk_size=2000):
            yield {
                "code": p.code,
                "name": p.name,
                "community": p.community.code,
                "speciality": p.speciality,
                "is_active": p.is_active,
            }


@register_exporter
class HouseholdExporter(_PeopleExporter):
    name = "culture_households"
    title_zh = "文化示范户"
    title_en = "Culture households"
    columns = HOUSEHOLD_COLUMNS

    def select(self, viewer: Any, filters: dict[str, Any]) -> Any:
        return selectors.household_list(viewer=viewer, filters=filters)


@register_exporter
class TalentExporter(_PeopleExporter):
    name = "culture_talents"
    title_zh = "社区文化能人"
    title_en = "Culture talents"
    columns = TALENT_COLUMNS

    def select(self, viewer: Any, filters: dict[str, Any]) -> Any:
        return selectors.talent_list(viewer=viewer, filters=filters)


@register_exporter
class DevelopmentExporter(Exporter):
    name = "developments"
    title_zh = "新建住宅小区与未来社区"
    title_en = "Residential developments"
    columns = DEVELOPMENT_COLUMNS

    def rows(self, *, viewer: Any, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        for d in development_list(viewer=viewer, filters=filters).iterator(chunk_size=2000):
            yield {
                "code": d.code,
                "name": d.name,
                "community": d.community.code,
                "population": d.population,
                "indoor_fitness_m2": d.indoor_fitness_m2,
                "outdoor_fitness_m2": d.outdoor_fitness_m2,
                "culture_space_m2": d.culture_space_m2,
                "is_future_community": d.is_future_community,
                "completion_year": d.completion_year,
            }
