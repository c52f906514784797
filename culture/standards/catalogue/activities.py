"""Indicators computed mainly from the activity records (declarations only)."""

from __future__ import annotations

from culture.standards.calculators import activities as calc
from culture.standards.catalogue.types import COUNT, DISTRICT, Indicator, ReportField, always

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="T10",
        clause="二、（五）2",
        quote_zh="深化全民艺术普及，每年开展艺术普及培训班100场",
        title_zh="艺术普及培训班每年不少于100场",
        title_en="At least 100 arts training classes a year",
        levels=(DISTRICT,),
        unit=COUNT,
        thresholds={DISTRICT: always(100)},
        owner_zh="区文化馆",
        owner_en="District culture centre",
        definition_zh="当年开始、未取消、类型为“培训班”的活动场数（全区各级主办单位合计）。",
        definition_en="Activities of kind 'training class' that started in the year and were "
        "not cancelled, organised by any unit in the district.",
        calculator=calc.training_classes,
        report_fields=(ReportField("value", "培训班场数", "Training classes"),),
    ),
)
