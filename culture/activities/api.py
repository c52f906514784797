"""/api/activities/: activities as JSON, scoped like the pages (selectors and services only)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from culture.activities.kinds import TARGET_GROUP_CODES
from culture.activities.models import Activity
from culture.activities.selectors import activity_counts, activity_get, activity_list
from culture.activities.services import activity_cancel, activity_create, activity_update
from culture.core.errors import FieldErrors
from culture.org.models import OrgUnit
from culture.venues.models import Venue

router = Router(tags=["activities"])


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: dict[str, list[str]] | None = None


class ActivityFilters(Schema):
    kind: str | None = Field(None, max_length=32)
    unit: str | None = Field(None, max_length=12, description="org unit code: it and below")
    venue: str | None = Field(None, max_length=32, description="venue code")
    date_from: date | None = None
    date_to: date | None = None
    group: str | None = Field(None, max_length=32, description="elderly, minors, disabled, ...")
    online: bool | None = None
    q: str | None = Field(None, max_length=100)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)


class ActivityOut(Schema):
    id: int
    external_id: str
    title: str
    kind: str
    organiser: str = Field(..., description="org unit code")
    organiser_name: str
    venue: str | None = Field(None, description="venue code")
    venue_name: str | None = None
    start_at: datetime
    end_at: datetime
    online: bool
    attendance: int
    attendance_source: str
    target_groups: list[str]
    partner: str
    brand: str
    is_signature: bool
    description: str
    cancelled: bool
    film_release_date: date | None
    film_domestic: bool | None
    sessions: int | None
    books_count: int | None
    branch_system: str


class ActivityPage(Schema):
    count: int
    items: list[ActivityOut]


class ActivityPatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    external_id: str | None = Field(None, max_length=64)
    title: str | None = Field(None, max_length=200)
    kind: str | None = Field(None, max_length=32)
    organiser: str | None = Field(None, max_length=12, description="org unit code")
    venue: str | None = Field(None, max_length=32, description="venue code; empty: no venue")
    start_at: datetime | None = None
    end_at: datetime | None = None
    online: bool | None = None
    attendance: int | None = Field(None, ge=0, le=10_000_000)
    target_groups: list[str] | None = None
    partner: str | None = Field(None, max_length=200)
    brand: str | None = Field(None, max_length=32)
    is_signature: bool | None = None
    description: str | None = Field(None, max_length=5000)
    film_release_date: date | None = None
    film_domestic: bool | None = None
    sessions: int | None = Field(None, ge=1, le=10_000_000)
    books_count: int | None = Field(None, ge=1, le=10_000_000)
    branch_system: str | None = Field(None, max_length=16)


class ActivityIn(ActivityPatchIn):
    title: str = Field(..., max_length=200)
    kind: str = Field(..., max_length=32)
    organiser: str = Field(..., max_length=12)
    start_at: datetime
    end_at: datetime


class CancelIn(Schema):
    cancelled: bool = True


class KindTotalsOut(Schema):
    count: int
    person_times: int
    sessions: int
    books: int


def _out(a: Activity) -> dict[str, Any]:
    return {
        **{
            f: getattr(a, f)
            for f in (
                "id",
                "external_id",
                "title",
                "kind",
                "start_at",
                "end_at",
                "online",
                "attendance",
                "attendance_source",
                "partner",
                "brand",
                "is_signature",
                "description",
                "cancelled",
                "film_release_date",
                "film_domestic",
                "sessions",
                "books_count",
                "branch_system",
            )
        },
        "organiser": a.organiser.code,
        "organiser_name": a.organiser.name_zh,
        "venue": a.venue.code if a.venue else None,
        "venue_name": a.venue.name_zh if a.venue else None,
        "target_groups": a.target_groups,
    }


def _fields(payload: dict[str, Any]) -> dict[str, Any]:
    """API payload -> service keyword arguments (codes resolved to objects)."""
    out = dict(payload)
    errors: dict[str, list[Any]] = {}
    if "organiser" in out:
        unit = OrgUnit.objects.filter(code=out["organiser"] or "").first()
        if unit is None:
            errors["organiser"] = [_("没有该区划代码的单位")]
        out["organiser"] = unit
    if "venue" in out:
        code = out["venue"] or ""
        venue = Venue.objects.filter(code=code).first() if code else None
        if code and venue is None:
            errors["venue"] = [_("没有该编码的场馆")]
        out["venue"] = venue
    if "target_groups" in out:
        groups = out.pop("target_groups") or []
        bad = [g for g in groups if g not in TARGET_GROUP_CODES]
        if bad:
            errors["target_groups"] = [
                _("服务对象应为 %(c)s 之一") % {"c": ", ".join(TARGET_GROUP_CODES)}
            ]
        for code, field in TARGET_GROUP_CODES.items():
            out[field] = code in groups
    for f in ("external_id", "partner", "brand", "description", "branch_system"):
        if f in out and out[f] is None:
            out[f] = ""
    if errors:
        raise FieldErrors(errors)
    return out


@router.get("/", response=ActivityPage, summary="活动列表 / list activities")
def list_activities(request, filters: Query[ActivityFilters]):
    data = filters.dict()
    if data.get("online") is not None:
        data["online"] = "1" if data["online"] else "0"
    qs = activity_list(viewer=request.user, filters=data)
    items = list(qs[filters.offset : filters.offset + filters.limit])
    return {"count": qs.count(), "items": [_out(a) for a in items]}


@router.get(
    "/counts",
    response={200: dict[str, dict[str, KindTotalsOut]], 422: ErrorOut},
    summary="年度活动统计 / yearly counts per unit and kind",
    description="Per org unit (code) of the level and per kind: activities started in the year "
    "(not cancelled) organised by the unit or below, person-times, sessions and books.",
)
def counts(request, year: int = Query(..., ge=2000, le=2100), level: str = "subdistrict"):
    data = activity_counts(viewer=request.user, year=year, level=level)
    return {code: {k: vars(t) for k, t in kinds.items()} for code, kinds in data.items()}


@router.get(
    "/{activity_id}",
    response={200: ActivityOut, 403: ErrorOut, 404: ErrorOut},
    summary="活动详情 / one activity",
)
def get_activity(request, activity_id: int):
    return _out(activity_get(viewer=request.user, pk=activity_id))


@router.post(
    "/",
    response={201: ActivityOut, 403: ErrorOut, 422: ErrorOut},
    summary="新建活动 / create an activity",
)
def create_activity(request, payload: ActivityIn):
    a = activity_create(
        actor=request.user, request=request, **_fields(payload.model_dump(exclude_unset=True))
    )
    return Status(201, _out(activity_get(viewer=request.user, pk=a.pk)))


@router.patch(
    "/{activity_id}",
    response={200: ActivityOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="修改活动 / update an activity",
)
def update_activity(request, activity_id: int, payload: ActivityPatchIn):
    a = activity_get(viewer=request.user, pk=activity_id)
    activity_update(
        actor=request.user,
        activity=a,
        request=request,
        **_fields(payload.model_dump(exclude_unset=True)),
    )
    return _out(activity_get(viewer=request.user, pk=activity_id))


@router.post(
    "/{activity_id}/cancel",
    response={200: ActivityOut, 403: ErrorOut, 404: ErrorOut},
    summary="取消或恢复活动 / cancel or restore an activity",
)
def cancel_activity(request, activity_id: int, payload: CancelIn):
    a = activity_get(viewer=request.user, pk=activity_id)
    activity_cancel(actor=request.user, activity=a, request=request, cancelled=payload.cancelled)
    return _out(activity_get(viewer=request.user, pk=activity_id))
