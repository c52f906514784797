"""Residential points, candidate sites, and circles the district creates and has accepted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from culture.core.models import TimeStampedModel
from culture.venues.models import CoordSystem


class PointSource(models.TextChoices):
    IMPORTED = "imported", _("导入（小区坐标与人口）")
    GENERATED = "generated", _("按社区人口在边界内均布生成")


class ResidentialPoint(TimeStampedModel):
    """A home location with its residents: an imported compound, or (when none is imported) a
    point generated from a community's population spread over its boundary."""

    code = models.CharField(_("居住点编号"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100, blank=True, default="")
    community = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="residential_points",
        verbose_name=_("所在社区"),
    )
    community_path = models.CharField(max_length=64, editable=False)
    lon = models.FloatField(_("经度"))  # WGS-84
    lat = models.FloatField(_("纬度"))
    coord_source_system = models.CharField(
        _("原始坐标系"), max_length=8, choices=CoordSystem.choices, default=CoordSystem.WGS84
    )
    population = models.PositiveIntegerField(_("居住人口"))
    source = models.CharField(
        _("来源"), max_length=16, choices=PointSource.choices, default=PointSource.IMPORTED
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("居住点")
        verbose_name_plural = _("居住点")
        indexes = [models.Index(fields=["community_path"], name="respoint_path")]


class CandidateSite(TimeStampedModel):
    """A place a new space could go (imported), for the siting question."""

    code = models.CharField(_("候选点编号"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100, blank=True, default="")
    community = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="candidate_sites",
        verbose_name=_("所在社区"),
    )
    community_path = models.CharField(max_length=64, editable=False)
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    coord_source_system = models.CharField(
        _("原始坐标系"), max_length=8, choices=CoordSystem.choices, default=CoordSystem.WGS84
    )
    note = models.CharField(_("说明"), max_length=200, blank=True, default="")

    class Meta:
        ordering = ["code"]
        verbose_name = _("候选点位")
        verbose_name_plural = _("候选点位")


class CircleStatus(models.TextChoices):
    PLANNED = "planned", _("创建中")
    ACCEPTED = "accepted", _("已验收")


class Circle(TimeStampedModel):
    """A 15-minute culture circle the district creates and has accepted (创建, 验收), one per
    community by default. ``code`` is the stable circle code printed on its QR poster (一圈一码):
    it never changes when the data do."""

    code = models.CharField(_("圈码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    theme = models.CharField(_("主题（一圈一韵）"), max_length=100, blank=True, default="")
    community = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="circles",
        verbose_name=_("服务社区"),
    )
    community_path = models.CharField(max_length=64, editable=False)
    essential_venue = models.ForeignKey(
        "venues.Venue",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("必备公共文化场馆"),
    )
    spaces = models.ManyToManyField(
        "venues.Venue", blank=True, related_name="+", verbose_name=_("公益性公共文化空间")
    )
    has_information_board = models.BooleanField(_("统一标识与信息公示栏"), default=False)
    has_demand_channel = models.BooleanField(_("活动报名与需求征集渠道"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=CircleStatus.choices, default=CircleStatus.PLANNED
    )
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("验收人"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("文化生活圈")
        verbose_name_plural = _("文化生活圈")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="planned") | Q(accepted_on__isnull=False),
                name="circle_accepted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name
