"""``manage.py summaries_rebuild [--year Y]``: recompute the activity summaries from the raw rows
(after a bulk load), one year or all."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from culture.activities.models import ActivityMonthSummary, ActivityWeekSummary
from culture.activities.tests.factories import activity, local
from culture.activities.tests.test_summaries import assert_summaries_match_raw

pytestmark = pytest.mark.django_db


def test_rebuild_one_year_then_all(tree):
    for organiser, kind, start in (
        ("c11", "mass_activity", local(2025, 3, 5, 9)),
        ("c11", "mass_activity", local(2025, 3, 6, 9)),
        ("s1", "lecture", local(2025, 7, 1, 9)),
        ("c21", "performance", local(2024, 5, 1, 9)),
    ):
        activity(tree[organiser], kind=kind, start_at=start, end_at=start.replace(hour=11))
    ActivityMonthSummary.objects.all().delete()
    ActivityWeekSummary.objects.all().delete()
    out = StringIO()
    call_command("summaries_rebuild", "--year", "2025", stdout=out)
    # 2025: two month buckets (c11 March, s1 July), two week buckets (both March days are in
    # the week of Monday 3 March; 1 July is in another week). 2024 is left alone.
    assert "2025: 2 month rows, 2 week rows" in out.getvalue()
    assert ActivityMonthSummary.objects.filter(year=2024).count() == 0
    out = StringIO()
    call_command("summaries_rebuild", stdout=out)
    assert "all years: 3 month rows, 3 week rows" in out.getvalue()
    assert_summaries_match_raw()


def test_a_year_out_of_range_is_refused(tree):
    with pytest.raises(CommandError, match="between 2000 and 2100"):
        call_command("summaries_rebuild", "--year", "1999")
