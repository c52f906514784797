"""/api/library/ through Django's test client: what a desk app and a resident's app see, every
answer's status code, and that a refusal changes nothing. The guarantees under simultaneous
requests are the circulation services' (test_circulation_concurrency.py) and the live-server rush
test."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from culture.accounts.tests.factories import staff_user
from culture.accounts.tests.helpers import id_number
from culture.accounts.tokens import api_token_issue
from culture.core.roles import Role
from culture.library.models import (
    CopyStatus,
    DeliveryOrder,
    HoldStatus,
    Loan,
    LoanRule,
    Reader,
    Title,
)
from culture.library.services import (
    delivery_advance,
    delivery_place,
    hold_place,
    loan_checkout,
    loan_return,
    title_upsert,
)
from culture.library.tests.factories import branch, card_of, copy, reader, title

pytestmark = pytest.mark.django_db

API = "/api/library"


def client_of(user) -> Client:
    token = api_token_issue(actor=None, user=user, name="app")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def post(client: Client, path: str, body: dict | None = None):
    return client.post(API + path, json.dumps(body or {}), content_type="application/json")


def state() -> list[tuple]:
    """What a refused request must leave as it was: loans, copies, readers' counters, holds."""
    from culture.library.models import Copy, Hold

    return [
        *Loan.objects.order_by("pk").values_list("pk", "copy_id", "returned_at", "due_on"),
        *Copy.objects.order_by("pk").values_list("pk", "status", "current_branch_id"),
        *Reader.objects.order_by("pk").values_list("pk", "open_loans"),
        *Hold.objects.order_by("pk").values_list("pk", "status", "copy_id"),
    ]


@pytest.fixture
def desk(tree):
    """A branch run by s1 with its desk officer (the subdistrict officer of s1)."""
    here = branch(operator=tree["s1"], name="湖墅分馆")
    return here, client_of(staff_user(Role.SUBDISTRICT_OFFICER, tree["s1"]))


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


# ----- the catalogue ---------------------------------------------------------------------------
def catalogued(name: str, author: str = "", source_id: str = "") -> Title:
    made, _ = title_upsert(actor=None, source_id=source_id or name, title=name, author=author)
    return made


def test_search_ranks_titles_and_counts_copies_and_free_copies_per_branch(tree):
    here = branch(operator=tree["s1"], name="湖墅分馆")
    there = branch(operator=tree["s2"], name="武林分馆")
    dark = catalogued("三体Ⅱ：黑暗森林", "刘慈欣")
    first = catalogued("三体", "刘慈欣")
    catalogued("活着", "余华")
    copy(title=first, branch=here)
    copy(title=first, branch=here, status=CopyStatus.ON_LOAN)
    copy(title=first, branch=there)
    copy(title=dark, branch=there, status=CopyStatus.ON_LOAN)
    resident = client_of(reader().resident.user)

    rows = resident.get(f"{API}/titles?q=三体").json()

    assert [(r["id"], r["title"], r["copies"], r["free"]) for r in rows] == [
        (first.pk, "三体", 3, 2),
        (dark.pk, "三体Ⅱ：黑暗森林", 1, 0),
    ]
    assert rows[0]["author"] == "刘慈欣"
    assert sorted((b["branch"], b["branch_name"], b["copies"], b["free"])
                  for b in rows[0]["branches"]) == sorted(
        [(here.code, "湖墅分馆", 2, 1), (there.code, "武林分馆", 1, 1)]
    )  # fmt: skip
    volume_two = resident.get(f"{API}/titles?q=三体2").json()
    assert volume_two[0]["id"] == dark.pk
    free_only = resident.get(f"{API}/titles?q=三体&available=true").json()
    assert [r["id"] for r in free_only] == [first.pk]
    at_here = resident.get(f"{API}/titles?q=三体&branch={here.code}").json()
    assert [(r["id"], r["copies"]) for r in at_here] == [(first.pk, 2)]
    second_page = resident.get(f"{API}/titles?q=三体&limit=1&offset=1").json()
    assert [r["id"] for r in second_page] == [dark.pk]
    assert resident.get(f"{API}/titles?q=").json() == []


