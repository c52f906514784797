"""Cultural teams (三团三社 and others), culture households and talents (S44), and cultural
organisations and partners (2.4.2, 2.6.2).

Every record has a natural key (``code``) so a re-import updates rather than duplicates, and an
owning org unit whose ``path`` decides who sees and edits it.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from culture.core.models import TimeStampedModel
from culture.core.personal import encrypted_column, hash_column, masked_column


class TeamKind(models.TextChoices):
    CHOIR = "choir", _("合唱团")
    FOLK_ORCHESTRA = "folk_orchestra", _("民乐团")
    ART_TROUPE = "art_troupe", _("艺术团")
    LITERATURE = "literature", _("文学社")
    PHOTOGRAPHY = "photography", _("摄影社")
    CALLIGRAPHY_PAINTING = "calligraphy_painting", _("书画社")
    DANCE = "dance", _("舞蹈队")
    XIQU = "xiqu", _("戏曲队")
    DRAMA = "drama", _("话剧团")
    BAND = "band", _("乐队")
    OTHER = "other", _("其他")


# 三团三社: the three troupes and three societies the policy puts at the core (2.4.1, S43).
CORE_KINDS = (
    TeamKind.CHOIR,
    TeamKind.FOLK_ORCHESTRA,
    TeamKind.ART_TROUPE,
    TeamKind.LITERATURE,
    TeamKind.PHOTOGRAPHY,
    TeamKind.CALLIGRAPHY_PAINTING,
)


def active_team_q(*, on: date, window_days: int, prefix: str = "") -> models.Q:
    """The "active team" rule (S43): the active flag is set and the team was last active within
    ``window_days`` days up to ``on``. The caller gives the window: the named setting for the
    teams pages, the named definition (``ctx.definitions``) for the standards engine."""
    since = on - timedelta(days=window_days)
    return models.Q(
        **{
            f"{prefix}is_active": True,
            f"{prefix}last_active_on__gte": since,
            f"{prefix}last_active_on__lte": on,
        }
    )


class CulturalTeam(TimeStampedModel):
    code = models.CharField(_("团队编号"), max_length=32, unique=True)
    name = models.CharField(_("团队名称"), max_length=100)
    kind = models.CharField(_("团队类别"), max_length=32, choices=TeamKind.choices, db_index=True)
    org_unit = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="cultural_teams",
        verbose_name=_("所属单位"),
    )
    members_count = models.PositiveIntegerField(_("成员人数"), default=0)
    leader_name = models.CharField(_("负责人"), max_length=64, blank=True, default="")
    rehearsal_venue = models.ForeignKey(
        "venues.Venue",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rehearsing_teams",
        verbose_name=_("排练场馆"),
    )
    rehearsal_place = models.CharField(_("排练地点"), max_length=200, blank=True, default="")
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    is_active = models.BooleanField(_("活跃"), default=True)
    last_active_on = models.DateField(_("最近活动日期"), null=True, blank=True)
    # Optional member list: [{"name": "...", "role": "..."}]; no personal numbers.
    members = models.JSONField(_("成员名单"), default=list, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("文艺团队")
        verbose_name_plural = _("文艺团队")
        indexes = [models.Index(fields=["org_unit", "kind"], name="team_unit_kind")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(code=""), name="cultural_team_code_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_core_kind(self) -> bool:
        return self.kind in CORE_KINDS


class CultureHousehold(TimeStampedModel):
    """文化示范户 (S44: each community >= 1)."""

    code = models.CharField(_("编号"), max_length=32, unique=True)
    name = models.CharField(_("户名"), max_length=100)
    community = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="culture_households",
        verbose_name=_("所在社区"),
    )
    speciality = models.CharField(_("文化特长"), max_length=100, blank=True, default="")
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("文化示范户")
        verbose_name_plural = _("文化示范户")

    def __str__(self) -> str:
        return self.name


class CultureTalent(TimeStampedModel):
    """社区文化能人 (S44: each community >= 2)."""

    code = models.CharField(_("编号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=64)
    community = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="culture_talents",
        verbose_name=_("所在社区"),
    )
    speciality = models.CharField(_("文化特长"), max_length=100, blank=True, default="")
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("社区文化能人")
        verbose_name_plural = _("社区文化能人")

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    SOCIAL_ORGANISATION = "social_organisation", _("社会组织")
    WORKERS_PALACE = "workers_palace", _("工人文化宫")
    WOMEN_CENTRE = "women_centre", _("妇女活动中心")
    YOUTH_CENTRE = "youth_centre", _("青少年活动中心")
    ENTERPRISE = "enterprise", _("企业")
    SCHOOL = "school", _("学校")
    ASSOCIATION = "association", _("文艺协会")
    OTHER = "other", _("其他")


class CulturalOrganisation(TimeStampedModel):
    """Cultural organisations and partners: social organisations, the workers' cultural palace,
    women's and youth centres... Contact phone stored encrypted, shown masked."""

    code = models.CharField(_("组织编号"), max_length=32, unique=True)
    name = models.CharField(_("组织名称"), max_length=120)
    kind = models.CharField(
        _("组织类别"), max_length=32, choices=OrganisationKind.choices, db_index=True
    )
    org_unit = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="cultural_organisations",
        verbose_name=_("所属单位"),
    )
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True, default="")
    phone_enc = encrypted_column()
    phone_hash = hash_column()
    phone_masked = masked_column(verbose_name=_("联系电话"))
    address = models.CharField(_("地址"), max_length=200, blank=True, default="")
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("文化组织与合作伙伴")
        verbose_name_plural = _("文化组织与合作伙伴")

    def __str__(self) -> str:
        return self.name
