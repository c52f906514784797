"""Loan rules by reader category and item type, and the due date that skips closed days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from culture.core.errors import ValidationFailed
from culture.library.errors import CirculationRefused
from culture.library.models import ItemType, LoanRule
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
