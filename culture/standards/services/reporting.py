"""Reported figures (统计填报): a unit reports a figure for a year; the unit above reviews it.

Who may do what:
- submit: anyone who may write the unit (``scope.require_write``); the indicator must declare
  the field (catalogue ``report_fields``) and be judged at the unit's level; the year lies
  between the policy's first year and this year; the value is a number >= 0 (whole numbers for
  books and person-times; 0 or 1 for yes/no flags). Shares are stored as fractions 0..1: type
  0.85 or ``85%`` (read as 0.85); a bare number above 1 is refused, never guessed as a percent.
- resubmit: replaces a submitted or rejected figure; an approved one may be resubmitted and goes
  back to ``submitted`` (the engine stops using it until it is approved again). The same value
  and note again change nothing.
- review: an officer (subdistrict or district) of a unit strictly above the figure's unit: the
  subdistrict reviews its communities, the district its subdistricts (and any unit below);
  district-level figures are reviewed by a district officer. Nobody reviews a figure they
  submitted. Rejecting needs a reason.

The validation rules (culture/standards/rules.py) are checked on every submission.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from culture.core.audit import audit_record, snapshot
from culture.core.errors import FieldErrors, OutOfScope, ValidationFailed
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel, OrgUnit
from culture.standards import catalogue
from culture.standards.catalogue.types import (
    BOOKS,
    ORG_LEVELS,
    PERSON_TIMES,
    POLICY_FIRST_YEAR,
    SHARE,
    Indicator,
    ReportField,
)
from culture.standards.models import ReportedFigure, ReportStatus
from culture.standards.refresh import request_evaluation
from culture.standards.rules import check_field, check_rules, field_label

INTEGER_UNITS = frozenset({BOOKS, PERSON_TIMES})
MAX_VALUE = Decimal("1000000000000")  # the column holds 12 digits before the point
NOTE_MAX = 500
AUDIT_FIELDS = (
    "indicator_id",
    "field_key",
    "org_unit_id",
    "year",
    "value",
    "note",
    "status",
    "submitted_by_id",
    "reviewed_by_id",
    "review_reason",
)
# During an import: (indicator id, field key, unit id, year) -> the value in the same file.
Batch = Mapping[tuple[str, str, int, int], Decimal]


def _norm(text: Any) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).strip().lower().replace(" ", "")


def level_label(level: str) -> str:
    return str(OrgLevel(level).label) if level in ORG_LEVELS else level


def report_indicators(level: str | None = None) -> list[Indicator]:
    """Indicators that accept reported figures (at ``level`` when given), in catalogue order."""
    return [
        i
        for i in catalogue.CATALOGUE.values()
        if i.accepts_reports
        and any(lv in ORG_LEVELS for lv in i.levels)
        and (level is None or level in i.levels)
    ]


def find_field(indicator: Indicator, key_or_label: str) -> ReportField | None:
    """The indicator's report field named by its key or its Chinese or English label."""
    wanted = _norm(key_or_label)
    for f in indicator.report_fields:
        if wanted in (_norm(f.key), _norm(f.label_zh), _norm(f.label_en)):
            return f
    return None


def check_year(year: Any) -> str | None:
    this_year = timezone.localdate().year
    if not isinstance(year, int) or isinstance(year, bool):
        return _("年度应为四位数字，如 %(year)s") % {"year": this_year}
    if year < POLICY_FIRST_YEAR:
        return _("%(year)s 年早于政策施行（%(first)s 年起），不能填报") % {
            "year": year,
            "first": POLICY_FIRST_YEAR,
        }
    if year > this_year:
        return _("%(year)s 年尚未开始，不能填报") % {"year": year}
    return None


def parse_figure_value(raw: Any, field: ReportField | None) -> Decimal:
    """A reported value as a Decimal; ValidationFailed (field ``value``) saying what is wrong."""
    percent = False
    if isinstance(raw, bool) or raw is None:
        raise ValidationFailed(_("数值应为数字"), field="value")
    if isinstance(raw, Decimal):
        number = raw
    else:
        text = raw if isinstance(raw, str) else repr(raw) if isinstance(raw, float) else str(raw)
        text = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
        if text.endswith("%"):
            percent, text = True, text[:-1]
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationFailed(_("数值应为数字"), field="value") from None
    if not number.is_finite():
        raise ValidationFailed(_("数值应为数字"), field="value")
    if percent:
        if field is None or field.unit != SHARE:
            raise ValidationFailed(_("只有占比可以填写百分数"), field="value")
        number = number / 100
    if number < 0:
        raise ValidationFailed(_("数值不能为负数"), field="value")
    if number >= MAX_VALUE:
        raise ValidationFailed(_("数值过大"), field="value")
    if field is not None and field.unit in INTEGER_UNITS and number != number.to_integral_value():
        raise ValidationFailed(
            _("“%(label)s”应为整数") % {"label": field_label(field)}, field="value"
        )
    return number.quantize(Decimal("0.0001"))


