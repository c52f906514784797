"""Reads of reported figures, attestations and named definitions, through the viewer's scope
(the figure's or attestation's unit path)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from culture.core.errors import NotFound, OutOfScope
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.org.models import OrgUnit
from culture.standards import catalogue
from culture.standards.catalogue.types import Indicator, ReportField
from culture.standards.definitions import DEFINITIONS, Definition
from culture.standards.models import (
    Attestation,
    AttestationStatus,
    EvaluationRun,
    IndicatorResult,
    NamedDefinition,
    ReportedFigure,
    ReportStatus,
)
from culture.standards.rules import field_label
from culture.standards.services.reporting import (
    find_field,
    report_indicators,
    review_q,
    reviewer_paths,
)

Filters = Mapping[str, Any]


def _text(filters: Filters | None, key: str, limit: int = 32) -> str:
    value = (filters or {}).get(key)
    return str(value).replace("\x00", "").strip()[:limit] if value is not None else ""


def _year(filters: Filters | None) -> int | None:
    text = _text(filters, "year", 4)
    return int(text) if text.isdigit() else None


def units_visible(*, viewer: Any) -> QuerySet[OrgUnit]:
    qs = OrgUnit.objects.filter(is_active=True)
    return viewer_scope(viewer).filter(qs, "path").order_by("path")


def units_writable(*, viewer: Any) -> QuerySet[OrgUnit]:
    qs = OrgUnit.objects.filter(is_active=True)
    return viewer_scope(viewer).filter(qs, "path", write=True).order_by("path")


def unit_for_viewer(*, viewer: Any, code: str) -> OrgUnit:
    """The unit of ``code`` if the viewer may see it (NotFound / OutOfScope otherwise)."""
    scope = viewer_scope(viewer)
    scope.require_staff()
    unit = OrgUnit.objects.filter(code=code, is_active=True).first()
    if unit is None:
        raise NotFound(_("没有代码为 %(code)s 的单位") % {"code": code})
    scope.require_see(unit.path)
    return unit


def _scoped(qs: QuerySet[Any], viewer: Any, filters: Filters | None) -> QuerySet[Any]:
    scope = viewer_scope(viewer)
    scope.require_staff()
    qs = scope.filter(qs, "org_path")
    year = _year(filters)
    if year:
        qs = qs.filter(year=year)
    code = _text(filters, "unit", 12)
    if code:
        unit = OrgUnit.objects.filter(code=code).only("path").first()
        qs = qs.filter(org_path__startswith=unit.path if unit else "#none/")
    indicator = _text(filters, "indicator", 8).upper()
    if indicator:
        qs = qs.filter(indicator_id=indicator)
    status = _text(filters, "status", 16)
    if status:
        qs = qs.filter(status=status)
    return qs


def figure_list(*, viewer: Any, filters: Filters | None = None) -> QuerySet[ReportedFigure]:
    qs = ReportedFigure.objects.select_related("org_unit", "submitted_by", "reviewed_by")
    return _scoped(qs, viewer, filters).order_by("-year", "org_path", "indicator_id", "field_key")


def figure_get(*, viewer: Any, pk: int) -> ReportedFigure:
    scope = viewer_scope(viewer)
    scope.require_staff()
    figure = ReportedFigure.objects.select_related("org_unit").filter(pk=pk).first()
    if figure is None:
        raise NotFound(_("未找到该填报"))
    scope.require_see(figure.org_path)
    return figure


def figure_labels(figure: ReportedFigure) -> tuple[str, str]:
    """(indicator title, field label) of a stored figure, in the current language."""
    indicator = catalogue.get_indicator(figure.indicator_id)
    if indicator is None:
        return "", figure.field_key
    english = (translation.get_language() or "").startswith("en")
    field = find_field(indicator, figure.field_key)
    title = indicator.title_en if english else indicator.title_zh
    return title, field_label(field) if field is not None else figure.field_key


def figure_review_queue(*, viewer: Any) -> QuerySet[ReportedFigure]:
    """Submitted figures the viewer may review (never their own); OutOfScope for non-reviewers."""
    scope = viewer_scope(viewer)
    scope.require_staff()
    everything, paths = reviewer_paths(viewer)
    if scope.is_read_only or not (everything or paths):
        raise OutOfScope(_("只有上级单位（街道或区）的干部可以审核填报"))
    return (
        ReportedFigure.objects.select_related("org_unit", "submitted_by")
        .filter(review_q(viewer), status=ReportStatus.SUBMITTED)
        .exclude(submitted_by=viewer)
        .order_by("year", "org_path", "indicator_id", "field_key")
    )


@dataclass
class SheetRow:
    indicator: Indicator
    field: ReportField
    figure: ReportedFigure | None
    result: IndicatorResult | None  # the latest stored result of the indicator for the unit
    first_of_indicator: bool


def report_sheet(*, viewer: Any, unit: OrgUnit, year: int) -> list[SheetRow]:
    """Every report field the unit's level accepts, with the unit's figure and current result."""
    viewer_scope(viewer).require_see(unit.path)
    indicators = report_indicators(unit.level)
    figures = {
        (f.indicator_id, f.field_key): f
        for f in ReportedFigure.objects.filter(org_unit=unit, year=year).select_related(
            "reviewed_by"
        )
    }
    run = last_run(year)
    results: dict[str, IndicatorResult] = {}
    if run is not None:
        for r in IndicatorResult.objects.filter(
            run=run, org_unit=unit, venue__isnull=True, indicator_id__in=[i.id for i in indicators]
        ):
            results[r.indicator_id] = r
    rows = []
    for indicator in indicators:
        for n, field in enumerate(indicator.report_fields):
            rows.append(
                SheetRow(
                    indicator=indicator,
                    field=field,
                    figure=figures.get((indicator.id, field.key)),
                    result=results.get(indicator.id),
                    first_of_indicator=n == 0,
                )
            )
    return rows


def last_run(year: int) -> EvaluationRun | None:
    return (
        EvaluationRun.objects.filter(year=year, finished_at__isnull=False)
        .order_by("-finished_at", "-id")
        .first()
    )


# ----- attestations -------------------------------------------------------------------------------
def attestation_list(*, viewer: Any, filters: Filters | None = None) -> QuerySet[Attestation]:
    qs = Attestation.objects.select_related("org_unit", "uploaded_by", "reviewed_by")
    return _scoped(qs, viewer, filters).order_by("-year", "org_path", "indicator_id", "-created_at")


def attestation_get(*, viewer: Any, pk: int) -> Attestation:
    scope = viewer_scope(viewer)
    scope.require_staff()
    attestation = Attestation.objects.select_related("org_unit").filter(pk=pk).first()
    if attestation is None:
        raise NotFound(_("未找到该佐证"))
    scope.require_see(attestation.org_path)
    return attestation


def attestation_review_queue(*, viewer: Any) -> QuerySet[Attestation]:
    scope = viewer_scope(viewer)
    if scope.is_read_only or not (scope.is_superuser or scope.has_role(Role.DISTRICT_OFFICER)):
        raise OutOfScope(_("佐证材料由区文旅局干部审核"))
    return (
        Attestation.objects.select_related("org_unit", "uploaded_by")
        .filter(status=AttestationStatus.PENDING)
        .exclude(uploaded_by=viewer)
        .order_by("year", "org_path", "indicator_id", "created_at")
    )


# ----- named definitions --------------------------------------------------------------------------
@dataclass
class DefinitionRow:
    definition: Definition
    value: Any
    default: Any
    stored: NamedDefinition | None

    @property
    def customised(self) -> bool:
        return self.stored is not None


def definition_rows(*, viewer: Any) -> list[DefinitionRow]:
    viewer_scope(viewer).require_staff()
    stored = {d.key: d for d in NamedDefinition.objects.select_related("updated_by")}
    rows = []
    for definition in DEFINITIONS:
        row = stored.get(definition.key)
        default = definition.default()
        rows.append(
            DefinitionRow(
                definition=definition,
                value=row.value if row is not None else default,
                default=default,
                stored=row,
            )
        )
    return rows


def this_year() -> int:
    return timezone.localdate().year