def test_search_refuses_an_unknown_branch_404_bad_paging_422_and_anonymous_401(tree):
    resident = client_of(reader().resident.user)

    unknown = resident.get(f"{API}/titles?q=三体&branch=NO-SUCH")
    too_many = resident.get(f"{API}/titles?q=三体&limit=101")
    too_deep = resident.get(f"{API}/titles?q=三体&offset=1001")

    assert (unknown.status_code, unknown.json()["field"]) == (404, "branch")
    assert too_many.status_code == 422
    assert too_deep.status_code == 422
    assert Client().get(f"{API}/titles?q=三体").status_code == 401


# ----- one-click borrowing -----------------------------------------------------------------------
def test_borrow_gives_201_with_the_order_and_again_200_with_the_same_order(tree):
    here = branch(operator=tree["s1"], name="湖墅分馆")
    there = branch(operator=tree["s2"], name="武林分馆")
    book = title(title="平凡的世界")
    far = copy(title=book, branch=there, barcode="LIB0101")
    near = copy(title=book, branch=here, barcode="LIB0102")
    who = reader()
    app = client_of(who.resident.user)

    first = post(app, f"/titles/{book.pk}/borrow", {"pickup_branch": here.code})

    assert first.status_code == 201
    body = first.json()
    order = DeliveryOrder.objects.get()
    assert body["id"] == order.pk
    assert (body["status"], body["status_label"], body["title_name"]) == (
        "placed",
        "已下单",
        "平凡的世界",
    )
    assert (body["pickup_branch"], body["from_branch"], body["barcode"]) == (
        here.code,
        here.code,
        "LIB0102",
    )  # the copy at the pickup branch is preferred
    assert (body["to_home"], body["address"], body["loan"]) == (False, "", None)
    near.refresh_from_db()
    far.refresh_from_db()
    assert (near.status, far.status) == (CopyStatus.RESERVED, CopyStatus.AVAILABLE)
    assert Reader.objects.get(pk=who.pk).open_loans == 1

    again = post(app, f"/titles/{book.pk}/borrow", {"pickup_branch": there.code})

    assert again.status_code == 200
    assert again.json() == body
    assert DeliveryOrder.objects.count() == 1
    assert Reader.objects.get(pk=who.pk).open_loans == 1


def test_borrow_home_delivery_with_an_address(tree):
    there = branch(operator=tree["s2"], name="武林分馆")
    book = title(title="围城")
    copy(title=book, branch=there, barcode="LIB0103")
    app = client_of(reader().resident.user)

    response = post(app, f"/titles/{book.pk}/borrow",
                    {"pickup_branch": None, "to_home": True, "address": "  拱墅区 湖墅南路 1 号 "})  # fmt: skip

    assert response.status_code == 201
    body = response.json()
    assert (body["to_home"], body["address"]) == (True, "拱墅区 湖墅南路 1 号")
    assert (body["pickup_branch"], body["from_branch"]) == (None, there.code)


def test_borrow_refusals_change_nothing(tree):
    here = branch(operator=tree["s1"])
    out = title(title="已借光的书")
    copy(title=out, branch=here, status=CopyStatus.ON_LOAN)
    ref = title(title="辞海")
    copy(title=ref, branch=here, item_type="reference")
    free = title(title="在架的书")
    copy(title=free, branch=here)
    who = reader()
    app = client_of(who.resident.user)
    staff = client_of(staff_user(Role.SUBDISTRICT_OFFICER, tree["s1"]))
    before = state()

    none_left = post(app, f"/titles/{out.pk}/borrow", {"pickup_branch": here.code})
    reference = post(app, f"/titles/{ref.pk}/borrow", {"pickup_branch": here.code})
    no_address = post(app, f"/titles/{free.pk}/borrow", {"to_home": True, "address": " "})
    no_place = post(app, f"/titles/{free.pk}/borrow", {})
    unknown_branch = post(app, f"/titles/{free.pk}/borrow", {"pickup_branch": "NO-SUCH"})
    unknown_title = post(app, "/titles/999999/borrow", {"pickup_branch": here.code})
    huge_id = post(app, f"/titles/{2**63}/borrow", {"pickup_branch": here.code})
    staff_account = post(staff, f"/titles/{free.pk}/borrow", {"pickup_branch": here.code})

    assert (none_left.status_code, none_left.json()["code"]) == (409, "none_available")
    assert (reference.status_code, reference.json()["code"]) == (409, "not_for_loan")
    assert (no_address.status_code, no_address.json()["code"]) == (409, "no_address")
    assert (no_place.status_code, no_place.json()["field"]) == (422, "pickup_branch")
    assert (unknown_branch.status_code, unknown_branch.json()["field"]) == (404, "pickup_branch")
    assert unknown_title.status_code == 404
    assert huge_id.status_code == 422
    assert (staff_account.status_code, staff_account.json()["code"]) == (403, "forbidden")
    assert state() == before
    assert DeliveryOrder.objects.count() == 0