def _counterpart(unit: OrgUnit, year: int, batch: Batch | None, stored: bool):
    def lookup(ref: tuple[str, str]) -> Decimal | None:
        if batch is not None and (ref[0], ref[1], unit.pk, year) in batch:
            return batch[(ref[0], ref[1], unit.pk, year)]
        if not stored:
            return None
        return (
            ReportedFigure.objects.filter(
                indicator_id=ref[0], field_key=ref[1], org_unit=unit, year=year
            )
            .exclude(status=ReportStatus.REJECTED)
            .values_list("value", flat=True)
            .first()
        )

    return lookup


def reported_figure_check(
    *,
    actor: Any,
    indicator_id: str,
    field_key: str,
    org_unit: OrgUnit,
    year: Any,
    value: Any,
    batch: Batch | None = None,
    stored_counterparts: bool = True,
) -> tuple[Indicator, ReportField, Decimal]:
    """Every check of a submission, without writing: (indicator, field, value) or an error.

    Scope comes first, so a unit outside the actor's reach is refused whatever the rest says.
    A rule between two figures compares with ``batch`` (values of the same form or file), then
    with the stored figure unless ``stored_counterparts`` is False."""
    viewer_scope(actor).require_write(org_unit.path)
    errors: dict[str, list[str]] = {}
    indicator = catalogue.get_indicator(str(indicator_id or ""))
    field = None
    if indicator is None:
        errors["indicator_id"] = [_("没有编号为 %(id)s 的指标") % {"id": indicator_id}]
    elif not indicator.accepts_reports:
        errors["indicator_id"] = [
            _("指标 %(id)s 不接受统计填报（其数值由平台记录计算或由佐证材料认定）")
            % {"id": indicator.id}
        ]
    else:
        field = find_field(indicator, field_key)
        if field is None:
            errors["field_key"] = [
                _("指标 %(id)s 没有填报项“%(field)s”；可填：%(fields)s")
                % {
                    "id": indicator.id,
                    "field": field_key,
                    "fields": "、".join(
                        f"{field_label(f)}（{f.key}）" for f in indicator.report_fields
                    ),
                }
            ]
        if org_unit.level not in indicator.levels:
            errors["org_unit"] = [
                _("指标 %(id)s 按%(levels)s考核，不接受%(level)s填报")
                % {
                    "id": indicator.id,
                    "levels": "、".join(level_label(lv) for lv in indicator.levels),
                    "level": level_label(org_unit.level),
                }
            ]
    if not org_unit.is_active:
        errors.setdefault("org_unit", []).append(_("单位已撤销，不能填报"))
    year_error = check_year(year)
    if year_error:
        errors["year"] = [year_error]
    amount = None
    try:
        amount = parse_figure_value(value, field)
    except ValidationFailed as exc:
        errors["value"] = [str(exc.message)]
    if errors or indicator is None or field is None or amount is None:
        raise FieldErrors(errors)
    broken = [m for m in [check_field(field, amount)] if m]
    broken += check_rules(
        (indicator.id, field.key), amount, _counterpart(org_unit, year, batch, stored_counterparts)
    )
    if broken:
        raise FieldErrors({"value": broken})
    return indicator, field, amount


def _label(figure: ReportedFigure, unit: OrgUnit) -> str:
    return f"{figure.indicator_id}·{figure.field_key} {unit.name_zh} {figure.year}"


