from __future__ import annotations

import factory

from culture.org.models import OrgLevel, OrgUnit
from culture.org.services import org_unit_create


def district() -> OrgUnit:
    existing = OrgUnit.objects.filter(code="330105").first()
    return existing or org_unit_create(
        actor=None,
        code="330105",
        level=OrgLevel.DISTRICT,
        name_zh="拱墅区",
        name_en="Gongshu",
        population=0,
        parent=None,
    )


_seq = factory.Sequence(lambda n: n)


def subdistrict(
    *, name_zh: str | None = None, population: int = 60000, code: str | None = None
) -> OrgUnit:
    n = OrgUnit.objects.filter(level=OrgLevel.SUBDISTRICT).count() + 1
    return org_unit_create(
        actor=None,
        code=code or f"330105{n:03d}",
        level=OrgLevel.SUBDISTRICT,
        name_zh=name_zh or f"测试{n}街道",
        population=population,
        parent=district(),
    )


def community(
    *, parent: OrgUnit | None = None, name_zh: str | None = None, population: int = 6000
) -> OrgUnit:
    parent = parent or subdistrict()
    n = OrgUnit.objects.filter(parent=parent).count() + 1
    return org_unit_create(
        actor=None,
        code=f"{parent.code}{n:03d}",
        level=OrgLevel.COMMUNITY,
        name_zh=name_zh or f"{parent.name_zh}{n}社区",
        population=population,
        parent=parent,
    )
