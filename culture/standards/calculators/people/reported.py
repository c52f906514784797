"""Values made from reported figures (统计填报) where the platform holds no records yet:
``value_from_reported(fields, unit)`` of the catalogue. ``fields`` are the unit's approved
figures of the year by field key; ``unit`` is its UnitInfo (population: 常住人口). A figure
missing for a rule is no data, never a zero."""

from __future__ import annotations

from typing import Any

from culture.standards.calculators import Measure
from culture.standards.calculators.people import at_least

# T16 (三、（三）): per resident per year, of which books.
T16_ACTIVITY_YUAN = 20.0
T16_BOOKS_YUAN = 2.0
# S17 (附件 17): books per resident; new books per resident per year.
S17_STOCK = 1.5
S17_NEW_STOCK = 0.08


def circle_coverage(fields: dict[str, float], unit: Any) -> float | None:
    """T03: residential points covered / residential points."""
    total, covered = fields.get("residential_points"), fields.get("covered_points")
    if total is None or covered is None or total <= 0:
        return None
    return covered / total


def spending_per_resident(fields: dict[str, float], unit: Any) -> Measure | None:
    """T16: activity spending per resident (the value) >= 20 CNY, and of it book spending per
    resident >= 2 CNY (both needed)."""
    activity, books = fields.get("activity_spending"), fields.get("book_spending")
    if activity is None or books is None or not unit.population:
        return None
    per_head, books_per_head = activity / unit.population, books / unit.population
    return Measure(
        per_head,
        passed=at_least(per_head, T16_ACTIVITY_YUAN) and at_least(books_per_head, T16_BOOKS_YUAN),
        parts={
            "population": unit.population,
            "activity_per_resident": round(per_head, 4),
            "books_per_resident": round(books_per_head, 4),
        },
    )


def stock_per_resident(fields: dict[str, float], unit: Any) -> Measure | None:
    """S17: total stock per resident (the value) >= 1.5 and new stock per resident >= 0.08."""
    stock, new_stock = fields.get("stock"), fields.get("new_stock")
    if stock is None or new_stock is None or not unit.population:
        return None
    per_head, new_per_head = stock / unit.population, new_stock / unit.population
    return Measure(
        per_head,
        passed=at_least(per_head, S17_STOCK) and at_least(new_per_head, S17_NEW_STOCK),
        parts={
            "population": unit.population,
            "stock_per_resident": round(per_head, 4),
            "new_stock_per_resident": round(new_per_head, 4),
        },
    )


def volunteers_per_thousand(fields: dict[str, float], unit: Any) -> float | None:
    """S44: registered culture volunteers per 1,000 residents."""
    volunteers = fields.get("volunteers")
    if volunteers is None or not unit.population:
        return None
    return volunteers * 1000 / unit.population


def evaluation_and_survey(fields: dict[str, float], unit: Any) -> float | None:
    """T18: 1 when both the third-party performance evaluation and the satisfaction survey
    were done in the year, 0 when either was not; no data while either is unreported."""
    done = [fields.get("evaluation_done"), fields.get("survey_done")]
    if any(v is not None and v < 1 for v in done):
        return 0.0
    if any(v is None for v in done):
        return None
    return 1.0