def test_borrow_beyond_the_limit_is_409_limit_and_home_delivery_off_409(tree, settings):
    LoanRule.objects.create(reader_category="adult", item_type="book", loan_limit=1, loan_days=30,
                            renewals=1, hold_expiry_days=7)  # fmt: skip
    here = branch(operator=tree["s1"])
    one, two = title(title="第一本"), title(title="第二本")
    copy(title=one, branch=here)
    copy(title=two, branch=here)
    app = client_of(reader().resident.user)
    assert post(app, f"/titles/{one.pk}/borrow", {"pickup_branch": here.code}).status_code == 201
    settings.CULTURE_LIBRARY_HOME_DELIVERY = False
    before = state()

    limit = post(app, f"/titles/{two.pk}/borrow", {"pickup_branch": here.code})
    home = post(app, f"/titles/{two.pk}/borrow", {"to_home": True, "address": "湖墅南路 1 号"})

    assert (limit.status_code, limit.json()["code"]) == (409, "limit")
    assert (home.status_code, home.json()["code"]) == (409, "home_delivery_off")
    assert state() == before


def test_cancel_my_order_while_placed_then_409_once_it_is_on_its_way(tree):
    here = branch(operator=tree["s1"])
    book = title(title="边城")
    held = copy(title=book, branch=here, barcode="LIB0104")
    who = reader()
    app = client_of(who.resident.user)
    order_id = post(app, f"/titles/{book.pk}/borrow", {"pickup_branch": here.code}).json()["id"]
    stranger = client_of(reader().resident.user)
    before = state()

    not_mine = post(stranger, f"/me/orders/{order_id}/cancel")
    assert (not_mine.status_code, not_mine.json()["code"]) == (404, "not_found")
    assert state() == before

    response = post(app, f"/me/orders/{order_id}/cancel")

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["status"]) == (order_id, "cancelled")
    held.refresh_from_db()
    assert held.status == CopyStatus.AVAILABLE
    assert Reader.objects.get(pk=who.pk).open_loans == 0

    second = post(app, f"/titles/{book.pk}/borrow", {"pickup_branch": here.code}).json()
    delivery_advance(actor=None, order=DeliveryOrder.objects.get(pk=second["id"]),
                     barcode="LIB0104")  # fmt: skip
    before = state()

    too_late = post(app, f"/me/orders/{second['id']}/cancel")

    assert (too_late.status_code, too_late.json()["code"]) == (409, "too_late")
    assert state() == before


# ----- holds -------------------------------------------------------------------------------------
def test_hold_a_title_201_ready_at_once_or_waiting_then_duplicate_409(tree):
    here = branch(operator=tree["s1"], name="湖墅分馆")
    there = branch(operator=tree["s2"])
    book = title(title="白鹿原")
    copy(title=book, branch=there, status=CopyStatus.ON_LOAN)
    app = client_of(reader().resident.user)

    waiting = post(app, f"/titles/{book.pk}/holds", {"pickup_branch": here.code})

    assert waiting.status_code == 201
    body = waiting.json()
    assert (body["status"], body["position"], body["pickup_branch"]) == ("waiting", 1, here.code)
    assert body["pickup_branch_name"] == "湖墅分馆"
    before = state()
    duplicate = post(app, f"/titles/{book.pk}/holds", {"pickup_branch": here.code})
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "duplicate_hold")
    assert state() == before

    other = title(title="红高粱")
    copy(title=other, branch=here)
    ready = post(app, f"/titles/{other.pk}/holds", {"pickup_branch": here.code})
    assert ready.status_code == 201
    assert (ready.json()["status"], ready.json()["position"]) == ("ready", None)


