"""/api/standards/: reported figures (submit, list, review) and attestations (list, review);
scoped like the pages, writes through the services. Evidence is uploaded on the pages."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from culture.core.errors import FieldErrors
from culture.org.models import OrgUnit
from culture.standards import selectors_reporting as selectors
from culture.standards.models import Attestation, ReportedFigure
from culture.standards.services import attestations, reporting

router = Router(tags=["standards"])


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: dict[str, list[str]] | None = None


class ListQuery(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)
    year: int | None = Field(None, ge=2000, le=2100)
    unit: str = Field("", max_length=12, description="单位区划代码 unit code (and below)")
    indicator: str = Field("", max_length=8, description="e.g. T10")
    status: str = Field("", max_length=16, description="submitted / approved / rejected")


class FigureIn(Schema):
    model_config = ConfigDict(extra="forbid")

    indicator_id: str = Field(..., max_length=8, description="e.g. T10")
    field_key: str = Field(..., max_length=64, description="report field key or label")
    org_unit: str = Field(..., max_length=12, description="单位区划代码 unit code")
    year: int = Field(..., ge=1900, le=2999)
    value: Decimal | str = Field(..., description='a number >= 0; a share as 0.85 or "85%"')
    note: str = Field("", max_length=500)


class FigureOut(Schema):
    id: int
    indicator_id: str
    field_key: str
    org_unit: str
    org_unit_name: str
    year: int
    value: float
    note: str
    status: str
    review_reason: str
    reviewed_at: datetime | None
    updated_at: datetime


class FigurePage(Schema):
    count: int
    items: list[FigureOut]


class ReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    approve: bool
    reason: str = Field("", max_length=500, description="required when rejecting")


class AttestationReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    accept: bool
    reason: str = Field("", max_length=500, description="required when rejecting")


class AttestationOut(Schema):
    id: int
    indicator_id: str
    org_unit: str
    org_unit_name: str
    year: int
    title: str
    original_name: str
    sha256: str
    status: str
    review_reason: str
    reviewed_at: datetime | None
    created_at: datetime


class AttestationPage(Schema):
    count: int
    items: list[AttestationOut]


def _slice(qs: QuerySet[Any], page: ListQuery) -> tuple[int, list[Any]]:
    return qs.count(), list(qs[page.offset : page.offset + page.limit])


def _figure_out(f: ReportedFigure) -> dict[str, Any]:
    return {
        "id": f.pk,
        "indicator_id": f.indicator_id,
        "field_key": f.field_key,
        "org_unit": f.org_unit.code,
        "org_unit_name": f.org_unit.name_zh,
        "year": f.year,
        "value": float(f.value),
        "note": f.note,
        "status": f.status,
        "review_reason": f.review_reason,
        "reviewed_at": f.reviewed_at,
        "updated_at": f.updated_at,
    }


def _attestation_out(a: Attestation) -> dict[str, Any]:
    return {
        "id": a.pk,
        "indicator_id": a.indicator_id,
        "org_unit": a.org_unit.code,
        "org_unit_name": a.org_unit.name_zh,
        "year": a.year,
        "title": a.title,
        "original_name": a.original_name,
        "sha256": a.sha256,
        "status": a.status,
        "review_reason": a.review_reason,
        "reviewed_at": a.reviewed_at,
        "created_at": a.created_at,
    }


def _filters(q: ListQuery) -> dict[str, Any]:
    return {"year": q.year or "", "unit": q.unit, "indicator": q.indicator, "status": q.status}


@router.get("/figures", response=FigurePage, summary="统计填报 / reported figures in scope")
def list_figures(request, filters: Query[ListQuery]):
    count, items = _slice(
        selectors.figure_list(viewer=request.user, filters=_filters(filters)), filters
    )
    return {"count": count, "items": [_figure_out(f) for f in items]}


@router.post(
    "/figures",
    response={201: FigureOut, 200: FigureOut, 403: ErrorOut, 422: ErrorOut},
    summary="提交统计填报 / submit a figure (201 new, 200 replaced or unchanged)",
)
def submit_figure(request, payload: FigureIn):
    unit = OrgUnit.objects.filter(code=payload.org_unit).first()
    if unit is None:
        raise FieldErrors({"org_unit": [_("单位代码 %(c)s 不存在") % {"c": payload.org_unit}]})
    figure, outcome = reporting.reported_figure_submit(
        actor=request.user,
        indicator_id=payload.indicator_id,
        field_key=payload.field_key,
        org_unit=unit,
        year=payload.year,
        value=payload.value,
        note=payload.note,
        request=request,
    )
    return Status(201 if outcome == "created" else 200, _figure_out(figure))


@router.post(
    "/figures/{figure_id}/review",
    response={200: FigureOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="审核统计填报 / approve or reject a submitted figure (by the unit above)",
)
def review_figure(request, figure_id: int, payload: ReviewIn):
    figure = selectors.figure_get(viewer=request.user, pk=figure_id)
    reviewed = reporting.reported_figure_review(
        actor=request.user,
        figure=figure,
        approve=payload.approve,
        reason=payload.reason,
        request=request,
    )
    return _figure_out(reviewed)


@router.get("/attestations", response=AttestationPage, summary="佐证材料 / attestations in scope")
def list_attestations(request, filters: Query[ListQuery]):
    count, items = _slice(
        selectors.attestation_list(viewer=request.user, filters=_filters(filters)), filters
    )
    return {"count": count, "items": [_attestation_out(a) for a in items]}


@router.post(
    "/attestations/{attestation_id}/review",
    response={200: AttestationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="审核佐证 / accept or reject evidence (district officers)",
)
def review_attestation(request, attestation_id: int, payload: AttestationReviewIn):
    attestation = selectors.attestation_get(viewer=request.user, pk=attestation_id)
    reviewed = attestations.attestation_review(
        actor=request.user,
        attestation=attestation,
        accept=payload.accept,
        reason=payload.reason,
        request=request,
    )
    return _attestation_out(reviewed)
