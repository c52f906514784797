"""One-click borrowing (一键借阅) and the main/branch library system (总分馆).

The branches are venues of the library kinds (culture.venues.models.LIBRARY_KINDS: the district
library, subdistrict branches, city bookrooms, community reading rooms). A reader is a resident:
the social-security card (its number is the citizen ID number for mainland residents) is the
reader card (社保卡一卡通), so there is no separate registration and no deposit.

Database guarantees (architecture.md, example 6; quality.md):
- one open loan per copy: a partial unique index on Loan(copy) WHERE returned_at IS NULL;
- unique hold-queue positions: a partial unique index on Hold(title, position) WHERE waiting;
- a reader's loan limit under simultaneous checkouts: the services lock the reader row
  (``Reader``) before counting, on both databases (SQLite: IMMEDIATE transactions).

Writes go through ``culture.library.services`` only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from culture.core.models import TimeStampedModel


class ReaderCategory(models.TextChoices):
    ADULT = "adult", _("成人")
    CHILD = "child", _("少儿")
    ELDERLY = "elderly", _("老年")
    DISABLED = "disabled", _("残障读者")


class ItemType(models.TextChoices):
    BOOK = "book", _("图书")
    CHILDREN = "children", _("少儿图书")
    PERIODICAL = "periodical", _("期刊")
    AUDIOVISUAL = "audiovisual", _("音像")
    REFERENCE = "reference", _("工具书（不外借）")


class CopyStatus(models.TextChoices):
    AVAILABLE = "available", _("在架")
    ON_LOAN = "on_loan", _("借出")
    ON_HOLD_SHELF = "on_hold_shelf", _("预约待取")
    IN_TRANSIT = "in_transit", _("调拨在途")
    # Set aside for a delivery order (一键借阅) from the moment it is placed until collected.
    RESERVED = "reserved", _("配送预留")
    LOST = "lost", _("遗失")
    WITHDRAWN = "withdrawn", _("剔旧")


class Title(TimeStampedModel):
    """A bibliographic record: what a reader searches for."""

    isbn = models.CharField(_("ISBN"), max_length=13, blank=True, default="", db_index=True)
    title = models.CharField(_("题名"), max_length=300)
    author = models.CharField(_("责任者"), max_length=200, blank=True, default="")
    publisher = models.CharField(_("出版者"), max_length=200, blank=True, default="")
    pub_year = models.PositiveSmallIntegerField(_("出版年"), null=True, blank=True)
    # 中图分类号 (Chinese Library Classification), e.g. I247.55
    clc = models.CharField(_("中图分类号"), max_length=32, blank=True, default="")
    subject = models.CharField(_("主题词"), max_length=200, blank=True, default="")
    # The record's id in the source system (MARC 001 or the import's key): the natural key.
    source_id = models.CharField(_("记录号"), max_length=64, unique=True)
    # title + author + subject + isbn, normalised (NFKC, case-folded, punctuation unified):
    # what the n-gram index is built from.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("书目")
        verbose_name_plural = _("书目")

    def __str__(self) -> str:
        return self.title


class TitleGram(models.Model):
    """The n-gram index of ``Title.search_text`` (rebuilt by the services on every write of a
    title): searching looks grams up by index instead of scanning with LIKE."""

    gram = models.CharField(max_length=8)
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gram", "title"], name="title_gram_unique")]


class Copy(TimeStampedModel):
    """One physical item with a barcode, belonging to a branch and standing at one."""

    title = models.ForeignKey(
        Title, on_delete=models.PROTECT, related_name="copies", verbose_name=_("书目")
    )
    barcode = models.CharField(_("条码号"), max_length=32, unique=True)
    item_type = models.CharField(
        _("文献类型"), max_length=16, choices=ItemType.choices, default=ItemType.BOOK
    )
    home_branch = models.ForeignKey(
        "venues.Venue",
        on_delete=models.PROTECT,
        related_name="library_copies",
        verbose_name=_("所属馆"),
    )
    current_branch = models.ForeignKey(
        "venues.Venue",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所在馆"),
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=CopyStatus.choices,
        default=CopyStatus.AVAILABLE,
        db_index=True,
    )
    call_number = models.CharField(_("索书号"), max_length=64, blank=True, default="")
    acquired_on = models.DateField(_("入藏日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("馆藏")
        verbose_name_plural = _("馆藏")
        indexes = [models.Index(fields=["title", "status"])]

    def __str__(self) -> str:
        return self.barcode


class Reader(TimeStampedModel):
    """A resident as a reader: the social-security card is the card (their ID number, stored
    encrypted/hashed/masked on the Resident)."""

    resident = models.OneToOneField(
        "accounts.Resident",
        on_delete=models.PROTECT,
        related_name="reader",
        verbose_name=_("居民"),
    )
    category = models.CharField(
        _("读者类型"), max_length=16, choices=ReaderCategory.choices, default=ReaderCategory.ADULT
    )
    # Moved by the services with the loans, under this row's lock: the limit's counter.
    open_loans = models.PositiveSmallIntegerField(_("在借册数"), default=0)
    blocked_until = models.DateField(_("暂停借阅至"), null=True, blank=True)

    class Meta:
        verbose_name = _("读者")
        verbose_name_plural = _("读者")

    def __str__(self) -> str:
        return str(self.resident)


class LoanRule(TimeStampedModel):
    """Loan limit, period, renewals and hold expiry per reader category and item type (named
    settings with defaults; one row per pair overrides them)."""

    reader_category = models.CharField(max_length=16, choices=ReaderCategory.choices)
    item_type = models.CharField(max_length=16, choices=ItemType.choices)
    loan_limit = models.PositiveSmallIntegerField(_("可借册数"))
    loan_days = models.PositiveSmallIntegerField(_("借期（天）"))
    renewals = models.PositiveSmallIntegerField(_("可续借次数"))
    hold_expiry_days = models.PositiveSmallIntegerField(_("预约保留天数"))

    class Meta:
        verbose_name = _("借阅规则")
        verbose_name_plural = _("借阅规则")
        constraints = [
            models.UniqueConstraint(
                fields=["reader_category", "item_type"], name="loan_rule_unique"
            )
        ]


class Loan(TimeStampedModel):
    copy = models.ForeignKey(Copy, on_delete=models.PROTECT, related_name="loans")
    reader = models.ForeignKey(Reader, on_delete=models.PROTECT, related_name="loans")
    out_branch = models.ForeignKey("venues.Venue", on_delete=models.PROTECT, related_name="+")
    out_at = models.DateTimeField(_("借出时间"))
    due_on = models.DateField(_("应还日期"))
    renewals_used = models.PositiveSmallIntegerField(_("已续借"), default=0)
    returned_at = models.DateTimeField(_("归还时间"), null=True, blank=True)
    return_branch = models.ForeignKey(
        "venues.Venue", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The due date the reader was reminded of, and the due date they were told was passed
    # (services.reminders): a renewal's new due date is reminded of again, nothing twice.
    due_reminded_on = models.DateField(null=True, blank=True, editable=False)
    overdue_told_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("借阅")
        verbose_name_plural = _("借阅")
        indexes = [models.Index(fields=["reader", "returned_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["copy"],
                condition=Q(returned_at__isnull=True),
                name="one_open_loan_per_copy",
            )
        ]


class HoldStatus(models.TextChoices):
    WAITING = "waiting", _("排队中")
    READY = "ready", _("待取")
    COLLECTED = "collected", _("已取")
    EXPIRED = "expired", _("已过期")
    CANCELLED = "cancelled", _("已取消")


class Hold(TimeStampedModel):
    """A reader's place in the queue for a title, to collect at a branch (or delivered)."""

    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="holds")
    reader = models.ForeignKey(Reader, on_delete=models.PROTECT, related_name="holds")
    pickup_branch = models.ForeignKey("venues.Venue", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=HoldStatus.choices, db_index=True)
    position = models.PositiveIntegerField(null=True, blank=True)
    copy = models.ForeignKey(
        Copy, null=True, blank=True, on_delete=models.PROTECT, related_name="holds"
    )
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        constraints = [
            models.UniqueConstraint(
                fields=["title", "position"],
                condition=Q(status="waiting"),
                name="hold_unique_queue_position",
            ),
            models.UniqueConstraint(
                fields=["title", "reader"],
                condition=Q(status__in=["waiting", "ready"]),
                name="hold_one_active_per_reader_per_title",
            ),
            models.CheckConstraint(
                condition=Q(status="waiting", position__isnull=False)
                | (~Q(status="waiting") & Q(position__isnull=True)),
                name="hold_position_iff_waiting",
            ),
        ]


