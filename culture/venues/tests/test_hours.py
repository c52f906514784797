"""Opening-hours figures against hand-computed expectations (China's 2025 calendar: 18 weekday
holidays - Jan 1, Jan 28-31 + Feb 3-4, Apr 4, May 1-2 + 5, Jun 2, Oct 1-3 + 6-8 - and five
adjusted working days - Jan 26, Feb 8, Apr 27, Sep 28, Oct 11 - so 248 working days and 117
rest days in 365)."""

from datetime import date

import pytest

from culture.core.errors import ValidationFailed
from culture.venues import hours


def test_weekly_hours_of_the_reference_week():
    # 5 x 12 h + 2 x 8 h = 76 h.
    assert hours.weekly_hours("Mo-Fr 09:00-21:00; Sa,Su 09:00-17:00", year=2025) == 76
    assert hours.weekly_hours("Tu-Su 09:00-17:00", year=2025) == 48
    assert hours.weekly_hours("24/7", year=2025) == 168


def test_reference_week_has_no_holiday_and_no_adjusted_working_day():
    assert hours.reference_week(2025) == date(2025, 3, 3)


def test_offpeak_share_over_the_year_counts_holidays_and_adjusted_working_days():
    f = hours.compute("Mo-Fr 09:00-21:00; Sa,Su 09:00-17:00", year=2025)
    # Open: 261 weekdays x 12 h + 104 weekend days x 8 h = 3,964 h.
    # Off-peak: 243 working weekdays x 4 h (17-21) + 18 weekday holidays x 12 h
    #          + 99 ordinary weekend days x 8 h + 5 adjusted working Saturdays/Sundays x 0 h
    #          = 972 + 216 + 792 = 1,980 h.
    assert f.offpeak_share == pytest.approx(1980 / 3964, abs=1e-4)
    assert f.days_open == 365
    assert f.weekly_hours == 76
    assert f.min_rest_day_hours == 8


def test_daytime_every_day_is_offpeak_only_on_rest_days():
    f = hours.compute("Mo-Su 09:00-17:00", year=2025)
    assert f.offpeak_share == pytest.approx(117 / 365, abs=1e-4)


def test_days_open_and_rest_day_minimum_when_closed_on_mondays():
    f = hours.compute("Tu-Su 10:00-18:00", year=2025)
    # 2025 has 52 Mondays (it starts on a Wednesday and has 365 days).
    assert f.days_open == 365 - 52
    assert f.min_rest_day_hours == 0  # a Monday holiday (e.g. 2025-02-03) is closed


def test_evening_and_overnight_spans_split_at_midnight():
    f = hours.compute("Mo-Su 20:00-02:00", year=2025)
    assert f.weekly_hours == 42
    assert f.offpeak_share == 1.0


def test_never_open_has_no_share():
    f = hours.compute("off", year=2025)
    assert f.weekly_hours == 0 and f.days_open == 0 and f.offpeak_share is None


def test_offpeak_window_is_a_named_setting(settings):
    settings.CULTURE_OFFPEAK_START = "08:00"
    settings.CULTURE_OFFPEAK_END = "20:00"
    f = hours.compute("Mo-Fr 09:00-21:00; Sa,Su 09:00-17:00", year=2025)
    # Off-peak now: 243 x 1 h (20-21) + 18 x 12 h + 99 x 8 h = 243 + 216 + 792 = 1,251 h.
    assert f.offpeak_share == pytest.approx(1251 / 3964, abs=1e-4)


def test_bad_string_quotes_the_parser():
    with pytest.raises(ValidationFailed) as exc:
        hours.parse("Mo-Fr 25:00-99")
    text = str(exc.value.message)
    assert "Mo-Fr 25:00-99" in text
    assert "expected" in text  # the parser's own words
    assert exc.value.field == "opening_hours"


def test_week_chart_marks_offpeak_parts():
    spans = hours.week_chart("Mo 08:00-20:00; Sa 10:00-12:00", year=2025)
    got = [(s.weekday, s.start, s.end, s.offpeak) for s in spans]
    assert got == [
        (0, 8.0, 9.0, True),
        (0, 9.0, 17.0, False),
        (0, 17.0, 20.0, True),
        (5, 10.0, 12.0, True),
    ]


def test_readable_hours_in_chinese_and_unchanged_in_english():
    from django.utils import translation

    from culture.venues.hours import readable

    with translation.override("zh-hans"):
        assert readable("Mo-Fr 08:30-20:30; Sa,Su 09:00-17:00") == (
            "周一至周五 08:30-20:30；周六、周日 09:00-17:00"
        )
        assert readable("Mo-Su 09:00-21:00; PH off") == "周一至周日 09:00-21:00；法定节假日 休息"
        assert readable("24/7") == "全天开放"
    with translation.override("en"):
        assert readable("Mo-Fr 08:30-17:00") == "Mo-Fr 08:30-17:00"