def reported_figure_submit(
    *,
    actor: Any,
    indicator_id: str,
    field_key: str,
    org_unit: OrgUnit,
    year: int,
    value: Any,
    note: str = "",
    request: Any = None,
    batch: Batch | None = None,
) -> tuple[ReportedFigure, str]:
    """Submit (or resubmit) a figure; returns it and "created", "updated" or "unchanged"."""
    indicator, field, amount = reported_figure_check(
        actor=actor,
        indicator_id=indicator_id,
        field_key=field_key,
        org_unit=org_unit,
        year=year,
        value=value,
        batch=batch,
    )
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise FieldErrors({"note": [_("说明最多 %(n)d 个字") % {"n": NOTE_MAX}]})
    with transaction.atomic():
        figure = (
            ReportedFigure.objects.select_for_update(of=("self",))
            .filter(indicator_id=indicator.id, field_key=field.key, org_unit=org_unit, year=year)
            .first()
        )
        if (
            figure is not None
            and figure.value == amount
            and figure.note == note
            and figure.status != ReportStatus.REJECTED
        ):
            return figure, "unchanged"
        before = snapshot(figure, AUDIT_FIELDS) if figure is not None else None
        was_approved = figure is not None and figure.status == ReportStatus.APPROVED
        if figure is None:
            figure = ReportedFigure(
                indicator_id=indicator.id,
                field_key=field.key,
                org_unit=org_unit,
                org_path=org_unit.path,
                year=year,
            )
        figure.value, figure.note = amount, note
        figure.status = ReportStatus.SUBMITTED
        figure.submitted_by = actor
        figure.reviewed_by, figure.reviewed_at, figure.review_reason = None, None, ""
        try:
            with transaction.atomic():
                figure.save()
        except IntegrityError:
            raise ValidationFailed(
                _("同一项填报刚被他人提交，请刷新后重试"), field="value"
            ) from None
        audit_record(
            actor=actor,
            action="standards.figure_submitted",
            target=figure,
            target_label=_label(figure, org_unit),
            org_path=org_unit.path,
            before=before,
            after=snapshot(figure, AUDIT_FIELDS),
            request=request,
        )
        if was_approved:  # the approved value no longer counts
            request_evaluation(years=[year], trigger="reported_figures")
    return figure, "created" if before is None else "updated"


# ----- review ------------------------------------------------------------------------------------
def reviewer_paths(actor: Any) -> tuple[bool, tuple[str, ...]]:
    """(reviews everything, unit paths whose units BELOW them the actor reviews)."""
    scope = viewer_scope(actor)
    if scope.is_superuser or (scope.has_role(Role.DISTRICT_OFFICER) and scope.writes_all):
        return True, ()
    if not scope.has_role(Role.SUBDISTRICT_OFFICER):
        return False, ()
    paths = actor.role_assignments.filter(
        active=True, role=Role.SUBDISTRICT_OFFICER, org_unit__isnull=False
    ).values_list("org_unit__path", flat=True)
    return False, tuple(sorted(paths))


def review_q(actor: Any) -> Q:
    """The figures (or attestations) ``actor`` may review: units strictly below their units."""
    everything, paths = reviewer_paths(actor)
    if everything:
        return Q()
    if not paths:
        return Q(pk__in=[])
    cond = Q()
    for p in paths:
        cond |= Q(org_path__startswith=p) & ~Q(org_path=p)
    return cond


def require_reviewer(actor: Any, figure: ReportedFigure) -> None:
    scope = viewer_scope(actor)
    if scope.is_read_only:
        raise OutOfScope(_("您的角色只能查看，不能审核"))
    if figure.submitted_by_id is not None and figure.submitted_by_id == actor.pk:
        raise OutOfScope(_("不能审核自己提交的填报，请由其他干部审核"))
    everything, paths = reviewer_paths(actor)
    if everything:
        return
    if not paths:
        raise OutOfScope(_("只有上级单位（街道或区）的干部可以审核填报"))
    if not any(figure.org_path.startswith(p) and figure.org_path != p for p in paths):
        raise OutOfScope(_("填报由上级单位审核：该填报不在您的审核范围内"))


def reported_figure_review(
    *,
    actor: Any,
    figure: ReportedFigure,
    approve: bool,
    reason: str = "",
    request: Any = None,
) -> ReportedFigure:
    """Approve or reject a submitted figure (rejecting needs a reason); then recompute the year."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationFailed(_("退回时请填写原因"), field="reason")
    if len(reason) > NOTE_MAX:
        raise ValidationFailed(_("审核意见最多 %(n)d 个字") % {"n": NOTE_MAX}, field="reason")
    with transaction.atomic():
        locked = (
            ReportedFigure.objects.select_for_update(of=("self",))
            .select_related("org_unit")
            .get(pk=figure.pk)
        )
        require_reviewer(actor, locked)
        if locked.status != ReportStatus.SUBMITTED:
            raise ValidationFailed(
                _("该填报已审核（%(status)s），不能再次审核")
                % {"status": locked.get_status_display()},
                field="status",
            )
        before = snapshot(locked, AUDIT_FIELDS)
        locked.status = ReportStatus.APPROVED if approve else ReportStatus.REJECTED
        locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
        locked.review_reason = reason
        locked.save(
            update_fields=["status", "reviewed_by", "reviewed_at", "review_reason", "updated_at"]
        )
        audit_record(
            actor=actor,
            action="standards.figure_approved" if approve else "standards.figure_rejected",
            target=locked,
            target_label=_label(locked, locked.org_unit),
            org_path=locked.org_path,
            before=before,
            after=snapshot(locked, AUDIT_FIELDS),
            request=request,
        )
        request_evaluation(years=[locked.year], trigger="reported_figures")
    return locked
