"""End to end with the real T10 (a calculator and a report field): an approved reported figure
is the value where the platform holds no records; with records the computed value wins and the
reported one is shown beside it as a conflict. And the stored run after an approval."""

from __future__ import annotations

import pytest

from culture.accounts.tests.factories import staff_user
from culture.activities.tests.factories import activity, local
from culture.core.roles import Role
from culture.standards.engine import evaluate_compute
from culture.standards.models import EvaluationRun
from culture.standards.services.reporting import reported_figure_review, reported_figure_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported_120(tree, users):
    """The district reports 120 training classes for 2025; a second district officer approves."""
    figure, _ = reported_figure_submit(
        actor=users["district"],
        indicator_id="T10",
        field_key="value",
        org_unit=tree["district"],
        year=2025,
        value="120",
        note="区文化馆台账",
    )
    return figure


def approve(figure):
    return reported_figure_review(
        actor=staff_user(Role.DISTRICT_OFFICER), figure=figure, approve=True
    )


def t10_row(tree, year=2025):
    _ctx, rows = evaluate_compute(year, only=["T10"])
    [row] = [r for r in rows if r.org_unit_id == tree["district"].pk]
    return row


def test_a_submitted_figure_is_not_used_until_approved(tree, reported_120):
    row = t10_row(tree)
    assert (row.status, row.value, row.source) == ("no_data", None, "")


def test_an_approved_figure_is_the_value_where_no_records_exist(tree, reported_120):
    approve(reported_120)
    # Records of another kind do not make T10 computed: no training class is recorded.
    activity(tree["c11"], kind="lecture", start_at=local(2025, 3, 1), end_at=local(2025, 3, 1, 11))
    row = t10_row(tree)
    # 120 reported classes against the policy's 100 a year: met, from the reported figure.
    assert (row.status, row.value, row.target, row.source) == ("met", 120.0, 100.0, "reported")
    assert (row.reported_value, row.conflict) == (120.0, False)
    assert row.parts["reported"] == {"value": 120.0}


def test_the_computed_value_wins_and_the_reported_one_is_a_conflict(tree, reported_120):
    approve(reported_120)
    for day in (3, 10, 17):
        activity(
            tree["c11"],
            kind="training_class",
            start_at=local(2025, 5, day, 14),
            end_at=local(2025, 5, day, 16),
        )
    row = t10_row(tree)
    # 3 classes recorded on the platform: 97 short of 100.
    assert (row.status, row.value, row.source, row.gap) == ("not_met", 3.0, "computed", 97.0)
    assert (row.reported_value, row.conflict) == (120.0, True)


def test_a_figure_for_another_year_does_not_count(tree, reported_120):
    approve(reported_120)
    assert t10_row(tree, 2024).status == "no_data"


def test_an_approval_is_in_the_stored_results_after_commit(
    tree, reported_120, settings, django_capture_on_commit_callbacks
):
    settings.CULTURE_EVALUATE_ON_WRITE = True
    with django_capture_on_commit_callbacks(execute=True):
        approve(reported_120)
    run = EvaluationRun.objects.get(year=2025)
    assert run.trigger == "reported_figures"
    stored = run.results.get(indicator_id="T10", org_unit=tree["district"])
    assert (stored.value, stored.source, stored.status) == (120.0, "reported", "met")


def test_the_validation_rules_name_fields_the_catalogue_declares():
    """A rule whose field the catalogue renamed would silently never fire."""
    from culture.standards.catalogue import CATALOGUE
    from culture.standards.rules import RULES

    for rule in RULES:
        for indicator_id, key in (rule.left, rule.right):
            indicator = CATALOGUE.get(indicator_id)
            if indicator is None or not indicator.report_fields:
                continue
            assert key in {f.key for f in indicator.report_fields}, (indicator_id, key)
