"""Users, their roles (each bound to an org unit), residents, staff records and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from culture.core.models import TimeStampedModel
from culture.core.personal import encrypted_column, hash_column, masked_column
from culture.core.roles import Role


class User(AbstractUser):
    """Staff sign in with their username; residents with their phone number (looked up by hash)."""

    display_name = models.CharField(_("姓名"), max_length=64, blank=True, default="")
    phone_enc = encrypted_column()
    phone_hash = hash_column()
    phone_masked = masked_column(verbose_name=_("手机号"))
    elderly_mode = models.BooleanField(_("长辈模式"), default=False)

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(
                fields=["phone_hash"], condition=~Q(phone_hash=""), name="user_phone_hash_unique"
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleAssignment(TimeStampedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    org_unit = models.ForeignKey(
        "org.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("所属单位"),
    )
    # A venue manager's reach: the venue they manage (registry issue).
    venue = models.ForeignKey(
        "venues.Venue",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("场馆"),
    )
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [
            # One assignment per role and unit; a venue manager once per venue (a manager of two
            # venues under the same unit holds two assignments).
            models.UniqueConstraint(
                fields=["user", "role", "org_unit"],
                condition=Q(venue__isnull=True),
                name="role_assignment_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "venue"],
                condition=Q(venue__isnull=False),
                name="role_assignment_venue_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} @ {self.org_unit or '—'}"


class Resident(TimeStampedModel):
    """A resident's profile. The ID number is the social security number (社保卡一卡通)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="resident")
    name = models.CharField(_("姓名"), max_length=64)
    id_number_enc = encrypted_column()
    id_number_hash = hash_column()
    id_number_masked = masked_column(verbose_name=_("身份证号"))
    ssc_card_no_enc = encrypted_column()
    ssc_card_no_masked = masked_column(verbose_name=_("社保卡卡号"))
    community = models.ForeignKey(
        "org.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
        verbose_name=_("居住社区"),
    )
    # Set when the phone number was confirmed with a one-time SMS code (self sign-up) or when a
    # district officer registered the resident in person.
    phone_verified_at = models.DateTimeField(_("手机号验证时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        permissions = [
            ("reveal_personal_number", _("可查看完整个人证件号码（每次查看记入审计日志）"))
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~Q(id_number_hash=""),
                name="resident_id_hash_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class StaffMember(TimeStampedModel):
    """A culture worker of an org unit (S39-S42): professional or not, full-time, training."""

    staff_number = models.CharField(_("工号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=64)
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="staff", verbose_name=_("所属单位")
    )
    position = models.CharField(_("岗位"), max_length=64, blank=True, default="")
    is_professional = models.BooleanField(_("专业技术人员"), default=False)
    is_fulltime_culture = models.BooleanField(_("专职文化员"), default=False)
    phone_enc = encrypted_column()
    phone_hash = hash_column()
    phone_masked = masked_column(verbose_name=_("手机号"))
    user = models.OneToOneField(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_record",
        verbose_name=_("登录账号"),
    )
    is_active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        ordering = ["org_unit__code", "staff_number"]
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return f"{self.name}（{self.staff_number}）"


class StaffTraining(TimeStampedModel):
    """Training days of one staff member in one year (S42)."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="training")
    year = models.PositiveSmallIntegerField(_("年度"))
    days = models.DecimalField(_("培训天数"), max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        constraints = [
            models.UniqueConstraint(fields=["staff", "year"], name="staff_training_one_per_year"),
            models.CheckConstraint(
                condition=Q(days__gte=0) & Q(days__lte=366), name="staff_training_days_range"
            ),
        ]


class SmsCode(TimeStampedModel):
    """A one-time SMS code: only its keyed hash is stored, with an expiry and an attempt count."""

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("注册")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sms_codes")
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.SIGNUP)
    code_hash = models.CharField(max_length=64, editable=False)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")


class ApiToken(TimeStampedModel):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=64)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API令牌")
        verbose_name_plural = _("API令牌")


class Notification(TimeStampedModel):
    """An in-app message to one user (a waiting-list place freed, a booking cancelled by a room
    block...). Written by ``culture.accounts.notifications.notify``, which also hands the text to
    the outside channels (SMS, WeChat) after commit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("类型"), max_length=32)
    text = models.CharField(_("内容"), max_length=500)
    url = models.CharField(_("链接"), max_length=200, blank=True, default="")
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text[:40]
