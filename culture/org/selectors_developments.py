"""Reads of residential developments and future communities (S08, S36), through the viewer's
scope on the community's path; the per-person fitness standard as a named setting."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from culture.core.errors import NotFound
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel, OrgUnit, ResidentialDevelopment

# S36: new residential areas have >= 0.1 m2 per person of indoor fitness space OR >= 0.3 m2 per
# person of outdoor fitness space. Named settings, read by the standards engine too.
INDOOR_FITNESS_M2_PER_PERSON_DEFAULT = Decimal("0.1")
OUTDOOR_FITNESS_M2_PER_PERSON_DEFAULT = Decimal("0.3")

Filters = Mapping[str, Any]


def indoor_fitness_standard() -> Decimal:
    return Decimal(
        str(
            getattr(
                settings,
                "CULTURE_FITNESS_INDOOR_M2_PER_PERSON",
                INDOOR_FITNESS_M2_PER_PERSON_DEFAULT,
            )
        )
    )


def outdoor_fitness_standard() -> Decimal:
    return Decimal(
        str(
            getattr(
                settings,
                "CULTURE_FITNESS_OUTDOOR_M2_PER_PERSON",
                OUTDOOR_FITNESS_M2_PER_PERSON_DEFAULT,
            )
        )
    )


def fitness_standard_q() -> Q:
    """Developments that meet S36 (set-based, for lists and the standards engine). A development
    with no residents counts as meeting it (nothing to serve)."""
    return (
        Q(population=0)
        | Q(indoor_fitness_m2__gte=F("population") * indoor_fitness_standard())
        | Q(outdoor_fitness_m2__gte=F("population") * outdoor_fitness_standard())
    )


def meets_fitness_standard(dev: ResidentialDevelopment) -> bool:
    if not dev.population:
        return True
    return (
        dev.indoor_fitness_m2 >= dev.population * indoor_fitness_standard()
        or dev.outdoor_fitness_m2 >= dev.population * outdoor_fitness_standard()
    )


def _text(filters: Filters | None, key: str) -> str:
    if not filters:
        return ""
    value = filters.get(key)
    return str(value).replace("\x00", "").strip()[:200] if value is not None else ""


def _flag(filters: Filters | None, key: str) -> bool | None:
    value = _text(filters, key).lower()
    if value in ("1", "true", "yes", "是"):
        return True
    if value in ("0", "false", "no", "否"):
        return False
    return None


def development_list(
    *, viewer: Any, filters: Filters | None = None
) -> QuerySet[ResidentialDevelopment]:
    """Developments in the viewer's scope; filters: unit (code), future (1/0), meets (1/0), q."""
    scope = viewer_scope(viewer)
    scope.require_staff()
    qs = scope.filter(ResidentialDevelopment.objects.all(), "community__path")
    qs = qs.select_related("community", "community__parent")
    if code := _text(filters, "unit"):
        unit = OrgUnit.objects.filter(code=code).only("path").first()
        qs = qs.filter(community__path__startswith=unit.path if unit else "#none/")
    future = _flag(filters, "future")
    if future is not None:
        qs = qs.filter(is_future_community=future)
    meets = _flag(filters, "meets")
    if meets is not None:
        qs = qs.filter(fitness_standard_q()) if meets else qs.exclude(fitness_standard_q())
    if q := _text(filters, "q"):
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return qs.order_by("community__code", "code")


def development_get(*, viewer: Any, code: str) -> ResidentialDevelopment:
    scope = viewer_scope(viewer)
    scope.require_staff()
    dev = (
        ResidentialDevelopment.objects.select_related("community", "community__parent")
        .filter(code=str(code)[:32])
        .first()
    )
    if dev is None:
        raise NotFound(_("没有编号为 %(code)s 的小区") % {"code": code})
    scope.require_see(dev.community.path)
    return dev


def development_get_for_edit(*, viewer: Any, code: str) -> ResidentialDevelopment:
    dev = development_get(viewer=viewer, code=code)
    viewer_scope(viewer).require_write(dev.community.path)
    return dev


def development_communities(*, viewer: Any) -> QuerySet[OrgUnit]:
    """Communities the viewer may register developments in."""
    qs = OrgUnit.objects.filter(is_active=True, level=OrgLevel.COMMUNITY)
    return viewer_scope(viewer).filter(qs, "path", write=True).order_by("code")


def development_filter_units(*, viewer: Any) -> QuerySet[OrgUnit]:
    qs = OrgUnit.objects.filter(is_active=True).exclude(level=OrgLevel.DISTRICT)
    return viewer_scope(viewer).filter(qs, "path").order_by("code")


@dataclass
class DevelopmentRow:
    """A development with its per-person ratios, formatted for pages and exports."""

    dev: ResidentialDevelopment

    @staticmethod
    def _fmt(value: float | None, digits: int = 3) -> str:
        return "—" if value is None else f"{value:.{digits}f}"

    @property
    def indoor(self) -> str:
        return self._fmt(self.dev.indoor_per_person)

    @property
    def outdoor(self) -> str:
        return self._fmt(self.dev.outdoor_per_person)

    @property
    def culture(self) -> str:
        return self._fmt(self.dev.culture_per_person)

    @property
    def meets(self) -> bool:
        return meets_fitness_standard(self.dev)
