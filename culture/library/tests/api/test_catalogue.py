"""/api/library/ reads: the catalogue search (paged, ranked), a title's holdings per branch and the
caller's own loans, holds and orders."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from culture.accounts.tests.factories import staff_user
from culture.accounts.tests.helpers import id_number
from culture.core.roles import Role
from culture.library.models import (
    CopyStatus,
    Reader,
    Title,
)
from culture.library.services import (
    delivery_place,
    hold_place,
    loan_checkout,
    loan_return,
    title_upsert,
)
from culture.library.tests.api.world import (
    API,
    client_of,
    post,
)
from culture.library.tests.factories import branch, card_of, copy, reader, title

pytestmark = pytest.mark.django_db


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
