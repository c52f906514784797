"""Cultural activities of every kind the standards catalogue counts (see ``kinds.py``)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from culture.activities.kinds import (
    TARGET_GROUP_CODES,
    AttendanceSource,
    BranchSystem,
    Brand,
    kind_choices,
)
from culture.core.models import TimeStampedModel


class Activity(TimeStampedModel):
    # Natural key: ``external_id`` when the source system has one (unique), else
    # organiser + venue + start + title, kept as a hash in ``natural_key``.
    external_id = models.CharField(_("外部编号"), max_length=64, blank=True, default="")
    natural_key = models.CharField(_("自然键"), max_length=40, editable=False)
    title = models.CharField(_("活动名称"), max_length=200)
    kind = models.CharField(_("活动类型"), max_length=32, choices=kind_choices(), db_index=True)
    organiser = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("主办单位"),
    )
    # The organiser's materialised path, copied (paths never change): scope filters and the
    # yearly counts run on this table alone.
    organiser_path = models.CharField(_("主办单位路径"), max_length=64, editable=False)
    venue = models.ForeignKey(
        "venues.Venue",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("场馆"),
    )
    start_at = models.DateTimeField(_("开始时间"))
    end_at = models.DateTimeField(_("结束时间"))
    online = models.BooleanField(_("线上活动"), default=False)
    attendance = models.PositiveIntegerField(_("参与人次"), default=0)
    attendance_source = models.CharField(
        _("人次来源"),
        max_length=16,
        choices=AttendanceSource.choices,
        default=AttendanceSource.ENTERED,
    )
    for_elderly = models.BooleanField(_("面向老年人"), default=False)
    for_minors = models.BooleanField(_("面向未成年人"), default=False)
    for_disabled = models.BooleanField(_("面向残疾人"), default=False)
    for_migrant_workers = models.BooleanField(_("面向外来务工人员"), default=False)
    for_servicemen = models.BooleanField(_("面向军人及退役军人"), default=False)
    partner = models.CharField(_("合作单位"), max_length=200, blank=True, default="")
    brand = models.CharField(
        _("品牌活动"), max_length=32, choices=Brand.choices, blank=True, default=""
    )
    is_signature = models.BooleanField(_("一街一品"), default=False)
    description = models.TextField(_("活动简介"), blank=True, default="")
    cancelled = models.BooleanField(_("已取消"), default=False)
    # Kind-specific (see kinds.KINDS for which kind uses which).
    film_release_date = models.DateField(_("影片上映日期"), null=True, blank=True)
    film_domestic = models.BooleanField(_("国产影片"), null=True, blank=True)
    sessions = models.PositiveIntegerField(_("服务场次"), null=True, blank=True)
    books_count = models.PositiveIntegerField(_("送书册数"), null=True, blank=True)
    branch_system = models.CharField(
        _("总分馆体系"), max_length=16, choices=BranchSystem.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["-start_at", "-id"]
        verbose_name = _("文化活动")
        verbose_name_plural = _("文化活动")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="activity_external_id_unique",
            ),
            models.UniqueConstraint(
                fields=["natural_key"],
                condition=Q(external_id=""),
                name="activity_natural_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(end_at__gte=models.F("start_at")), name="activity_end_after_start"
            ),
        ]
        indexes = [
            # Covering index of the yearly grouped counts (activity_counts): the query reads
            # nothing else, so SQLite and PostgreSQL answer from the index alone.
            models.Index(
                fields=[
                    "start_at",
                    "organiser_path",
                    "kind",
                    "attendance",
                    "sessions",
                    "books_count",
                ],
                condition=Q(cancelled=False),
                name="activity_year_counts_live",
            ),
            models.Index(fields=["organiser_path", "start_at"], name="activity_scope_start"),
            # The summaries' bucket recomputation after a write (one organiser, kind and month or
            # week): a narrow range, not every row of a busy organiser. Organiser first, so that
            # no query over many organisers (which filter on organiser_path) picks it.
            models.Index(
                fields=["organiser", "kind", "start_at"],
                condition=Q(cancelled=False),
                name="activity_bucket_live",
            ),
            # S32's school-term edges: patriotic screenings over a few days. Partial on the kind,
            # so that only queries of that one kind can use it.
            models.Index(
                fields=["start_at"],
                condition=Q(cancelled=False, kind="patriotic_screening"),
                name="activity_patriotic_live",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def target_groups(self) -> list[str]:
        return [code for code, f in TARGET_GROUP_CODES.items() if getattr(self, f)]


class ActivityMonthSummary(models.Model):
    """Live activities per organiser, venue, kind, brand and month, kept up to date by the
    activity services (``culture.activities.summaries``) in the same transaction as the write,
    so the standards engine reads thousands of summary rows, not millions of activities.
    ``year``/``month`` are of the start time in local time (Asia/Shanghai). Cancelled
    activities are not counted.

    Two more key columns split the rows of the few kinds whose rules need a kind-specific field
    (blank / null for every other row): ``branch_system``, the main/branch system of a joint
    service (S30); ``film_age``, for a domestic film with a release date, the fewest whole years
    after its release within which the showing falls (shown on or before the release date plus
    ``film_age`` years; the 29 February of a release counts as 28 February in other years). A
    showing is of a new film (S32) when ``film_age <= new_film_years``, whatever that named
    definition is set to."""

    organiser = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+")
    organiser_path = models.CharField(max_length=64)
    venue = models.ForeignKey(
        "venues.Venue", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=32)
    brand = models.CharField(max_length=32, blank=True, default="")
    branch_system = models.CharField(max_length=16, blank=True, default="")
    film_age = models.SmallIntegerField(null=True, blank=True)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    activities = models.PositiveIntegerField(default=0)
    attendance = models.PositiveBigIntegerField(default=0)
    sessions = models.PositiveBigIntegerField(default=0)
    books = models.PositiveBigIntegerField(default=0)
    online_activities = models.PositiveIntegerField(default=0)
    online_attendance = models.PositiveBigIntegerField(default=0)
    signature = models.PositiveIntegerField(default=0)  # 一街一品
    with_partner = models.PositiveIntegerField(default=0)
    for_elderly = models.PositiveIntegerField(default=0)
    for_minors = models.PositiveIntegerField(default=0)
    for_disabled = models.PositiveIntegerField(default=0)
    for_migrant_workers = models.PositiveIntegerField(default=0)
    for_servicemen = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # An expression (not nulls_distinct, which SQLite lacks): no venue is venue 0.
            models.UniqueConstraint(
                models.F("organiser"),
                Coalesce(models.F("venue"), models.Value(0)),
                models.F("kind"),
                models.F("brand"),
                models.F("branch_system"),
                # -32768: below any film age (release and showing within years 1-9999).
                Coalesce(models.F("film_age"), models.Value(-32768)),
                models.F("year"),
                models.F("month"),
                name="activity_month_summary_key",
            ),
        ]
        indexes = [models.Index(fields=["year", "kind"], name="activity_month_year_kind")]


class ActivityWeekSummary(models.Model):
    """Live activities per organiser, kind and week (Monday ``week_start``, local time), for the
    per-week rules (S29: two performances a week per community). Same upkeep as the monthly
    summary. A week belongs to the year of its Monday."""

    organiser = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+")
    organiser_path = models.CharField(max_length=64)
    kind = models.CharField(max_length=32)
    week_start = models.DateField()
    activities = models.PositiveIntegerField(default=0)
    attendance = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "kind", "week_start"], name="activity_week_summary_key"
            ),
        ]
        indexes = [models.Index(fields=["week_start", "kind"], name="activity_week_start_kind")]
