"""Reminders: a loan due within CULTURE_LIBRARY_REMIND_DAYS days is reminded of once, an overdue
loan is told once, a renewal's new due date is reminded of again, returned loans never."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from culture.accounts.models import Notification
from culture.library.models import Loan
from culture.library.services import loan_checkout, loan_renew, loan_return, loans_remind
from culture.library.tests.factories import branch, card_of, copy, reader, title
from culture.library.tests.helpers import local

pytestmark = pytest.mark.django_db


def _loan(here, who, out_day: date, name: str) -> Loan:
    item = copy(title=title(title=name), branch=here)
    return loan_checkout(actor=None, branch=here, card=card_of(who), barcode=item.barcode,
                         now=local(out_day.year, out_day.month, out_day.day))  # fmt: skip


def _messages(who, kind: str) -> list[str]:
    return list(
        Notification.objects.filter(user=who.resident.user, kind=kind)
        .order_by("pk")
        .values_list("text", flat=True)
    )


def test_due_soon_and_overdue_each_once(settings):
    settings.CULTURE_LIBRARY_REMIND_DAYS = 3
    settings.CULTURE_LIBRARY_LOAN_DAYS = 30
    here, who = branch(), reader()  # open every day: due 30 days after the day out
    soon = _loan(here, who, date(2026, 5, 1), "平凡的世界")  # due 5-31
    later = _loan(here, who, date(2026, 5, 5), "围城")  # due 6-4: outside the window on 5-28
    late = _loan(here, who, date(2026, 4, 1), "红楼梦")  # due 5-1: overdue
    back = _loan(here, who, date(2026, 5, 1), "活着")
    loan_return(actor=None, branch=here, barcode=back.copy.barcode, now=local(2026, 5, 2))
    assert (soon.due_on, later.due_on, late.due_on) == (
        date(2026, 5, 31), date(2026, 6, 4), date(2026, 5, 1))  # fmt: skip

    assert loans_remind(today=date(2026, 5, 28)) == (1, 1)
    assert _messages(who, "library.due_soon") == [
        "您借的《平凡的世界》将于 2026-05-31 到期，可在“我的借阅”续借，或还到任一图书馆、分馆、城市书房。"
    ]
    assert _messages(who, "library.overdue") == [
        "您借的《红楼梦》已于 2026-05-01 到期，已逾期 27 天，请尽快还到任一图书馆、分馆或城市书房。"
    ]
    assert loans_remind(today=date(2026, 5, 28)) == (0, 0)  # run again: nothing twice

    # renewed the next day: the new due date (30 days on) is reminded of when it comes near
    loan_renew(reader=who, loan=soon, now=local(2026, 5, 29))
    soon.refresh_from_db()
    assert soon.due_on == date(2026, 6, 30)
    assert loans_remind(today=date(2026, 6, 1)) == (1, 0)  # 围城 enters the window
    assert loans_remind(today=date(2026, 6, 27)) == (1, 1)  # the renewal's date; 围城 overdue
    assert [m.split("到期")[0] for m in _messages(who, "library.due_soon")] == [
        "您借的《平凡的世界》将于 2026-05-31 ", "您借的《围城》将于 2026-06-04 ",
        "您借的《平凡的世界》将于 2026-06-30 "]  # fmt: skip


def test_the_command_runs_the_reminders(settings, capsys):
    settings.CULTURE_LIBRARY_REMIND_DAYS = 3
    here, who = branch(), reader()
    _loan(here, who, date.today() - timedelta(days=60), "红楼梦")  # long overdue  # noqa: DTZ011
    call_command("library_send_reminders")
    assert "0 due-soon reminder(s), 1 overdue notice(s) sent" in capsys.readouterr().out
    assert len(_messages(who, "library.overdue")) == 1
