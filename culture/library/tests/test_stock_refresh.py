"""A change of the library's stock schedules the standards' recomputation (S17 reads the copies),
for the years from the earliest acquisition concerned to this one."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from culture.library.services import copy_upsert
from culture.library.tests.factories import branch, title
from culture.standards.models import EvaluationRun

pytestmark = pytest.mark.django_db


def test_a_new_or_changed_copy_recomputes_the_years_of_its_stock(
    settings, django_capture_on_commit_callbacks
):
    settings.CULTURE_EVALUATE_ON_WRITE = True
    this_year = timezone.localdate().year
    here, book = branch(), title()
    with django_capture_on_commit_callbacks(execute=True):
        copy_upsert(actor=None, barcode="ST-1", title=book, home_branch=here,
                    acquired_on=date(this_year - 1, 3, 1))  # fmt: skip
    runs = EvaluationRun.objects.filter(trigger="library")
    assert sorted(runs.values_list("year", flat=True)) == [this_year - 1, this_year]

    runs.delete()
    with django_capture_on_commit_callbacks(execute=True):  # nothing changed: nothing to do
        copy_upsert(actor=None, barcode="ST-1", title=book, home_branch=here,
                    acquired_on=date(this_year - 1, 3, 1))  # fmt: skip
    assert not EvaluationRun.objects.filter(trigger="library").exists()

    with django_capture_on_commit_callbacks(execute=True):  # moved to this year
        copy_upsert(actor=None, barcode="ST-1", title=book, home_branch=here,
                    acquired_on=date(this_year, 1, 2))  # fmt: skip
    assert sorted(EvaluationRun.objects.filter(trigger="library").values_list("year", flat=True)) == [
        this_year - 1, this_year]  # fmt: skip
