"""Stored evaluation results, reported figures, attestations and named definitions.

The cockpit reads stored results (the latest finished run of a year) and never waits on a full
recomputation; a run is made after imports and edits (``culture.standards.refresh``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.core.models import TimeStampedModel


class Status(models.TextChoices):
    MET = "met", _("达标")
    NOT_MET = "not_met", _("未达标")
    NOT_DUE = "not_due", _("未到期")
    NO_DATA = "no_data", _("无数据")
    NOT_APPLICABLE = "not_applicable", _("不适用")
    INFO = "info", _("仅供参考")


class Source(models.TextChoices):
    COMPUTED = "computed", _("系统计算")
    REPORTED = "reported", _("统计填报")
    ATTESTED = "attested", _("佐证认定")
    NONE = "", _("无")


class EvaluationRun(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    trigger = models.CharField(_("触发原因"), max_length=64, blank=True, default="")
    # The named definitions the run used (key -> value) and the as-of date.
    definitions = models.JSONField(_("所用定义"), default=dict)
    as_of = models.DateField(_("统计截止日"))
    result_count = models.PositiveIntegerField(_("结果数"), default=0)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("评估批次")
        verbose_name_plural = _("评估批次")
        indexes = [models.Index(fields=["year", "-finished_at"], name="run_year_finished")]

    def __str__(self) -> str:
        return f"{self.year} #{self.pk}"


class IndicatorResult(models.Model):
    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="results")
    indicator_id = models.CharField(_("指标"), max_length=8)
    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(_("层级"), max_length=16)  # district/subdistrict/community/venue
    # Org unit results: org_unit set, venue null. Venue results: venue set and org_unit the
    # community it stands in (or its operator when it has no location).
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    org_path = models.CharField(max_length=64, default="")
    venue = models.ForeignKey(
        "venues.Venue", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    tier = models.CharField(max_length=32, blank=True, default="")
    value = models.FloatField(null=True, blank=True)
    target = models.FloatField(null=True, blank=True)
    comparator = models.CharField(max_length=2, default=">=")
    unit = models.CharField(max_length=24, default="")
    status = models.CharField(max_length=16, choices=Status.choices)
    gap = models.FloatField(null=True, blank=True)  # how far short, in the indicator's unit
    relative_gap = models.FloatField(null=True, blank=True)  # gap / target, for "worst first"
    source = models.CharField(max_length=16, choices=Source.choices, blank=True, default="")
    reported_value = models.FloatField(null=True, blank=True)  # shown beside a computed value
    conflict = models.BooleanField(default=False)
    parts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["indicator_id", "org_path", "venue_id"]
        indexes = [
            models.Index(fields=["run", "indicator_id", "level"], name="result_run_indicator"),
            models.Index(fields=["run", "org_path"], name="result_run_path"),
        ]


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("已退回")


class ReportedFigure(TimeStampedModel):
    """A figure a unit reports for a year (统计填报), approved by the unit above."""

    indicator_id = models.CharField(_("指标"), max_length=8)
    field_key = models.CharField(_("填报项"), max_length=32, default="value")
    org_unit = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="reported_figures",
        verbose_name=_("填报单位"),
    )
    org_path = models.CharField(max_length=64, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=4)
    note = models.CharField(_("说明"), max_length=500, blank=True, default="")
    status = models.CharField(
        _("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.CharField(_("审核意见"), max_length=500, blank=True, default="")

    class Meta:
        ordering = ["year", "indicator_id", "org_path", "field_key"]
        verbose_name = _("统计填报")
        verbose_name_plural = _("统计填报")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_id", "field_key", "org_unit", "year"],
                name="reported_figure_unique",
            ),
        ]


class AttestationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已认定")
    REJECTED = "rejected", _("未认定")


class Attestation(TimeStampedModel):
    """Evidence uploaded for an attestation item; accepted evidence counts for its year only."""

    indicator_id = models.CharField(_("指标"), max_length=8)
    org_unit = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="attestations",
        verbose_name=_("单位"),
    )
    org_path = models.CharField(max_length=64, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("佐证标题"), max_length=200)
    evidence = models.FileField(_("佐证材料"), upload_to="evidence/%Y/")
    original_name = models.CharField(max_length=255, default="")
    sha256 = models.CharField(max_length=64, default="")
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=AttestationStatus.choices,
        default=AttestationStatus.PENDING,
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.CharField(_("审核意见"), max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-year", "indicator_id", "org_path", "-created_at"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        constraints = [
            # One accepted attestation per item, unit and year.
            models.UniqueConstraint(
                fields=["indicator_id", "org_unit", "year"],
                condition=Q(status="accepted"),
                name="attestation_one_accepted",
            ),
        ]


class NamedDefinition(TimeStampedModel):
    """A district officer's value for a named definition (definitions.py holds the defaults)."""

    key = models.CharField(max_length=64, unique=True)
    value = models.JSONField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("指标口径")
        verbose_name_plural = _("指标口径")
