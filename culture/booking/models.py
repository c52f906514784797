"""One-click booking (一键预约): seats of activities and time slots of rooms.

The guarantee (capacity never exceeded, no two holding bookings of one room overlap) is kept by
the database, on SQLite and PostgreSQL alike:

- seats: ``ActivitySeats.taken`` is moved only by a conditional UPDATE (``taken < capacity``)
  in the transaction that inserts the booking, and a CHECK constraint ``taken <= capacity``
  backs it; a partial unique index allows one holding booking per person per activity, and one
  waiting-list position per place in the queue;
- rooms: a booking claims every 15-minute cell it covers (``RoomSlotClaim``, unique on room and
  cell start), so two overlapping bookings, or a booking and a maintenance block, cannot both
  commit. Touching slots share no cell, so they do not collide.

Writes go through ``culture.booking.services`` only.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from culture.core.models import TimeStampedModel

# The grid every room booking and block is aligned to; slot lengths are multiples of it.
CELL = timedelta(minutes=15)
CELL_MINUTES = 15


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    CONFIRMED = "confirmed", _("已预约")
    WAITLISTED = "waitlisted", _("候补中")
    CHECKED_IN = "checked_in", _("已签到")
    NO_SHOW = "no_show", _("未到场")
    CANCELLED = "cancelled", _("已取消")
    REJECTED = "rejected", _("未通过")


# Statuses that hold a seat (count in ActivitySeats.taken) or a room's cells.
HOLDING_STATUSES = (
    BookingStatus.PENDING,
    BookingStatus.CONFIRMED,
    BookingStatus.CHECKED_IN,
    BookingStatus.NO_SHOW,
)
# Statuses in which a person "has" a booking of an activity (one at a time).
ACTIVE_STATUSES = (
    BookingStatus.PENDING,
    BookingStatus.CONFIRMED,
    BookingStatus.WAITLISTED,
    BookingStatus.CHECKED_IN,
)


class CheckInMethod(models.TextChoices):
    QR = "qr", _("扫二维码")
    CODE = "code", _("输入短码")
    SSC_CARD = "ssc_card", _("读社保卡")


class ActivitySeats(TimeStampedModel):
    """An activity that takes bookings: its capacity and the live count of seats taken."""

    activity = models.OneToOneField(
        "activities.Activity",
        on_delete=models.CASCADE,
        related_name="seats",
        verbose_name=_("活动"),
    )
    capacity = models.PositiveIntegerField(_("名额"))
    # Holding bookings (pending + confirmed + checked in + no-show); moved only by conditional
    # UPDATEs in the services, always in the same transaction as the booking rows.
    taken = models.PositiveIntegerField(_("已预约"), default=0)
    waitlist_enabled = models.BooleanField(_("允许候补"), default=True)
    needs_approval = models.BooleanField(_("预约需审核"), default=False)
    opens_at = models.DateTimeField(_("开放预约时间"), null=True, blank=True)
    # Null: bookings close when the activity starts.
    closes_at = models.DateTimeField(_("截止预约时间"), null=True, blank=True)
    cancel_deadline_hours = models.PositiveSmallIntegerField(
        _("开始前多少小时内不可取消"), default=2
    )

    class Meta:
        verbose_name = _("活动预约设置")
        verbose_name_plural = _("活动预约设置")
        constraints = [
            models.CheckConstraint(
                condition=Q(taken__lte=models.F("capacity")), name="seats_taken_within_capacity"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="seats_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} ({self.taken}/{self.capacity})"

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)


class RoomBookingRule(TimeStampedModel):
    """How a room may be booked: bookable hours (within the venue's), slot length, how far
    ahead, how many open bookings per person, whether a manager must approve."""

    room = models.OneToOneField(
        "venues.Room",
        on_delete=models.CASCADE,
        related_name="booking_rule",
        verbose_name=_("活动室"),
    )
    enabled = models.BooleanField(_("开放预约"), default=True)
    # OpenStreetMap opening_hours syntax; empty = the venue's opening hours. Always intersected
    # with the venue's hours.
    bookable_hours = models.CharField(_("可预约时段"), max_length=500, blank=True, default="")
    slot_minutes = models.PositiveSmallIntegerField(_("时段长度（分钟）"), default=60)
    max_slots = models.PositiveSmallIntegerField(_("每次最多连续时段"), default=2)
    advance_days = models.PositiveSmallIntegerField(_("可提前预约天数"), default=7)
    per_person_limit = models.PositiveSmallIntegerField(_("每人未结束预约上限"), default=2)
    needs_approval = models.BooleanField(_("预约需审核"), default=False)
    cancel_deadline_hours = models.PositiveSmallIntegerField(
        _("开始前多少小时内不可取消"), default=2
    )

    class Meta:
        verbose_name = _("活动室预约规则")
        verbose_name_plural = _("活动室预约规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=CELL_MINUTES) & Q(slot_minutes__lte=8 * 60),
                name="room_rule_slot_length",
            ),
            models.CheckConstraint(condition=Q(max_slots__gte=1), name="room_rule_max_slots"),
        ]

    def __str__(self) -> str:
        return str(self.room)


class RoomBlock(TimeStampedModel):
    """A room closed for a while (maintenance, an official event): colliding bookings are
    cancelled and their holders told; the block claims the room's cells like a booking."""

    room = models.ForeignKey(
        "venues.Room", on_delete=models.CASCADE, related_name="blocks", verbose_name=_("活动室")
    )
    start_at = models.DateTimeField(_("开始时间"))
    end_at = models.DateTimeField(_("结束时间"))
    reason = models.CharField(_("原因"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["room_id", "start_at"]
        verbose_name = _("活动室停用")
        verbose_name_plural = _("活动室停用")
        constraints = [
            models.CheckConstraint(condition=Q(end_at__gt=models.F("start_at")), name="block_order")
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.start_at:%Y-%m-%d %H:%M}"


class Booking(TimeStampedModel):
    """One person's booking of a seat of an activity or of a room for a time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("预约人"),
    )
    activity = models.ForeignKey(
        "activities.Activity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("活动"),
    )
    room = models.ForeignKey(
        "venues.Room",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("活动室"),
    )
    # The venue it takes place at (the activity's venue or the room's): the manager's scope.
    venue = models.ForeignKey(
        "venues.Venue",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("场馆"),
    )
    start_at = models.DateTimeField(_("开始时间"), db_index=True)
    end_at = models.DateTimeField(_("结束时间"))
    status = models.CharField(
        _("状态"), max_length=16, choices=BookingStatus.choices, db_index=True
    )
    waitlist_position = models.PositiveIntegerField(_("候补序号"), null=True, blank=True)
    # Shown under the QR code and typed at the desk: 8 characters without 0/O/1/I.
    code = models.CharField(_("预约码"), max_length=8, unique=True)
    purpose = models.CharField(_("用途"), max_length=200, blank=True, default="")
    people = models.PositiveSmallIntegerField(_("人数"), default=1)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True, default="")
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    check_in_method = models.CharField(
        _("签到方式"), max_length=16, choices=CheckInMethod.choices, blank=True, default=""
    )
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("签到核验人"),
    )

    class Meta:
        ordering = ["start_at", "pk"]
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        indexes = [models.Index(fields=["user", "status", "start_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(activity__isnull=False) & Q(room__isnull=True))
                | (Q(activity__isnull=True) & Q(room__isnull=False)),
                name="booking_activity_xor_room",
            ),
            models.CheckConstraint(
                condition=Q(end_at__gt=models.F("start_at")), name="booking_order"
            ),
            models.CheckConstraint(
                condition=Q(status=BookingStatus.WAITLISTED, waitlist_position__isnull=False)
                | (~Q(status=BookingStatus.WAITLISTED) & Q(waitlist_position__isnull=True)),
                name="booking_waitlist_position_iff_waitlisted",
            ),
            models.UniqueConstraint(
                fields=["activity", "user"],
                condition=Q(status__in=ACTIVE_STATUSES) & Q(activity__isnull=False),
                name="booking_one_active_per_person_per_activity",
            ),
            models.UniqueConstraint(
                fields=["activity", "waitlist_position"],
                condition=Q(status=BookingStatus.WAITLISTED),
                name="booking_unique_waitlist_position",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def holds_place(self) -> bool:
        return self.status in HOLDING_STATUSES


class RoomSlotClaim(models.Model):
    """One 15-minute cell of a room held by a booking or a block. The unique index on (room,
    cell_start) is what makes overlapping room bookings impossible."""

    room = models.ForeignKey("venues.Room", on_delete=models.CASCADE, related_name="+")
    cell_start = models.DateTimeField()
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.CASCADE, related_name="claims"
    )
    block = models.ForeignKey(
        RoomBlock, null=True, blank=True, on_delete=models.CASCADE, related_name="claims"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "cell_start"], name="room_cell_claimed_once"),
            models.CheckConstraint(
                condition=(Q(booking__isnull=False) & Q(block__isnull=True))
                | (Q(booking__isnull=True) & Q(block__isnull=False)),
                name="claim_booking_xor_block",
            ),
        ]


class IdempotentAnswer(models.Model):
    """The first answer to a create request with an ``Idempotency-Key``: a retry (double tap,
    flaky network) gets this answer back and books nothing new. Written in the transaction of
    the request it answers."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_answer_unique")
        ]
