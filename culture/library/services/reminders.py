"""Reminders to readers (in-app messages and the outside channels of ``notify``, in the
platform's language as every notification): a loan due
within ``CULTURE_LIBRARY_REMIND_DAYS`` days, and a loan overdue (told once per due date).

Each loan is claimed by a conditional UPDATE before its message is written (the due date it is
for is stored on the loan), so two schedulers running at once, or a run repeated, never send a
message twice; a renewal's new due date is reminded of again. Run daily:
``manage.py library_send_reminders`` (one of the housekeeping jobs).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from culture.accounts.notifications import notify
from culture.library.models import Loan


def _open_loans():
    return Loan.objects.filter(returned_at__isnull=True).select_related(
        "copy__title", "reader__resident__user"
    )


def loans_remind(*, today: date | None = None) -> tuple[int, int]:
    """Send the due-soon reminders and the overdue notices not sent yet; returns how many of
    each were sent."""
    today = today or timezone.localdate()
    soon_until = today + timedelta(days=settings.CULTURE_LIBRARY_REMIND_DAYS)
    mine = reverse("library:mine")
    reminded = told = 0
    for loan in _open_loans().filter(due_on__gte=today, due_on__lte=soon_until).order_by("pk"):
        with transaction.atomic():
            claimed = (
                Loan.objects.filter(pk=loan.pk, returned_at__isnull=True)
                .exclude(due_reminded_on=loan.due_on)
                .update(due_reminded_on=loan.due_on)
            )
            if not claimed:
                continue
            text = _(
                "您借的《%(t)s》将于 %(d)s 到期，可在“我的借阅”续借，或还到任一图书馆、分馆、城市书房。"
            ) % {"t": loan.copy.title.title, "d": loan.due_on.isoformat()}
            notify(user=loan.reader.resident.user, kind="library.due_soon", text=text, url=mine)
            reminded += 1
    for loan in _open_loans().filter(due_on__lt=today).order_by("pk"):
        with transaction.atomic():
            claimed = (
                Loan.objects.filter(pk=loan.pk, returned_at__isnull=True)
                .exclude(overdue_told_on=loan.due_on)
                .update(overdue_told_on=loan.due_on)
            )
            if not claimed:
                continue
            text = _(
                "您借的《%(t)s》已于 %(d)s 到期，已逾期 %(n)d 天，请尽快还到任一图书馆、分馆或城市书房。"
            ) % {
                "t": loan.copy.title.title,
                "d": loan.due_on.isoformat(),
                "n": (today - loan.due_on).days,
            }
            notify(user=loan.reader.resident.user, kind="library.overdue", text=text, url=mine)
            told += 1
    return reminded, told