def test_hold_refusals_404_422_403_change_nothing(tree):
    here = branch(operator=tree["s1"])
    book = title(title="白鹿原")
    copy(title=book, branch=here, status=CopyStatus.ON_LOAN)
    app = client_of(reader().resident.user)
    staff = client_of(staff_user(Role.SUBDISTRICT_OFFICER, tree["s1"]))
    before = state()

    unknown_branch = post(app, f"/titles/{book.pk}/holds", {"pickup_branch": "NO-SUCH"})
    unknown_title = post(app, "/titles/999999/holds", {"pickup_branch": here.code})
    missing = post(app, f"/titles/{book.pk}/holds", {})
    staff_account = post(staff, f"/titles/{book.pk}/holds", {"pickup_branch": here.code})

    assert (unknown_branch.status_code, unknown_branch.json()["field"]) == (404, "pickup_branch")
    assert unknown_title.status_code == 404
    assert missing.status_code == 422
    assert staff_account.status_code == 403
    assert state() == before


def test_cancel_my_hold_200_then_409_and_someone_elses_404(tree):
    here = branch(operator=tree["s1"])
    book = title(title="白鹿原")
    copy(title=book, branch=here, status=CopyStatus.ON_LOAN)
    who = reader()
    hold = hold_place(reader=who, title=book, pickup_branch=here)
    app = client_of(who.resident.user)
    stranger = client_of(reader().resident.user)
    before = state()

    not_mine = post(stranger, f"/me/holds/{hold.pk}/cancel")
    assert not_mine.status_code == 404
    assert state() == before

    response = post(app, f"/me/holds/{hold.pk}/cancel")
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["status"]) == (hold.pk, "cancelled")
    before = state()
    again = post(app, f"/me/holds/{hold.pk}/cancel")
    assert again.status_code == 409
    assert state() == before


# ----- renewals ----------------------------------------------------------------------------------
def test_renew_my_loan_200_then_renewals_used_409_and_someone_elses_404(tree):
    here = branch(operator=tree["s1"])
    copy(branch=here, barcode="LIB0105")
    who = reader()
    loan = loan_checkout(actor=None, branch=here, card=card_of(who), barcode="LIB0105")
    app = client_of(who.resident.user)
    stranger = client_of(reader().resident.user)
    before = state()

    not_mine = post(stranger, f"/me/loans/{loan.pk}/renew")
    assert not_mine.status_code == 404
    assert state() == before

    response = post(app, f"/me/loans/{loan.pk}/renew")

    assert response.status_code == 200
    assert response.json()["renewals_used"] == 1
    assert response.json()["due_on"] == (loan.due_on + timedelta(days=30)).isoformat()
    before = state()
    again = post(app, f"/me/loans/{loan.pk}/renew")
    assert (again.status_code, again.json()["code"]) == (409, "renewals_used")
    assert state() == before


# ----- a title's holdings and the caller's own lists ------------------------------------------
def test_a_title_gives_its_copies_per_branch_with_the_soonest_due_date(tree):
    here = branch(operator=tree["s1"], name="湖墅分馆")
    there = branch(operator=tree["s2"], name="武林分馆")
    book = catalogued("三体", "刘慈欣")
    copy(title=book, branch=here, barcode="LIB0201")
    copy(title=book, branch=here, barcode="LIB0202")
    copy(title=book, branch=there, barcode="LIB0203", status=CopyStatus.LOST)
    copy(title=book, branch=there, barcode="LIB0204", item_type="reference")
    loan = loan_checkout(actor=None, branch=here, card=card_of(reader()), barcode="LIB0202")
    app = client_of(reader().resident.user)

    response = app.get(f"{API}/titles/{book.pk}")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["title"], body["author"]) == (book.pk, "三体", "刘慈欣")
    rows = {h["branch"]: h for h in body["holdings"]}
    assert rows == {
        here.code: {"branch": here.code, "branch_name": "湖墅分馆", "total": 2, "available": 1,
                    "on_loan": 1, "due_soonest": loan.due_on.isoformat()},
        there.code: {"branch": there.code, "branch_name": "武林分馆", "total": 1, "available": 0,
                     "on_loan": 0, "due_soonest": None},
    }  # fmt: skip
    assert app.get(f"{API}/titles/999999").status_code == 404
    assert app.get(f"{API}/titles/{2**63}").status_code == 422
    assert app.get(f"{API}/titles/0").status_code == 422


