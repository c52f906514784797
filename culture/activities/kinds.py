"""The activity kinds the standards catalogue counts, declared in ONE table.

Each kind names the catalogue rows it feeds and which optional fields apply to it. A field that
does not apply to a kind is refused by the services ("does not apply"); a required one must be
filled. Fields every kind may carry (brand, 一街一品 flag, partner, target groups, online) are not
listed here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

# Kind-specific optional fields (model field names).
FILM_RELEASE_DATE = "film_release_date"
FILM_DOMESTIC = "film_domestic"
SESSIONS = "sessions"
BOOKS_COUNT = "books_count"
BRANCH_SYSTEM = "branch_system"
KIND_FIELDS = (FILM_RELEASE_DATE, FILM_DOMESTIC, SESSIONS, BOOKS_COUNT, BRANCH_SYSTEM)


@dataclass(frozen=True)
class ActivityKind:
    code: str
    label_zh: str
    label_en: str
    indicators: tuple[str, ...]  # catalogue rows (product.md) this kind feeds
    fields: tuple[str, ...] = ()  # kind-specific fields that apply
    required: tuple[str, ...] = ()  # of those, the ones that must be filled
    always_online: bool = False


KINDS: tuple[ActivityKind, ...] = (
    ActivityKind("performance_delivered", "送演出", "Performance delivered", ("S27",)),
    ActivityKind("performance", "文艺演出", "Performance", ("S29",)),
    ActivityKind("mass_activity", "群众文化活动", "Mass cultural activity", ("S29",)),
    ActivityKind("exhibition", "展览", "Exhibition", ("S31",)),
    ActivityKind("training_class", "培训班", "Training class", ("T10",)),
    ActivityKind("lecture", "讲座", "Lecture", ()),
    ActivityKind(
        "film_screening",
        "电影放映",
        "Film screening",
        ("S32",),
        fields=(FILM_RELEASE_DATE, FILM_DOMESTIC),
        required=(FILM_RELEASE_DATE, FILM_DOMESTIC),
    ),
    ActivityKind(
        "patriotic_screening",
        "中小学生爱国主义电影放映",
        "Patriotic film screening for pupils",
        ("S32",),
        fields=(FILM_RELEASE_DATE, FILM_DOMESTIC),
    ),
    ActivityKind(
        "online_service",
        "线上服务",
        "Online service",
        ("T01", "T02", "S13"),
        fields=(SESSIONS,),
        required=(SESSIONS,),
        always_online=True,
    ),
    ActivityKind(
        "digital_project",
        "主题数字服务项目",
        "Thematic digital project",
        ("S14",),
        always_online=True,
    ),
    ActivityKind(
        "joint_service",
        "总分馆联动服务",
        "Main/branch joint service",
        ("S30",),
        fields=(BRANCH_SYSTEM,),
        required=(BRANCH_SYSTEM,),
    ),
    ActivityKind("mobile_performance", "流动演出", "Mobile performance", ("S45",)),
    ActivityKind("mobile_exhibition", "流动展览", "Mobile exhibition", ("S45",)),
    ActivityKind(
        "books_to_grassroots",
        "送书下基层",
        "Books to grassroots",
        ("S45",),
        fields=(BOOKS_COUNT,),
        required=(BOOKS_COUNT,),
    ),
    ActivityKind("exchange_visit", "文化走亲", "Cultural exchange visit", ("S46",)),
    ActivityKind("international_exchange", "国际文化交流", "International exchange", ("S49",)),
    ActivityKind("science", "科普活动", "Science popularisation", ()),
    ActivityKind(
        "theatre_public_benefit", "剧院公益演出", "Public-benefit event at the theatre", ("S28",)
    ),
    ActivityKind("other", "其他活动", "Other activity", ()),
)

KIND_BY_CODE: dict[str, ActivityKind] = {k.code: k for k in KINDS}


def kind_choices() -> list[tuple[str, object]]:
    return [(k.code, _(k.label_zh)) for k in KINDS]


def get_kind(code: str) -> ActivityKind | None:
    return KIND_BY_CODE.get(code)


class Brand(models.TextChoices):
    CANAL_FOUR_SEASONS = "canal_four_seasons", _("运河文化四季歌")
    COMMUNITY_CULTURE_MONTH = "community_culture_month", _("社区文化月")
    CANAL_CULTURE_FESTIVAL = "canal_culture_festival", _("运河文化节")
    SPARK_ARTS = "spark_arts", _("文艺星火赋美")
    OTHER = "other", _("其他品牌")


class BranchSystem(models.TextChoices):
    LIBRARY = "library", _("图书馆总分馆")
    CULTURE_CENTRE = "culture_centre", _("文化馆总分馆")


class AttendanceSource(models.TextChoices):
    ENTERED = "entered", _("填报人次")
    CHECKINS = "checkins", _("签到人次")


# Target groups (T17): each is a boolean column on Activity, so counts per group are set-based.
TARGET_GROUPS: tuple[tuple[str, object], ...] = (
    ("for_elderly", _("老年人")),
    ("for_minors", _("未成年人")),
    ("for_disabled", _("残疾人")),
    ("for_migrant_workers", _("外来务工人员")),
    ("for_servicemen", _("军人及退役军人")),
)
TARGET_GROUP_FIELDS = tuple(f for f, _label in TARGET_GROUPS)
# Short codes used in filters, the API and the spreadsheet column.
TARGET_GROUP_CODES = {
    "elderly": "for_elderly",
    "minors": "for_minors",
    "disabled": "for_disabled",
    "migrant_workers": "for_migrant_workers",
    "servicemen": "for_servicemen",
}
