"""/api/library/desk/ through Django's test client: checkout and return as a desk app sees them,
every answer's status code, a second scan answering without changing anything, and that a
refusal changes nothing. The guarantees under simultaneous requests are the circulation
services' (test_circulation_concurrency.py) and the live-server rush test."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from culture.accounts.tests.factories import staff_user
from culture.accounts.tests.helpers import id_number
from culture.core.roles import Role
from culture.library.models import (
    CopyStatus,
    HoldStatus,
    Loan,
    LoanRule,
    Reader,
)
from culture.library.services import (
    hold_place,
    loan_checkout,
)
from culture.library.tests.api.world import (
    API,
    client_of,
    post,
    state,
)
from culture.library.tests.factories import branch, card_of, copy, reader, title

pytestmark = pytest.mark.django_db


# ----- desk checkout ---------------------------------------------------------------------------
def test_checkout_gives_201_with_the_loan_then_the_same_scan_again_200_with_the_same_loan(desk):
    here, staff = desk
    book = copy(title=title(title="三体"), branch=here, barcode="LIB0001")
    who = reader()

    first = post(staff, f"/desk/{here.code}/checkout", {"card": card_of(who), "barcode": "lib0001"})

    assert first.status_code == 201
    body = first.json()
    loan = Loan.objects.get()
    assert body["id"] == loan.pk
    assert (body["barcode"], body["title_name"], body["branch"]) == ("LIB0001", "三体", here.code)
    assert body["branch_name"] == "湖墅分馆"
    assert body["due_on"] == (timezone.localdate() + timedelta(days=30)).isoformat()
    assert (body["renewals_used"], body["returned_at"], body["overdue_days"]) == (0, None, 0)
    book.refresh_from_db()
    assert book.status == CopyStatus.ON_LOAN

    again = post(staff, f"/desk/{here.code}/checkout", {"card": card_of(who), "barcode": "LIB0001"})

    assert again.status_code == 200
    assert again.json() == body
    assert Loan.objects.count() == 1
    assert Reader.objects.get(pk=who.pk).open_loans == 1


def test_checkout_of_a_copy_lent_to_someone_else_is_409_not_available_and_changes_nothing(desk):
    here, staff = desk
    copy(branch=here, barcode="LIB0002")
    post(staff, f"/desk/{here.code}/checkout", {"card": card_of(reader()), "barcode": "LIB0002"})
    other = reader()
    before = state()

    response = post(
        staff, f"/desk/{here.code}/checkout", {"card": card_of(other), "barcode": "LIB0002"}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "not_available"
    assert "LIB0002" in response.json()["message"]
    assert state() == before


def test_checkout_beyond_the_loan_limit_is_409_limit(desk):
    here, staff = desk
    LoanRule.objects.create(reader_category="adult", item_type="book", loan_limit=1, loan_days=30,
                            renewals=1, hold_expiry_days=7)  # fmt: skip
    who = reader()
    copy(branch=here, barcode="LIB0003")
    copy(branch=here, barcode="LIB0004")
    assert post(staff, f"/desk/{here.code}/checkout",
                {"card": card_of(who), "barcode": "LIB0003"}).status_code == 201  # fmt: skip
    before = state()

    response = post(
        staff, f"/desk/{here.code}/checkout", {"card": card_of(who), "barcode": "LIB0004"}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "limit"
    assert state() == before


def test_checkout_of_a_copy_standing_at_another_branch_is_409_not_here(desk, tree):
    here, staff = desk
    elsewhere = branch(operator=tree["s1"], name="大关书房")
    copy(branch=elsewhere, barcode="LIB0005")
    who = reader()
    before = state()

    response = post(
        staff, f"/desk/{here.code}/checkout", {"card": card_of(who), "barcode": "LIB0005"}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "not_here"
    assert state() == before


def test_checkout_unknown_barcode_card_or_branch_is_404_and_a_bad_card_number_422(desk):
    here, staff = desk
    copy(branch=here, barcode="LIB0006")
    who = reader()
    before = state()

    unknown_copy = post(
        staff, f"/desk/{here.code}/checkout", {"card": card_of(who), "barcode": "NOPE"}
    )
    unknown_card = post(
        staff, f"/desk/{here.code}/checkout", {"card": id_number(5), "barcode": "LIB0006"}
    )
    unknown_branch = post(
        staff, "/desk/NO-SUCH/checkout", {"card": card_of(who), "barcode": "LIB0006"}
    )
    bad_card = post(staff, f"/desk/{here.code}/checkout", {"card": "12345", "barcode": "LIB0006"})
    missing = post(staff, f"/desk/{here.code}/checkout", {"card": card_of(who)})

    assert (unknown_copy.status_code, unknown_copy.json()["field"]) == (404, "barcode")
    assert (unknown_card.status_code, unknown_card.json()["field"]) == (404, "card")
    assert unknown_branch.status_code == 404
    assert (bad_card.status_code, bad_card.json()["field"]) == (422, "card")
    assert (missing.status_code, missing.json()["code"]) == (422, "invalid")
    assert state() == before


def test_checkout_is_refused_403_outside_the_desk_officers_scope_and_to_residents(desk, tree):
    here, _ = desk
    theirs = branch(operator=tree["s2"], name="武林分馆")
    copy(branch=theirs, barcode="LIB0007")
    copy(branch=here, barcode="LIB0008")
    who = reader()
    outsider = client_of(staff_user(Role.SUBDISTRICT_OFFICER, tree["s2"]))
    evaluator = client_of(staff_user(Role.EVALUATOR))
    resident = client_of(who.resident.user)
    before = state()

    out_of_scope = post(
        client_of(staff_user(Role.SUBDISTRICT_OFFICER, tree["s1"])),
        f"/desk/{theirs.code}/checkout",
        {"card": card_of(who), "barcode": "LIB0007"},
    )
    other_officer = post(
        outsider, f"/desk/{here.code}/checkout", {"card": card_of(who), "barcode": "LIB0008"}
    )
    read_only = post(
        evaluator, f"/desk/{here.code}/checkout", {"card": card_of(who), "barcode": "LIB0008"}
    )
    self_service = post(
        resident, f"/desk/{here.code}/checkout", {"card": card_of(who), "barcode": "LIB0008"}
    )
    anonymous = Client().post(
        f"{API}/desk/{here.code}/checkout",
        json.dumps({"card": card_of(who), "barcode": "LIB0008"}),
        content_type="application/json",
    )

    for response in (out_of_scope, other_officer, read_only, self_service):
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
    assert anonymous.status_code == 401
    assert state() == before


def test_checkout_at_a_venue_that_is_not_a_library_is_409_not_lendable_branch(tree):
    from culture.venues.tests.factories import venue

    hall = venue(
        operator=tree["s1"], at=tree["c11"], code="V-HALL", name_zh="文化站", kind="culture_station"
    )
    here = branch(operator=tree["s1"])
    copy(branch=here, barcode="LIB0009")
    staff = client_of(staff_user(Role.SUBDISTRICT_OFFICER, tree["s1"]))
    who = reader()
    before = state()

    response = post(
        staff, f"/desk/{hall.code}/checkout", {"card": card_of(who), "barcode": "LIB0009"}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "not_lendable_branch"
    assert state() == before


# ----- desk return -----------------------------------------------------------------------------
def test_return_gives_the_destination_and_the_days_overdue(desk):
    here, staff = desk
    book = copy(branch=here, barcode="LIB0010")
    who = reader()
    lent_at = timezone.now() - timedelta(days=40)
    loan = loan_checkout(actor=None, branch=here, card=card_of(who), barcode="LIB0010", now=lent_at)
    days_late = (timezone.localdate() - loan.due_on).days
    assert days_late > 0

    response = post(staff, f"/desk/{here.code}/return", {"barcode": " lib0010 "})

    assert response.status_code == 200
    body = response.json()
    assert (body["destination"], body["hold"], body["to_branch"]) == ("shelf", None, None)
    assert body["overdue_days"] == days_late
    assert body["loan"]["id"] == loan.pk
    assert body["loan"]["returned_at"] is not None
    book.refresh_from_db()
    assert book.status == CopyStatus.AVAILABLE
    assert Reader.objects.get(pk=who.pk).open_loans == 0


def test_return_of_a_copy_someone_waits_for_puts_it_on_the_hold_shelf(desk):
    here, staff = desk
    book = copy(title=title(title="活着"), branch=here, barcode="LIB0011")
    loan_checkout(actor=None, branch=here, card=card_of(reader()), barcode="LIB0011")
    waiting = reader()
    hold = hold_place(reader=waiting, title=book.title, pickup_branch=here)

    response = post(staff, f"/desk/{here.code}/return", {"barcode": "LIB0011"})

    assert response.status_code == 200
    body = response.json()
    assert body["destination"] == "hold_shelf"
    assert body["hold"]["id"] == hold.pk
    assert (body["hold"]["status"], body["hold"]["title_name"]) == ("ready", "活着")
    assert body["hold"]["pickup_branch"] == here.code
    hold.refresh_from_db()
    assert hold.status == HoldStatus.READY
    assert isinstance(date.fromisoformat(body["hold"]["expires_on"]), date)


def test_return_of_a_copy_not_on_loan_is_409_and_unknown_404_and_out_of_scope_403(desk, tree):
    here, staff = desk
    copy(branch=here, barcode="LIB0012")
    theirs = branch(operator=tree["s2"])
    copy(branch=theirs, barcode="LIB0013")
    loan_checkout(actor=None, branch=theirs, card=card_of(reader()), barcode="LIB0013")
    before = state()

    not_out = post(staff, f"/desk/{here.code}/return", {"barcode": "LIB0012"})
    unknown = post(staff, f"/desk/{here.code}/return", {"barcode": "NOPE"})
    elsewhere = post(staff, f"/desk/{theirs.code}/return", {"barcode": "LIB0013"})
    empty = post(staff, f"/desk/{here.code}/return", {"barcode": ""})

    assert (not_out.status_code, not_out.json()["code"]) == (409, "not_on_loan")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (403, "forbidden")
    assert empty.status_code == 422
    assert state() == before
