"""Staff send copies between branches; the district library records its batches of books to
the grassroots (送书下基层), which standard S45 counts as the calculator reads activities."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from culture.accounts.tests.factories import staff_user
from culture.activities.models import Activity
from culture.core.errors import OutOfScope, ValidationFailed
from culture.core.roles import Role
from culture.library.models import CopyStatus, Transfer
from culture.library.services import (
    grassroots_batch_record,
    transfer_create,
    transfer_receive,
)
from culture.library.tests.factories import branch, copy
from culture.library.tests.helpers import local, refused
from culture.standards.tests.test_indicators_activities_support import evaluate, row
from culture.venues.models import VenueKind, VenueStatus

pytestmark = pytest.mark.django_db


# ----- transfers ----------------------------------------------------------------------------
def test_a_copy_on_the_shelf_is_sent_and_stands_at_the_destination_once_received(tree):
    here = branch(operator=tree["c11"], name="湖墅分馆")
    there = branch(operator=tree["c21"], name="武林分馆")
    item = copy(branch=here, barcode="T0001")
    worker = staff_user(Role.COMMUNITY_WORKER, tree["c11"])
    sent = transfer_create(
        actor=worker, branch=here, barcode=" t0001", to_branch=there, now=local(2026, 5, 4)
    )
    assert (sent.from_branch_id, sent.to_branch_id, sent.reason) == (here.pk, there.pk, "rebalance")
    assert sent.sent_at == local(2026, 5, 4)
    item.refresh_from_db()
    assert (item.status, item.current_branch_id) == (CopyStatus.IN_TRANSIT, here.pk)
    refused(
        "not_available",
        transfer_create,
        actor=worker,
        branch=here,
        barcode="T0001",
        to_branch=there,
    )
    transfer_receive(actor=None, branch=there, barcode="T0001")
    item.refresh_from_db()
    assert (item.status, item.current_branch_id) == (CopyStatus.AVAILABLE, there.pk)
    assert Transfer.objects.get().received_at is not None


def test_what_cannot_be_sent_is_refused_and_nothing_moves(tree):
    here = branch(operator=tree["c11"])
    there = branch(operator=tree["c21"])
    museum = branch(operator=tree["c21"], kind=VenueKind.MUSEUM)
    lent = copy(branch=here, barcode="T0002", status=CopyStatus.ON_LOAN)
    elsewhere = copy(branch=there, barcode="T0003")
    shelf = copy(branch=here, barcode="T0004")
    refused(
        "not_available",
        transfer_create,
        actor=None,
        branch=here,
        barcode=lent.barcode,
        to_branch=there,
    )
    error = refused(
        "not_here",
        transfer_create,
        actor=None,
        branch=here,
        barcode=elsewhere.barcode,
        to_branch=there,
    )
    assert "T0003" in str(error)
    refused(
        "not_lendable_branch",
        transfer_create,
        actor=None,
        branch=here,
        barcode=shelf.barcode,
        to_branch=museum,
    )
    with pytest.raises(ValidationFailed) as invalid:
        transfer_create(actor=None, branch=here, barcode=shelf.barcode, to_branch=here)
    assert invalid.value.field == "to_branch"
    with pytest.raises(OutOfScope):
        transfer_create(
            actor=staff_user(Role.COMMUNITY_WORKER, tree["c21"]),
            branch=here,
            barcode=shelf.barcode,
            to_branch=there,
        )
    assert Transfer.objects.count() == 0
    shelf.refresh_from_db()
    assert shelf.status == CopyStatus.AVAILABLE


# ----- batches to the grassroots (S45) -------------------------------------------------------
@pytest.fixture
def district_library(tree):
    return branch(operator=tree["district"], kind=VenueKind.LIBRARY, name="拱墅区图书馆")


def test_two_batches_are_counted_by_s45_books_and_circulations(tree, district_library):
    officer = staff_user(Role.DISTRICT_OFFICER)
    branch_library = branch(operator=tree["s1"], name="湖墅街道分馆")
    items = [copy(branch=district_library, barcode=f"G000{i}") for i in range(1, 4)]
    first = grassroots_batch_record(
        actor=officer,
        to_branch=branch_library,
        sent_on=date(2025, 3, 10),
        books=500,
        barcodes=["g0001", "G0002 "],
        note="春季流转",
    )
    assert (first.kind, first.books_count, first.venue_id) == (
        "books_to_grassroots",
        500,
        branch_library.pk,
    )
    assert first.organiser_id == tree["district"].pk
    assert first.description == "春季流转"
    grassroots_batch_record(
        actor=officer, to_branch=branch_library, sent_on=date(2025, 9, 1), books=300
    )
    sent = Transfer.objects.filter(reason="grassroots").order_by("copy__barcode")
    assert [(t.copy.barcode, t.to_branch_id) for t in sent] == [
        ("G0001", branch_library.pk),
        ("G0002", branch_library.pk),
    ]
    statuses = [
        c.status
        for c in type(items[0]).objects.filter(pk__in=[i.pk for i in items]).order_by("barcode")
    ]
    assert statuses == [CopyStatus.IN_TRANSIT, CopyStatus.IN_TRANSIT, CopyStatus.AVAILABLE]

    result = row(evaluate(["S45"], 2025), "S45", "district", tree["district"])
    assert result.parts["books"]["value"] == 800
    # the only open branch library received two circulations from the district level
    assert result.parts["fewest_circulations_per_branch"]["value"] == 2


def test_only_district_library_staff_record_batches_and_bad_figures_are_refused(
    tree, district_library
):
    target = branch(operator=tree["s1"])
    copy(branch=district_library, barcode="G0009")
    with pytest.raises(OutOfScope):
        grassroots_batch_record(
            actor=staff_user(Role.COMMUNITY_WORKER, tree["c21"]),
            to_branch=target,
            sent_on=date(2025, 3, 10),
            books=10,
        )
    for books, barcodes, field in (
        (0, None, "books"),
        (1, ["G0009", "G0001"], "books"),
        (5, ["G0009", "g0009"], "barcodes"),
    ):
        with pytest.raises(ValidationFailed) as invalid:
            grassroots_batch_record(
                actor=None,
                to_branch=target,
                sent_on=date(2025, 3, 10),
                books=books,
                barcodes=barcodes,
            )
        assert invalid.value.field == field
    with pytest.raises(ValidationFailed):
        grassroots_batch_record(
            actor=None, to_branch=district_library, sent_on=date(2025, 3, 10), books=5
        )
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationFailed) as invalid:
        grassroots_batch_record(actor=None, to_branch=target, sent_on=tomorrow, books=5)
    assert invalid.value.field == "sent_on"
    target.status = VenueStatus.CLOSED
    target.save(update_fields=["status"])
    refused(
        "not_lendable_branch",
        grassroots_batch_record,
        actor=None,
        to_branch=target,
        sent_on=date(2025, 3, 10),
        books=5,
    )
    assert Activity.objects.count() == 0
    assert Transfer.objects.count() == 0


def test_without_a_district_library_a_batch_is_refused_clearly(tree):
    target = branch(operator=tree["s1"])
    refused(
        "no_district_library",
        grassroots_batch_record,
        actor=None,
        to_branch=target,
        sent_on=date(2025, 3, 10),
        books=5,
    )