class DeliveryStatus(models.TextChoices):
    PLACED = "placed", _("已下单")
    PICKED = "picked", _("已拣书")
    IN_TRANSIT = "in_transit", _("配送中")
    READY = "ready", _("待取/待签收")
    COLLECTED = "collected", _("已取/已签收")
    CANCELLED = "cancelled", _("已取消")


ACTIVE_DELIVERY = ("placed", "picked", "in_transit", "ready")


class DeliveryOrder(TimeStampedModel):
    """One-click borrowing (一键借阅): a copy ordered online, to collect at a chosen branch or
    bookroom or delivered home. The copy is set aside (RESERVED) when the order is placed, so an
    order is never placed for a copy someone else gets; the loan starts when it is collected.
    The order counts against the reader's loan limit from the moment it is placed
    (``Reader.open_loans`` counts open loans and active orders)."""

    reader = models.ForeignKey(Reader, on_delete=models.PROTECT, related_name="deliveries")
    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="+")
    copy = models.ForeignKey(
        Copy, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Where the reserved copy stood when the order was placed: the branch that picks and sends.
    from_branch = models.ForeignKey(
        "venues.Venue",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("发书馆"),
    )
    to_home = models.BooleanField(_("送书到家"), default=False)
    address = models.CharField(_("收件地址"), max_length=255, blank=True, default="")
    pickup_branch = models.ForeignKey(
        "venues.Venue", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, db_index=True)
    placed_at = models.DateTimeField(_("下单时间"), null=True, blank=True)
    status_at = models.DateTimeField(_("状态时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True, default="")
    loan = models.OneToOneField(
        Loan, null=True, blank=True, on_delete=models.PROTECT, related_name="delivery"
    )

    class Meta:
        verbose_name = _("借阅配送单")
        verbose_name_plural = _("借阅配送单")
        constraints = [
            models.UniqueConstraint(
                fields=["reader", "title"],
                condition=Q(status__in=ACTIVE_DELIVERY),
                name="delivery_one_active_per_reader_per_title",
            ),
            models.UniqueConstraint(
                fields=["copy"],
                condition=Q(status__in=ACTIVE_DELIVERY),
                name="delivery_one_active_per_copy",
            ),
            models.CheckConstraint(
                condition=Q(to_home=False, pickup_branch__isnull=False)
                | Q(to_home=True, pickup_branch__isnull=True),
                name="delivery_home_or_pickup_branch",
            ),
        ]


class Transfer(TimeStampedModel):
    """A copy moved between branches (to fill a hold, to rebalance, or going home)."""

    copy = models.ForeignKey(Copy, on_delete=models.PROTECT, related_name="transfers")
    from_branch = models.ForeignKey("venues.Venue", on_delete=models.PROTECT, related_name="+")
    to_branch = models.ForeignKey("venues.Venue", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=32)
    sent_at = models.DateTimeField()
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("调拨")
        verbose_name_plural = _("调拨")
        constraints = [
            models.UniqueConstraint(
                fields=["copy"],
                condition=Q(received_at__isnull=True),
                name="one_open_transfer_per_copy",
            )
        ]
