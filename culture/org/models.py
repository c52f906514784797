"""The district > subdistrict > community tree (national statistical division codes)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from culture.core.models import TimeStampedModel


class OrgLevel(models.TextChoices):
    DISTRICT = "district", _("区")
    SUBDISTRICT = "subdistrict", _("街道")
    COMMUNITY = "community", _("社区")


# Code length per level (national statistical division codes): 330105 / 330105001 / 330105001001.
CODE_LENGTH = {OrgLevel.DISTRICT: 6, OrgLevel.SUBDISTRICT: 9, OrgLevel.COMMUNITY: 12}
PARENT_LEVEL = {OrgLevel.SUBDISTRICT: OrgLevel.DISTRICT, OrgLevel.COMMUNITY: OrgLevel.SUBDISTRICT}


class OrgUnit(TimeStampedModel):
    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    level = models.CharField(_("层级"), max_length=16, choices=OrgLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级单位"),
    )
    # Materialised path of codes, each followed by "/": scope checks are prefix matches.
    path = models.CharField(_("路径"), max_length=64, unique=True, editable=False)
    name_zh = models.CharField(_("中文名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=128, blank=True, default="")
    population = models.PositiveIntegerField(_("常住人口"), default=0)
    area_km2 = models.DecimalField(
        _("面积（平方公里）"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    # GeoJSON geometry (Polygon / MultiPolygon) in WGS-84 lon/lat.
    boundary = models.JSONField(_("边界"), null=True, blank=True)
    centroid_lat = models.FloatField(_("中心纬度"), null=True, blank=True)
    centroid_lon = models.FloatField(_("中心经度"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("组织单位")
        verbose_name_plural = _("组织单位")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level="district", parent__isnull=True)
                    | Q(level__in=["subdistrict", "community"], parent__isnull=False)
                ),
                name="org_unit_parent_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return self.name_zh

    @property
    def display_name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh

    @property
    def density(self) -> float | None:
        if not self.area_km2:
            return None
        return float(self.population) / float(self.area_km2)


class ResidentialDevelopment(TimeStampedModel):
    """A new residential area or future community (S08, S36): population, fitness space and
    culture space, so the per-person standards can be computed."""

    code = models.CharField(_("小区编号"), max_length=32, unique=True)
    name = models.CharField(_("小区名称"), max_length=100)
    community = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="residential_developments",
        verbose_name=_("所在社区"),
    )
    population = models.PositiveIntegerField(_("居住人口"), default=0)
    indoor_fitness_m2 = models.DecimalField(
        _("室内健身面积（平方米）"), max_digits=10, decimal_places=1, default=0
    )
    outdoor_fitness_m2 = models.DecimalField(
        _("室外健身面积（平方米）"), max_digits=10, decimal_places=1, default=0
    )
    culture_space_m2 = models.DecimalField(
        _("文化空间面积（平方米）"), max_digits=10, decimal_places=1, default=0
    )
    is_future_community = models.BooleanField(_("未来社区"), default=False)
    completion_year = models.PositiveSmallIntegerField(_("建成年份"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("新建住宅小区")
        verbose_name_plural = _("新建住宅小区")
        constraints = [
            models.CheckConstraint(
                condition=Q(indoor_fitness_m2__gte=0)
                & Q(outdoor_fitness_m2__gte=0)
                & Q(culture_space_m2__gte=0),
                name="residential_development_areas_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def _per_person(self, area) -> float | None:
        return float(area) / self.population if self.population else None

    @property
    def indoor_per_person(self) -> float | None:
        return self._per_person(self.indoor_fitness_m2)

    @property
    def outdoor_per_person(self) -> float | None:
        return self._per_person(self.outdoor_fitness_m2)

    @property
    def culture_per_person(self) -> float | None:
        return self._per_person(self.culture_space_m2)
