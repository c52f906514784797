"""/api/library/ for a resident's app: one-click borrowing (201, then 200 with the same order),
holds, renewals; every refusal's status and code, and that it changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from culture.accounts.tests.factories import staff_user
from culture.core.roles import Role
from culture.library.models import (
    CopyStatus,
    DeliveryOrder,
    LoanRule,
    Reader,
)
from culture.library.services import (
    delivery_advance,
    hold_place,
    loan_checkout,
)
from culture.library.tests.api.world import (
    client_of,
    post,
    state,
)
from culture.library.tests.factories import branch, card_of, copy, reader, title

pytestmark = pytest.mark.django_db


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
