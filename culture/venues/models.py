"""Venues and spaces of every kind, and their rooms.

Two units per venue (product.md, Decisions): the *operator* unit runs it and decides who may edit
it; the *location* community is computed from the coordinates by the service and decides what the
venue counts for on the ground. Coordinates are stored in WGS-84; the opening-hours figures
(weekly hours, days open, off-peak share) are computed by the service on every save so standards
can query them set-based.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from culture.core.models import TimeStampedModel


class VenueKind(models.TextChoices):
    # The five district venues (四馆一院).
    LIBRARY = "library", _("图书馆")
    CULTURE_CENTRE = "culture_centre", _("文化馆")
    MUSEUM = "museum", _("博物馆")
    HERITAGE_HALL = "heritage_hall", _("非遗馆")
    THEATRE = "theatre", _("剧院")
    # Subdistrict and community level.
    CULTURE_STATION = "culture_station", _("街道综合文化站")
    COMMUNITY_CENTRE = "community_centre", _("社区文化家园")
    CITY_BOOKROOM = "city_bookroom", _("城市书房")
    CULTURE_POST = "culture_post", _("文化驿站")
    PERFORMANCE_SPOT = "performance_spot", _("文艺星火赋美演艺点")
    BRANCH_LIBRARY = "branch_library", _("图书馆分馆")
    CULTURE_CENTRE_BRANCH = "culture_centre_branch", _("文化馆分馆")
    READING_ROOM = "reading_room", _("社区阅览室")
    GALLERY = "gallery", _("美术馆")
    # Sports.
    SPORTS_CENTRE = "sports_centre", _("全民健身中心")
    SPORTS_COURT = "sports_court", _("球场（五人制足球场/笼式球场）")
    SPORTS_GROUND = "sports_ground", _("社区运动场地")
    GYM = "gym", _("健身房")
    PUBLIC_GYM = "public_gym", _("百姓健身房")
    SCHOOL_GROUND = "school_ground", _("学校体育场地")
    # Information and exchange.
    NEWS_BOARD = "news_board", _("阅报栏")
    E_SCREEN = "e_screen", _("电子阅报屏")
    ARTS_EDUCATION_BASE = "arts_education_base", _("美育（艺术教育）基地")
    EXCHANGE_BASE = "exchange_base", _("国际文化交流基地")


# The five district venues (S01): these kinds, run by the district.
DISTRICT_VENUE_KINDS = (
    VenueKind.LIBRARY,
    VenueKind.CULTURE_CENTRE,
    VenueKind.MUSEUM,
    VenueKind.HERITAGE_HALL,
    VenueKind.THEATRE,
)
LIBRARY_KINDS = (
    VenueKind.LIBRARY,
    VenueKind.BRANCH_LIBRARY,
    VenueKind.READING_ROOM,
    VenueKind.CITY_BOOKROOM,
)
SPORTS_KINDS = (
    VenueKind.SPORTS_CENTRE,
    VenueKind.SPORTS_COURT,
    VenueKind.SPORTS_GROUND,
    VenueKind.GYM,
    VenueKind.PUBLIC_GYM,
    VenueKind.SCHOOL_GROUND,
)
# 15-minute circle (2.2.3): essential public culture venues (必备公共文化场馆) and public-welfare
# cultural spaces (公益性公共文化空间). Kinds in neither list do not count for the circle.
PUBLIC_CULTURE_VENUE_KINDS = (
    VenueKind.LIBRARY,
    VenueKind.CULTURE_CENTRE,
    VenueKind.MUSEUM,
    VenueKind.HERITAGE_HALL,
    VenueKind.THEATRE,
    VenueKind.CULTURE_STATION,
    VenueKind.COMMUNITY_CENTRE,
)
PUBLIC_WELFARE_SPACE_KINDS = (
    VenueKind.CITY_BOOKROOM,
    VenueKind.CULTURE_POST,
    VenueKind.PERFORMANCE_SPOT,
    VenueKind.BRANCH_LIBRARY,
    VenueKind.CULTURE_CENTRE_BRANCH,
    VenueKind.READING_ROOM,
    VenueKind.GALLERY,
    VenueKind.PUBLIC_GYM,
    VenueKind.ARTS_EDUCATION_BASE,
)


class VenueGrade(models.TextChoices):
    NONE = "", _("未定级")
    NATIONAL_1 = "national_1", _("国家一级")
    NATIONAL_2 = "national_2", _("国家二级")
    NATIONAL_3 = "national_3", _("国家三级")
    PROVINCIAL_SPECIAL = "provincial_special", _("省特级")
    PROVINCIAL_1 = "provincial_1", _("省一级")
    PROVINCIAL_2 = "provincial_2", _("省二级")
    PROVINCIAL_3 = "provincial_3", _("省三级")


class BookroomCertification(models.TextChoices):
    NONE = "", _("未认证")
    DISTRICT = "district", _("区级认证")
    CITY = "city", _("市级认证")
    PROVINCIAL = "provincial", _("省级认证")


class FeePolicy(models.TextChoices):
    FREE = "free", _("免费")
    LOW = "low", _("低收费")
    PAID = "paid", _("收费")


class VenueStatus(models.TextChoices):
    OPEN = "open", _("开放")
    CLOSED = "closed", _("关闭")


class CoordSystem(models.TextChoices):
    WGS84 = "wgs84", _("WGS-84（GPS）")
    GCJ02 = "gcj02", _("GCJ-02（高德/腾讯地图）")
    BD09 = "bd09", _("BD-09（百度地图）")


class TargetGroup(models.TextChoices):
    MINORS = "minors", _("未成年人")
    ELDERLY = "elderly", _("老年人")
    SERVICEMEN = "servicemen", _("现役军人及退役军人")
    DISABLED = "disabled", _("残疾人")
    LOW_INCOME = "low_income", _("低收入群体")


class FreeDay(models.TextChoices):
    STATUTORY_HOLIDAYS = "statutory_holidays", _("法定节假日")
    FITNESS_DAY = "fitness_day", _("全民健身日（8月8日）")
    HERITAGE_DAY = "heritage_day", _("文化和自然遗产日")
    MUSEUM_DAY = "museum_day", _("国际博物馆日（5月18日）")


class Venue(TimeStampedModel):
    code = models.CharField(_("场馆编码"), max_length=32, unique=True)
    name_zh = models.CharField(_("中文名称"), max_length=128)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True, default="")
    kind = models.CharField(_("类型"), max_length=32, choices=VenueKind.choices, db_index=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=VenueStatus.choices, default=VenueStatus.OPEN
    )
    operator_unit = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="operated_venues",
        verbose_name=_("运营单位"),
    )
    # Computed from the coordinates by the service (never entered).
    location_community = models.ForeignKey(
        "org.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="located_venues",
        verbose_name=_("所在社区"),
        editable=False,
    )
    grade = models.CharField(
        _("等级"), max_length=32, choices=VenueGrade.choices, blank=True, default=""
    )
    floor_area_m2 = models.DecimalField(
        _("建筑面积（平方米）"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    # WGS-84, decimal degrees.
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    coord_source_system = models.CharField(
        _("原始坐标系"), max_length=8, choices=CoordSystem.choices, default=CoordSystem.WGS84
    )
    address = models.CharField(_("地址"), max_length=255, blank=True, default="")

    # Opening hours (OpenStreetMap syntax) and the figures computed from them.
    opening_hours = models.CharField(_("开放时间"), max_length=500, blank=True, default="")
    weekly_hours = models.FloatField(_("每周开放小时"), null=True, blank=True, editable=False)
    days_open_per_year = models.PositiveSmallIntegerField(
        _("年开放天数"), null=True, blank=True, editable=False
    )
    offpeak_share = models.FloatField(_("错时开放占比"), null=True, blank=True, editable=False)
    min_rest_day_hours = models.FloatField(
        _("休息日最短开放小时"), null=True, blank=True, editable=False
    )
    hours_year = models.PositiveSmallIntegerField(
        _("开放时间计算年份"), null=True, blank=True, editable=False
    )

    # Fees (S24, S25).
    fee_policy = models.CharField(
        _("收费方式"), max_length=8, choices=FeePolicy.choices, default=FeePolicy.FREE
    )
    ticket_price = models.DecimalField(
        _("票价（元）"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    market_price = models.DecimalField(
        _("市场价（元）"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    waiver_groups = models.JSONField(_("减免对象"), default=list, blank=True)
    free_days = models.JSONField(_("免费开放日"), default=list, blank=True)

    # Facilities and services.
    has_wifi = models.BooleanField(_("免费Wi-Fi"), default=False)
    has_signage = models.BooleanField(_("统一标识"), default=False)
    is_accessible = models.BooleanField(_("无障碍设施"), default=False)
    has_special_group_area = models.BooleanField(_("特殊群体服务区"), default=False)
    has_blind_reading = models.BooleanField(_("盲人阅读区"), default=False)
    has_board_of_trustees = models.BooleanField(_("理事会"), default=False)
    has_culture_steward = models.BooleanField(_("文化管家"), default=False)
    social_operation = models.BooleanField(_("社会化运营"), default=False)
    social_operator = models.CharField(_("运营机构"), max_length=128, blank=True, default="")
    accepts_ssc_card = models.BooleanField(_("社保卡一卡通"), default=False)

    # Platform onboarding.
    on_zheli_platform = models.BooleanField(_("接入浙里基本公共服务"), default=False)
    on_culture_cloud = models.BooleanField(_("接入浙江智慧文化云"), default=False)
    on_national_smart_library = models.BooleanField(_("接入国家智慧图书馆"), default=False)
    on_one_click_borrowing = models.BooleanField(_("接入一键借阅"), default=False)
    on_media_platform = models.BooleanField(_("接入融媒体平台"), default=False)

    # Kind-specific (see culture.venues.kinds.KIND_FIELDS).
    bookroom_certification = models.CharField(
        _("城市书房认证等级"),
        max_length=16,
        choices=BookroomCertification.choices,
        blank=True,
        default="",
    )
    theatre_seats = models.PositiveIntegerField(_("剧场座位数"), null=True, blank=True)
    state_owned = models.BooleanField(_("国有"), default=False)
    school_open_eligible = models.BooleanField(_("具备开放条件"), default=False)
    school_open_to_public = models.BooleanField(_("向社会开放"), default=False)
    is_happy_culture_centre = models.BooleanField(_("幸福文化馆"), default=False)
    is_satisfying_library = models.BooleanField(_("满意图书馆"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("场馆")
        verbose_name_plural = _("场馆")
        indexes = [
            models.Index(fields=["kind", "status"], name="venue_kind_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="venue_coordinates_range",
            ),
            models.CheckConstraint(
                condition=Q(offpeak_share__isnull=True)
                | Q(offpeak_share__gte=0, offpeak_share__lte=1),
                name="venue_offpeak_share_range",
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
    def is_district_venue(self) -> bool:
        return self.kind in DISTRICT_VENUE_KINDS


def venue_field(name: str) -> models.Field:
    """A concrete field of Venue (typed, for verbose names and defaults)."""
    field = Venue._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


class Room(TimeStampedModel):
    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("场馆")
    )
    name = models.CharField(_("名称"), max_length=64)
    capacity = models.PositiveIntegerField(_("容纳人数"))
    area_m2 = models.DecimalField(
        _("面积（平方米）"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    equipment = models.CharField(_("设备"), max_length=500, blank=True, default="")
    is_active = models.BooleanField(_("可用"), default=True)

    class Meta:
        ordering = ["venue_id", "name"]
        verbose_name = _("活动室")
        verbose_name_plural = _("活动室")
        constraints = [
            models.UniqueConstraint(fields=["venue", "name"], name="room_name_unique_per_venue"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="room_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.venue.name_zh} · {self.name}"