def test_my_loans_open_and_returned_holds_and_orders_are_my_own_only(tree):
    here = branch(operator=tree["s1"], name="湖墅分馆")
    first, second, third = title(title="甲书"), title(title="乙书"), title(title="丙书")
    copy(title=first, branch=here, barcode="LIB0301")
    copy(title=first, branch=here, barcode="LIB0302")
    copy(title=second, branch=here, barcode="LIB0303", status=CopyStatus.ON_LOAN)
    copy(title=third, branch=here, barcode="LIB0304")
    who, other = reader(), reader()
    kept = loan_checkout(actor=None, branch=here, card=card_of(who), barcode="LIB0301")
    back = loan_checkout(actor=None, branch=here, card=card_of(who), barcode="LIB0302")
    loan_return(actor=None, branch=here, barcode="LIB0302")
    hold = hold_place(reader=who, title=second, pickup_branch=here)
    order = delivery_place(reader=who, title=third, pickup_branch=here)
    app = client_of(who.resident.user)
    stranger = client_of(other.resident.user)

    open_loans = app.get(f"{API}/me/loans").json()
    returned = app.get(f"{API}/me/loans?open=false").json()
    holds = app.get(f"{API}/me/holds").json()
    orders = app.get(f"{API}/me/orders").json()

    assert [(r["id"], r["barcode"], r["returned_at"]) for r in open_loans] == [
        (kept.pk, "LIB0301", None)
    ]
    assert [r["id"] for r in returned] == [back.pk]
    assert returned[0]["returned_at"] is not None
    assert [(h["id"], h["status"], h["title_name"]) for h in holds] == [
        (hold.pk, "waiting", "乙书")
    ]
    assert [(o["id"], o["status"], o["barcode"]) for o in orders] == [
        (order.pk, "placed", "LIB0304")
    ]
    assert app.get(f"{API}/me/orders?active=false").json() == []
    assert app.get(f"{API}/me/loans?open=false&limit=1&offset=1").json() == []
    for path in ("/me/loans", "/me/loans?open=false", "/me/holds", "/me/orders"):
        assert stranger.get(API + path).json() == [], path
    staff = client_of(staff_user(Role.SUBDISTRICT_OFFICER, tree["s1"]))
    assert staff.get(f"{API}/me/loans").json() == []
    assert Client().get(f"{API}/me/loans").status_code == 401
    assert app.get(f"{API}/me/loans?limit=0").status_code == 422


def test_refusals_are_told_in_english_when_asked(tree):
    here = branch(operator=tree["s1"])
    book = title(title="白鹿原")
    copy(title=book, branch=here)
    staff = client_of(staff_user(Role.SUBDISTRICT_OFFICER, tree["s1"]))
    app = client_of(reader().resident.user)

    def en(client, path, body):
        return client.post(API + path, json.dumps(body), content_type="application/json",
                           HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip

    staff_borrow = en(staff, f"/titles/{book.pk}/borrow", {"pickup_branch": here.code})
    no_title = en(app, "/titles/999999/holds", {"pickup_branch": here.code})
    no_branch = en(app, f"/titles/{book.pk}/holds", {"pickup_branch": "NO-SUCH"})

    assert staff_borrow.json()["message"] == (
        "Borrowing needs a resident's account: sign in with a resident's account to borrow"
    )
    assert no_title.json()["message"] == "There is no such title"
    assert no_branch.json()["message"] == "There is no library or branch with the code NO-SUCH"


def test_a_residents_first_refused_borrow_or_hold_leaves_no_reader_behind(tree):
    from culture.accounts.services import resident_register
    from culture.accounts.tests.factories import PASSWORD

    here = branch(operator=tree["s1"])
    out = title(title="已借光的书")
    copy(title=out, branch=here, status=CopyStatus.ON_LOAN)
    ref = title(title="辞海")
    copy(title=ref, branch=here, item_type="reference")
    newcomer = resident_register(actor=None, name="新读者", phone="13500009999",
                                 password=PASSWORD, id_number=id_number(9))  # fmt: skip
    app = client_of(newcomer.user)

    borrow = post(app, f"/titles/{out.pk}/borrow", {"pickup_branch": here.code})
    hold = post(app, f"/titles/{ref.pk}/holds", {"pickup_branch": here.code})

    assert (borrow.status_code, borrow.json()["code"]) == (409, "none_available")
    assert (hold.status_code, hold.json()["code"]) == (409, "not_for_loan")
    assert not Reader.objects.filter(resident=newcomer).exists()

    queued = post(app, f"/titles/{out.pk}/holds", {"pickup_branch": here.code})

    assert queued.status_code == 201
    assert Reader.objects.filter(resident=newcomer).count() == 1
