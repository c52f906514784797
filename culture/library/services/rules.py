"""Loan rules by reader category and item type, and the due date that skips closed days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from culture.core.audit import audit_record
from culture.core.errors import ValidationFailed
from culture.library.errors import CirculationRefused
from culture.library.models import ItemType, LoanRule, ReaderCategory
from culture.venues import hours
from culture.venues.models import Venue

# How far past the plain due date to look for a day the branch is open.
MAX_CLOSED_RUN_DAYS = 60


@dataclass(frozen=True)
class Rule:
    loan_limit: int
    loan_days: int
    renewals: int
    hold_expiry_days: int


def loan_rule(category: str, item_type: str) -> Rule:
    """The rule for a reader category and an item type: the LoanRule row for the pair, else the
    named settings (CULTURE_LIBRARY_LOAN_LIMIT, _LOAN_DAYS, _RENEWALS, _HOLD_EXPIRY_DAYS).
    Reference items (工具书) are not for loan: refused with a clear message."""
    if item_type == ItemType.REFERENCE:
        raise CirculationRefused(_("工具书仅供馆内阅览，不外借"), code="not_for_loan")
    row = LoanRule.objects.filter(reader_category=category, item_type=item_type).first()
    if row is not None:
        return Rule(row.loan_limit, row.loan_days, row.renewals, row.hold_expiry_days)
    return Rule(
        settings.CULTURE_LIBRARY_LOAN_LIMIT,
        settings.CULTURE_LIBRARY_LOAN_DAYS,
        settings.CULTURE_LIBRARY_RENEWALS,
        settings.CULTURE_LIBRARY_HOLD_EXPIRY_DAYS,
    )


def open_days(branch: Venue, start: date, days: int) -> set[date] | None:
    """The dates in [start, start + days) on which ``branch`` has open hours, from its opening
    hours (public holidays per the CN calendar); None when it has no usable opening hours (then
    no day counts as closed)."""
    try:
        oh = hours.parse(branch.opening_hours)
    except ValidationFailed:
        return None
    begin = datetime.combine(start, time())
    end = begin + timedelta(days=days)
    found: set[date] = set()
    for a, b, state, _comment in oh.intervals(begin, end):
        if str(state).rsplit(".", 1)[-1].upper() != "OPEN":
            continue
        a, b = max(a, begin), min(b, end)
        cur = a
        while cur < b:
            found.add(cur.date())
            cur = datetime.combine(cur.date() + timedelta(days=1), time())
    return found


def next_open_day(branch: Venue, day: date) -> date:
    """``day`` or the first later day on which ``branch`` is open (unchanged when the branch
    has no opening hours, or none within MAX_CLOSED_RUN_DAYS)."""
    days = open_days(branch, day, MAX_CLOSED_RUN_DAYS)
    if not days:
        return day
    return min(days)


def due_date(branch: Venue, out_on: date, loan_days: int) -> date:
    """Out date + loan days, moved forward past the days ``branch`` is closed."""
    return next_open_day(branch, out_on + timedelta(days=loan_days))


def loan_rule_set(
    *,
    actor: Any,
    reader_category: str,
    item_type: str,
    loan_limit: int,
    loan_days: int,
    renewals: int,
    hold_expiry_days: int,
) -> LoanRule:
    """Set the rule for one reader category and item type (overriding the settings' defaults);
    a loan period or a hold expiry of zero days is refused."""
    if reader_category not in ReaderCategory.values:
        raise ValidationFailed(
            _("未知的读者类型：%(v)s") % {"v": reader_category}, field="reader_category"
        )
    if item_type not in ItemType.values:
        raise ValidationFailed(_("未知的文献类型：%(v)s") % {"v": item_type}, field="item_type")
    if loan_days < 1:
        raise ValidationFailed(_("借期至少为1天"), field="loan_days")
    if hold_expiry_days < 1:
        raise ValidationFailed(_("预约保留天数至少为1天"), field="hold_expiry_days")
    with transaction.atomic():
        row, _created = LoanRule.objects.update_or_create(
            reader_category=reader_category,
            item_type=item_type,
            defaults={
                "loan_limit": loan_limit,
                "loan_days": loan_days,
                "renewals": renewals,
                "hold_expiry_days": hold_expiry_days,
            },
        )
        audit_record(
            actor=actor if actor is not None else "system",
            action="library.loan_rule_set",
            target=row,
            target_label=f"{reader_category}/{item_type}",
            after={
                "loan_limit": loan_limit,
                "loan_days": loan_days,
                "renewals": renewals,
                "hold_expiry_days": hold_expiry_days,
            },
        )
    return row
