"""Writes to activities: create, update, upsert (the importers' write) and cancel. Audited.

Rules: the organiser must lie in the writer's scope (the venue may be any open venue: a
community may hold an event at a district venue); the end is not before the start; a
kind-specific field that does not apply to the kind is refused, a required one must be filled
(``kinds.KINDS``); online-only kinds are always online.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.activities.hooks import Schedule, activity_cancelled, activity_rescheduled
from culture.activities.kinds import (
    BOOKS_COUNT,
    KIND_FIELDS,
    SESSIONS,
    TARGET_GROUP_FIELDS,
    AttendanceSource,
    BranchSystem,
    Brand,
    get_kind,
)
from culture.activities.models import Activity
from culture.activities.summaries import Buckets, buckets_of, summaries_refresh_for
from culture.core.audit import audit_record, snapshot
from culture.core.errors import FieldErrors
from culture.core.scope import viewer_scope
from culture.org.models import OrgUnit
from culture.standards.refresh import request_evaluation
from culture.venues.models import VenueStatus

# Fields a caller may set (create/update/upsert).
EDITABLE_FIELDS = (
    "external_id",
    "title",
    "kind",
    "organiser",
    "venue",
    "start_at",
    "end_at",
    "online",
    "attendance",
    "partner",
    "brand",
    "is_signature",
    "description",
    *TARGET_GROUP_FIELDS,
    *KIND_FIELDS,
)
AUDIT_FIELDS = tuple(
    f if f not in ("organiser", "venue") else f"{f}_id" for f in EDITABLE_FIELDS
) + ("cancelled", "attendance_source")

MAX_ATTENDANCE = 10_000_000
MAX_TITLE = 200
MIN_YEAR, MAX_YEAR = 2000, 2100


def compute_natural_key(
    *, organiser_id: int, venue_id: int | None, start_at: datetime, title: str
) -> str:
    """organiser + venue + start + title, hashed (the key when there is no external id)."""
    start = timezone.localtime(start_at) if timezone.is_aware(start_at) else start_at
    raw = f"{organiser_id}|{venue_id or ''}|{start:%Y-%m-%dT%H:%M}|{title.strip()}"
    return hashlib.sha1(raw.encode()).hexdigest()  # noqa: S324 - a key, not a secret


def _blank(value: Any) -> bool:
    return value is None or value == ""


def kind_field_errors(
    kind_code: str, values: dict[str, Any], *, check_required: bool
) -> dict[str, list[Any]]:
    """The kind-specific fields of ``values`` that do not apply to the kind (and, with
    ``check_required``, the required ones left blank)."""
    kind = get_kind(kind_code)
    errors: dict[str, list[Any]] = {}
    if kind is None:
        return errors
    label = {"kind": _(kind.label_zh)}
    for name in KIND_FIELDS:
        value = values.get(name)
        if name not in kind.fields and not _blank(value):
            errors[name] = [_("该字段不适用于活动类型“%(kind)s”") % label]
        elif check_required and name in kind.required and _blank(value):
            errors[name] = [_("活动类型“%(kind)s”必须填写此项") % label]
    return errors


def _validate(data: dict[str, Any], *, instance: Activity | None) -> dict[str, list[Any]]:
    """Field errors of the merged state ``data`` (every editable field present)."""
    errors: dict[str, list[Any]] = {}

    def add(name: str, message: Any) -> None:
        errors.setdefault(name, []).append(message)

    title = (data["title"] or "").strip()
    if not title:
        add("title", _("活动名称不能为空"))
    elif len(title) > MAX_TITLE:
        add("title", _("活动名称最多 200 个字"))
    if len(data["external_id"] or "") > 64:
        add("external_id", _("外部编号最多 64 个字符"))
    kind = get_kind(data["kind"] or "")
    if kind is None:
        add("kind", _("请选择有效的活动类型"))
    if not isinstance(data["organiser"], OrgUnit):
        add("organiser", _("请选择主办单位"))
    venue = data["venue"]
    venue_changed = venue is not None and (instance is None or instance.venue_id != venue.pk)
    if venue_changed and venue.status != VenueStatus.OPEN:
        add("venue", _("场馆“%(name)s”已关闭，不能安排活动") % {"name": venue.name_zh})
    start, end = data["start_at"], data["end_at"]
    if start is None:
        add("start_at", _("请填写开始时间"))
    if end is None:
        add("end_at", _("请填写结束时间"))
    for name, value in (("start_at", start), ("end_at", end)):
        if value is not None and not (MIN_YEAR <= value.year <= MAX_YEAR):
            add(name, _("年份应在 2000 到 2100 之间"))
    if start is not None and end is not None and end < start:
        add("end_at", _("结束时间不能早于开始时间"))
    attendance = data["attendance"]
    if attendance is None or attendance < 0:
        add("attendance", _("参与人次不能为负数"))
    elif attendance > MAX_ATTENDANCE:
        add("attendance", _("参与人次不能超过 10,000,000"))
    if data["brand"] and data["brand"] not in Brand.values:
        add("brand", _("请选择有效的品牌活动"))
    if len(data["partner"] or "") > 200:
        add("partner", _("合作单位最多 200 个字"))
    if kind is not None:
        for name, messages in kind_field_errors(kind.code, data, check_required=True).items():
            for message in messages:
                add(name, message)
        if kind.always_online and data["online"] is False:
            add("online", _("活动类型“%(kind)s”只能是线上活动") % {"kind": _(kind.label_zh)})
    for name in (SESSIONS, BOOKS_COUNT):
        value = data[name]
        if value is not None and (value < 1 or value > MAX_ATTENDANCE):
            add(name, _("应为 1 到 10,000,000 之间的整数"))
    if data["branch_system"] and data["branch_system"] not in BranchSystem.values:
        add("branch_system", _("请选择图书馆或文化馆总分馆"))
    return errors


def _defaults() -> dict[str, Any]:
    data: dict[str, Any] = {f: None for f in EDITABLE_FIELDS}
    data.update(
        external_id="",
        title="",
        kind="",
        online=None,
        attendance=0,
        partner="",
        brand="",
        is_signature=False,
        description="",
        branch_system="",
    )
    for f in TARGET_GROUP_FIELDS:
        data[f] = False
    return data


def _normalise(data: dict[str, Any]) -> None:
    for f in ("external_id", "title", "partner", "description"):
        data[f] = (data[f] or "").strip()
    for f in ("brand", "branch_system"):
        data[f] = data[f] or ""
    kind = get_kind(data["kind"] or "")
    if data["online"] is None:
        data["online"] = bool(kind is not None and kind.always_online)
    for f in ("is_signature", *TARGET_GROUP_FIELDS):
        data[f] = bool(data[f])
    for f in ("start_at", "end_at"):
        value = data[f]
        if isinstance(value, datetime) and timezone.is_naive(value):
            data[f] = timezone.make_aware(value)  # a time without a zone is local time


def _check_key(data: dict[str, Any], *, instance: Activity | None) -> tuple[str, dict]:
    errors: dict[str, list[Any]] = {}
    venue = data["venue"]
    key = compute_natural_key(
        organiser_id=data["organiser"].pk,
        venue_id=venue.pk if venue else None,
        start_at=data["start_at"],
        title=data["title"],
    )
    others = Activity.objects.exclude(pk=instance.pk) if instance else Activity.objects.all()
    if data["external_id"]:
        if others.filter(external_id=data["external_id"]).exists():
            errors["external_id"] = [
                _("外部编号 %(id)s 已被另一活动使用") % {"id": data["external_id"]}
            ]
    elif others.filter(external_id="", natural_key=key).exists():
        errors["title"] = [_("同一主办单位在同一场馆、同一开始时间已有同名活动")]
    return key, errors


def _after_write(*, before: Buckets | None, activity: Activity) -> None:
    """Keep the summaries equal to the raw rows, and recompute the standards after commit."""
    summaries_refresh_for(before=before, after=activity)
    years = {timezone.localtime(activity.start_at).year}
    if before is not None:
        years.add(before.month_start.year)
    request_evaluation(years=years, trigger="activities")


def _require_organiser(actor: Any, organiser: OrgUnit | None) -> None:
    if actor is not None and isinstance(organiser, OrgUnit):
        viewer_scope(actor).require_write(organiser.path)


@transaction.atomic
def activity_create(*, actor: Any, request: Any = None, **fields: Any) -> Activity:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise FieldErrors({k: [_("该字段不可设置")] for k in sorted(unknown)})
    data = _defaults()
    # None means "not given" (the importers pass None for blank cells): the default applies.
    data.update({k: v for k, v in fields.items() if v is not None})
    _normalise(data)
    errors = _validate(data, instance=None)
    if errors:
        raise FieldErrors(errors)
    _require_organiser(actor, data["organiser"])
    key, errors = _check_key(data, instance=None)
    if errors:
        raise FieldErrors(errors)
    activity = Activity(natural_key=key, organiser_path=data["organiser"].path, **data)
    activity.save()
    _after_write(before=None, activity=activity)
    audit_record(
        actor=actor or "system",
        action="activities.activity_created",
        target=activity,
        org_path=activity.organiser_path,
        after=snapshot(activity, AUDIT_FIELDS),
        request=request,
    )
    return activity


def _current(activity: Activity) -> dict[str, Any]:
    return {f: getattr(activity, f) for f in EDITABLE_FIELDS}


@transaction.atomic
def activity_update(
    *, actor: Any, activity: Activity, request: Any = None, **changes: Any
) -> Activity:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise FieldErrors({k: [_("该字段不可修改")] for k in sorted(unknown)})
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("organiser", "venue")
        .get(pk=activity.pk)
    )
    # Writing needs the current organiser in scope, and the new one too.
    _require_organiser(actor, activity.organiser)
    data = _current(activity)
    data.update(changes)
    _normalise(data)
    errors = _validate(data, instance=activity)
    if errors:
        raise FieldErrors(errors)
    _require_organiser(actor, data["organiser"])
    key, errors = _check_key(data, instance=activity)
    if errors:
        raise FieldErrors(errors)
    before = snapshot(activity, AUDIT_FIELDS)
    buckets_before = buckets_of(activity)
    schedule_before = Schedule.of(activity)
    for f, v in data.items():
        setattr(activity, f, v)
    activity.natural_key = key
    activity.organiser_path = data["organiser"].path
    after = snapshot(activity, AUDIT_FIELDS)
    if before == after:
        return activity
    activity.save()
    _after_write(before=buckets_before, activity=activity)
    # Bookings follow the new time and venue, and their holders are told (culture.booking).
    activity_rescheduled(actor=actor, activity=activity, before=schedule_before)
    changed = {k for k in after if before.get(k) != after[k]}
    audit_record(
        actor=actor or "system",
        action="activities.activity_updated",
        target=activity,
        org_path=activity.organiser_path,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        request=request,
    )
    return activity


@transaction.atomic
def activity_upsert(*, actor: Any, request: Any = None, **fields: Any) -> tuple[Activity, str]:
    """Create the activity or bring the one with the same natural key up to date.

    The key is ``external_id`` when given, else organiser + venue + start + title. ``None``
    for an optional field keeps the stored value. Returns the activity and "created",
    "updated" or "unchanged".
    """
    external_id = (fields.get("external_id") or "").strip()
    existing = None
    if external_id:
        existing = Activity.objects.select_for_update().filter(external_id=external_id).first()
    elif isinstance(fields.get("organiser"), OrgUnit) and fields.get("start_at"):
        venue = fields.get("venue")
        key = compute_natural_key(
            organiser_id=fields["organiser"].pk,
            venue_id=venue.pk if venue else None,
            start_at=fields["start_at"],
            title=fields.get("title") or "",
        )
        existing = (
            Activity.objects.select_for_update().filter(external_id="", natural_key=key).first()
        )
    if existing is None:
        return activity_create(actor=actor, request=request, **fields), "created"
    changes = {
        k: v
        for k, v in fields.items()
        if v is not None and k in EDITABLE_FIELDS and getattr(existing, k) != v
    }
    if not changes:
        _require_organiser(actor, existing.organiser)
        return existing, "unchanged"
    return activity_update(actor=actor, activity=existing, request=request, **changes), "updated"


@transaction.atomic
def activity_cancel(
    *, actor: Any, activity: Activity, request: Any = None, cancelled: bool = True
) -> Activity:
    """Cancel (or restore) an activity; cancelled activities count for nothing. Cancelling
    runs the registered handlers in this transaction (``culture.activities.hooks``: the booking
    app cancels the activity's bookings and tells their holders); restoring restores none."""
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("organiser")
        .get(pk=activity.pk)
    )
    _require_organiser(actor, activity.organiser)
    if activity.cancelled == cancelled:
        return activity
    activity.cancelled = cancelled
    activity.save(update_fields=["cancelled", "updated_at"])
    _after_write(before=None, activity=activity)
    if cancelled:
        activity_cancelled(actor=actor, activity=activity)
    audit_record(
        actor=actor or "system",
        action="activities.activity_cancelled" if cancelled else "activities.activity_restored",
        target=activity,
        org_path=activity.organiser_path,
        before={"cancelled": not cancelled},
        after={"cancelled": cancelled},
        request=request,
    )
    return activity


