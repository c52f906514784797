"""Reads of activities, always through the viewer's scope on the organiser's path."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Length, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.activities.kinds import KIND_BY_CODE, TARGET_GROUP_CODES
from culture.activities.models import Activity
from culture.core.errors import NotFound, ValidationFailed
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.org.models import CODE_LENGTH, OrgLevel, OrgUnit
from culture.venues.access import managed_venue_ids

MAX_PK = 2**62
FILTER_KEYS = ("kind", "unit", "venue", "date_from", "date_to", "group", "online", "q", "cancelled")


def _parse_date(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationFailed(_("日期格式应为 2024-03-01"), field=field) from None


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _visible(viewer: Any, *, venues: bool = True) -> QuerySet[Activity]:
    """Activities whose organiser lies in the viewer's scope; with ``venues``, also those held
    at a venue the viewer manages (a venue manager sees what happens in their venue)."""
    scope = viewer_scope(viewer)
    scope.require_staff()
    q = scope.q("organiser_path")
    managed = managed_venue_ids(viewer) if venues and scope.has_role(Role.VENUE_MANAGER) else []
    if managed:
        q |= Q(venue_id__in=managed)
    return Activity.objects.filter(q)


def activity_list(*, viewer: Any, filters: dict[str, Any] | None = None) -> QuerySet[Activity]:
    """The viewer's activities, newest first. Filters (all optional): ``kind``, ``unit`` (an org
    code: that unit and below), ``venue`` (venue code), ``date_from``/``date_to`` (start date,
    inclusive), ``group`` (elderly, minors, disabled, migrant_workers, servicemen), ``online``
    ("1"/"0"), ``cancelled`` ("1": only cancelled, "all": both; default: not cancelled), ``q``
    (title, external id, partner)."""
    f = filters or {}
    qs = _visible(viewer).select_related("organiser", "venue")
    kind = f.get("kind") or ""
    if kind:
        if kind not in KIND_BY_CODE:
            raise ValidationFailed(_("请选择有效的活动类型"), field="kind")
        qs = qs.filter(kind=kind)
    unit = (f.get("unit") or "").strip()
    if unit:
        qs = qs.filter(organiser_path__contains=f"{unit}/")
    venue = (f.get("venue") or "").strip()
    if venue:
        qs = qs.filter(venue__code=venue)
    start = _parse_date(f.get("date_from"), "date_from")
    if start:
        qs = qs.filter(start_at__gte=local_midnight(start))
    end = _parse_date(f.get("date_to"), "date_to")
    if end:
        qs = qs.filter(start_at__lt=local_midnight(end + timedelta(days=1)))
    group = f.get("group") or ""
    if group:
        if group not in TARGET_GROUP_CODES:
            raise ValidationFailed(_("请选择有效的服务对象"), field="group")
        qs = qs.filter(**{TARGET_GROUP_CODES[group]: True})
    online = str(f.get("online") if f.get("online") is not None else "")
    if online in ("1", "true", "True"):
        qs = qs.filter(online=True)
    elif online in ("0", "false", "False"):
        qs = qs.filter(online=False)
    cancelled = str(f.get("cancelled") or "")
    if cancelled == "1":
        qs = qs.filter(cancelled=True)
    elif cancelled != "all":
        qs = qs.filter(cancelled=False)
    q = (f.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(external_id__iexact=q) | Q(partner__icontains=q))
    return qs.order_by("-start_at", "-id")


def activity_get(*, viewer: Any, pk: int) -> Activity:
    """One activity: NotFound if there is none, OutOfScope if the viewer may not see it."""
    scope = viewer_scope(viewer)
    scope.require_staff()
    if not 0 < pk < MAX_PK:
        raise NotFound(_("没有该活动"))
    activity = Activity.objects.select_related("organiser", "venue").filter(pk=pk).first()
    if activity is None:
        raise NotFound(_("没有该活动"))
    if not (activity.venue_id and activity.venue_id in managed_venue_ids(viewer)):
        scope.require_see(activity.organiser_path)
    return activity


def activity_get_for_edit(*, viewer: Any, pk: int) -> Activity:
    activity = activity_get(viewer=viewer, pk=pk)
    viewer_scope(viewer).require_write(activity.organiser_path)
    return activity


def organiser_choices(*, viewer: Any) -> QuerySet[OrgUnit]:
    """Units the viewer may organise activities for (write scope)."""
    scope = viewer_scope(viewer)
    return scope.filter(OrgUnit.objects.filter(is_active=True), "path", write=True).order_by("code")


# ----- the yearly counts the standards engine reads --------------------------------------------


@dataclass
class KindTotals:
    count: int = 0
    person_times: int = 0
    sessions: int = 0
    books: int = 0


# Length of the materialised path of a unit at each level ("330105/" = 7, ...).
PATH_LENGTH = {
    OrgLevel.DISTRICT: CODE_LENGTH[OrgLevel.DISTRICT] + 1,
    OrgLevel.SUBDISTRICT: CODE_LENGTH[OrgLevel.DISTRICT] + CODE_LENGTH[OrgLevel.SUBDISTRICT] + 2,
    OrgLevel.COMMUNITY: sum(CODE_LENGTH.values()) + 3,
}


def activity_counts(*, viewer: Any, year: int, level: str) -> dict[str, dict[str, KindTotals]]:
    """Per org unit of ``level`` (by code) and per kind: the number of activities that started in
    ``year`` (local time), not cancelled, organised by the unit or any unit below it, and their
    person-times (attendance), online sessions and books. One grouped query, whatever the number
    of units; only what the viewer's org scope covers (not a venue manager's venue). Units with
    no activity are absent."""
    if level not in OrgLevel.values:
        raise ValidationFailed(_("层级必须是 区/街道/社区 之一"), field="level")
    n = PATH_LENGTH[OrgLevel(level)]
    qs = (
        _visible(viewer, venues=False)
        .filter(
            cancelled=False,
            start_at__gte=local_midnight(date(year, 1, 1)),
            start_at__lt=local_midnight(date(year + 1, 1, 1)),
        )
        .annotate(path_len=Length("organiser_path"))
        .filter(path_len__gte=n)
        .annotate(unit_path=Substr("organiser_path", 1, n))
        .values("unit_path", "kind")
        .annotate(
            n=Count("id"),
            people=Sum("attendance"),
            sess=Coalesce(Sum("sessions"), Value(0), output_field=IntegerField()),
            books=Coalesce(Sum("books_count"), Value(0), output_field=IntegerField()),
        )
        .order_by()
    )
    result: dict[str, dict[str, KindTotals]] = defaultdict(dict)
    for row in qs:
        code = row["unit_path"].rstrip("/").rsplit("/", 1)[-1]
        result[code][row["kind"]] = KindTotals(
            count=row["n"],
            person_times=row["people"] or 0,
            sessions=row["sess"],
            books=row["books"],
        )
    return dict(result)