@transaction.atomic
def activity_attendance_set(
    *, actor: Any, activity: Activity, attendance: int, source: str, request: Any = None
) -> Activity:
    """Set the attendance (person-times) of ``activity`` and where it comes from; the summaries
    and the standards follow. The booking check-ins call it with source "checkins": the caller
    has checked the actor's right (staff of the venue checking people in need not be in the
    organiser's scope)."""
    if source not in AttendanceSource.values:
        raise FieldErrors({"attendance_source": [_("请选择有效的人次来源")]})
    if attendance < 0 or attendance > MAX_ATTENDANCE:
        raise FieldErrors({"attendance": [_("参与人次不能为负数")]})
    activity = Activity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
    if (activity.attendance, activity.attendance_source) == (attendance, source):
        return activity
    before = {"attendance": activity.attendance, "attendance_source": activity.attendance_source}
    buckets_before = buckets_of(activity)
    activity.attendance = attendance
    activity.attendance_source = source
    activity.save(update_fields=["attendance", "attendance_source", "updated_at"])
    _after_write(before=buckets_before, activity=activity)
    audit_record(
        actor=actor or "system",
        action="activities.attendance_set",
        target=activity,
        org_path=activity.organiser_path,
        before=before,
        after={"attendance": attendance, "attendance_source": source},
        request=request,
    )
    return activity
