"""The residents' library pages with real requests, what is mine: the hold form when no copy is
free, my loans (renew), orders and holds (cancel with a confirm step), the history; ids beyond
what the database stores; query counts fixed as the lists grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from culture.library.models import (
    Copy,
    CopyStatus,
    DeliveryOrder,
    DeliveryStatus,
    Hold,
    HoldStatus,
    Loan,
    Reader,
)
from culture.library.services import (
    delivery_advance,
    delivery_place,
    hold_place,
    loan_checkout,
    loan_return,
)
from culture.library.tests.resident_pages.world import (
    IDS,
    as_reader,
    make_book,
    make_copy,
    page_text,
    state,
)

pytestmark = [pytest.mark.django_db]


# ----- holds ---------------------------------------------------------------------------------
def test_no_free_copy_offers_the_queue_with_its_length_and_joins_it(client, lib, resident, other):
    title = lib["one"]
    Copy.objects.filter(title=title).update(status=CopyStatus.ON_LOAN)
    hold_place(reader=as_reader(other), title=title, pickup_branch=lib["far"])
    client.force_login(resident.user)
    page = page_text(client.get(reverse("library:title", args=[title.pk])))
    assert "前面有 1 人" in page and 'data-testid="borrow-form"' not in page
    response = client.post(reverse("library:title_hold", args=[title.pk]), {"pickup": "LNEAR"},
                           follow=True)  # fmt: skip
    hold = Hold.objects.get(reader__resident=resident)
    assert (hold.status, hold.pickup_branch.code) == (HoldStatus.WAITING, "LNEAR")
    text = page_text(response)
    assert "已加入排队，您排第 2 位" in text and "排队第 2 位" in text
    before = state()  # again: refused as a duplicate, nothing changed
    again = client.post(reverse("library:title_hold", args=[title.pk]), {"pickup": "LNEAR"},
                        follow=True)  # fmt: skip
    assert "不能重复预约" in page_text(again)
    assert state() == before


def test_hold_cancel_has_a_confirm_step(client, lib, resident, other):
    title = lib["one"]
    Copy.objects.filter(title=title).update(status=CopyStatus.ON_LOAN)
    mine = hold_place(reader=as_reader(resident), title=title, pickup_branch=lib["near"])
    theirs = hold_place(reader=as_reader(other), title=lib["two"], pickup_branch=lib["far"])
    client.force_login(resident.user)
    url = reverse("library:hold_cancel", args=[mine.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "确定取消这个预约吗" in page_text(confirm)
    assert Hold.objects.get(pk=mine.pk).status == HoldStatus.WAITING  # GET changed nothing
    done = client.post(url, follow=True)
    assert "已取消《三体》的预约" in page_text(done)
    assert Hold.objects.get(pk=mine.pk).status == HoldStatus.CANCELLED
    before = state()
    assert client.get(reverse("library:hold_cancel", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("library:hold_cancel", args=[theirs.pk])).status_code == 404
    assert state() == before


# ----- orders --------------------------------------------------------------------------------
def test_order_cancel_confirm_then_cancel_puts_the_copy_back(client, lib, resident):
    order = delivery_place(reader=as_reader(resident), title=lib["one"], pickup_branch=lib["near"])
    client.force_login(resident.user)
    url = reverse("library:order_cancel", args=[order.pk])
    confirm = client.get(url)
    assert "确定取消这个借阅订单吗" in page_text(confirm)
    assert DeliveryOrder.objects.get(pk=order.pk).status == DeliveryStatus.PLACED
    done = client.post(url, follow=True)
    assert "已取消《三体》的借阅订单" in page_text(done)
    assert DeliveryOrder.objects.get(pk=order.pk).status == DeliveryStatus.CANCELLED
    assert Copy.objects.get(barcode="B-1-FAR").status == CopyStatus.AVAILABLE
    assert Reader.objects.get(resident=resident).open_loans == 0
    history = page_text(client.get(reverse("library:history")))
    assert "已取消的订单" in history and "读者本人取消" in history


def test_an_order_on_its_way_cannot_be_cancelled_by_the_reader(client, lib, resident, other):
    order = delivery_place(reader=as_reader(resident), title=lib["one"], pickup_branch=lib["near"])
    delivery_advance(actor=None, order=order, barcode="B-1-FAR")  # picked at the far branch
    theirs = delivery_place(reader=as_reader(other), title=lib["two"], pickup_branch=lib["near"])
    client.force_login(resident.user)
    url = reverse("library:order_cancel", args=[order.pk])
    confirm = page_text(client.get(url))
    assert "网上不能再取消" in confirm and 'data-testid="cancel-confirm-button"' not in confirm
    before = state()
    response = client.post(url, follow=True)
    assert "不能自行取消" in page_text(response)
    assert state() == before
    assert client.post(reverse("library:order_cancel", args=[theirs.pk])).status_code == 404
    assert state() == before


# ----- loans ---------------------------------------------------------------------------------
def test_mine_lists_loans_and_renewing_moves_the_due_date(client, lib, resident):
    loan = loan_checkout(actor=None, branch=lib["near"], card=IDS[0], barcode="B-3-NEAR")
    client.force_login(resident.user)
    text = page_text(client.get(reverse("library:mine")))
    assert "红楼梦" in text and "已续借 0/1 次" in text and 'data-testid="renew-button"' in text
    response = client.post(reverse("library:loan_renew", args=[loan.pk]), follow=True)
    renewed = Loan.objects.get(pk=loan.pk)
    assert renewed.renewals_used == 1 and renewed.due_on > loan.due_on
    assert "续借成功" in page_text(response)
    assert "续借次数已用完" in page_text(response)  # the page no longer offers it


def test_renew_refused_when_someone_waits_changes_nothing(client, lib, resident, other):
    loan = loan_checkout(actor=None, branch=lib["near"], card=IDS[0], barcode="B-3-NEAR")
    hold_place(reader=as_reader(other), title=lib["other"], pickup_branch=lib["near"])
    client.force_login(resident.user)
    before = state()
    response = client.post(reverse("library:loan_renew", args=[loan.pk]), follow=True)
    assert "有其他读者在排队预约，不能续借" in page_text(response)
    assert state() == before


def test_someone_elses_loan_cannot_be_renewed(client, lib, resident, other):
    loan = loan_checkout(actor=None, branch=lib["near"], card=IDS[1], barcode="B-3-NEAR")
    client.force_login(resident.user)
    before = state()
    assert client.post(reverse("library:loan_renew", args=[loan.pk])).status_code == 404
    assert client.get(reverse("library:loan_renew", args=[loan.pk])).status_code == 405
    assert state() == before


def test_history_lists_returned_loans_and_signed_out_goes_to_sign_in(client, lib, resident):
    loan_checkout(actor=None, branch=lib["near"], card=IDS[0], barcode="B-3-NEAR")
    loan_return(actor=None, branch=lib["far"], barcode="B-3-NEAR")
    for name in ("library:mine", "library:history"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    client.force_login(resident.user)
    text = page_text(client.get(reverse("library:history")))
    assert "红楼梦" in text and "湖墅分馆 → 武林分馆" in text
    assert "红楼梦" not in page_text(client.get(reverse("library:mine")))


def test_pages_never_create_the_reader_on_a_visit(client, lib, resident):
    client.force_login(resident.user)
    for url in (reverse("library:search") + "?q=三体", reverse("library:mine"),
                reverse("library:history"), reverse("library:title", args=[lib["one"].pk])):  # fmt: skip
        assert client.get(url).status_code == 200
    assert not Reader.objects.exists()


def test_english_through_the_language_switch(client, lib):
    client.cookies.load({"django_language": "en"})
    text = page_text(client.get(reverse("library:title", args=[lib["two"].pk])))
    assert "Sign in to borrow" in text


# ----- query counts stay fixed as the lists grow ---------------------------------------------
def _fill(lib, reader, other, n: int, start: int) -> None:
    """``n`` more loans, orders and holds for ``reader`` (and one hold ahead by ``other``)."""
    for i in range(start, start + n):
        returned = make_book(f"还了之书{i}", f"R-{i}")
        make_copy(returned, lib["near"], f"R-{i}")
        loan_checkout(actor=None, branch=lib["near"], card=IDS[0], barcode=f"R-{i}")
        loan_return(actor=None, branch=lib["far"], barcode=f"R-{i}")
        lent = make_book(f"在借之书{i}", f"L-{i}")
        make_copy(lent, lib["near"], f"L-{i}")
        loan_checkout(actor=None, branch=lib["near"], card=IDS[0], barcode=f"L-{i}")
        ordered = make_book(f"下单之书{i}", f"O-{i}")
        make_copy(ordered, lib["far"], f"O-{i}")
        delivery_place(reader=reader, title=ordered, pickup_branch=lib["near"])
        queued = make_book(f"排队之书{i}", f"Q-{i}")
        make_copy(queued, lib["far"], f"Q-{i}", status=CopyStatus.ON_LOAN)
        hold_place(reader=other, title=queued, pickup_branch=lib["far"])
        hold_place(reader=reader, title=queued, pickup_branch=lib["near"])


def test_mine_history_and_search_keep_their_query_count_at_n_and_2n(client, lib, resident, other):
    reader, them = as_reader(resident), as_reader(other)
    client.force_login(resident.user)
    pages = [reverse("library:mine"), reverse("library:history"),
             reverse("library:search") + "?q=之书"]  # fmt: skip

    def counts() -> list[int]:
        out = []
        for url in pages:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx))
        return out

    _fill(lib, reader, them, 2, 0)
    at_n = counts()
    _fill(lib, reader, them, 2, 2)
    text = page_text(client.get(pages[0]))
    assert text.count('data-testid="renew-button"') == 4 and text.count("排队第 2 位") == 4
    assert page_text(client.get(pages[1])).count("还了之书") == 4
    assert counts() == at_n


def test_ids_beyond_what_the_database_stores_are_not_found(client, lib, resident):
    # The <id:> converter bounds ids to 1..2**63-1 (SQLite raised OverflowError on more: a 500).
    for huge in (2**63, 2**70):
        assert client.get(f"/library/t/{huge}/").status_code == 404
        client.force_login(resident.user)
        before = state()
        for path in (f"/library/t/{huge}/borrow/", f"/library/loans/{huge}/renew/",
                     f"/library/holds/{huge}/cancel/", f"/library/orders/{huge}/cancel/"):  # fmt: skip
            assert client.post(path, {"where": "LNEAR"}).status_code == 404
        assert client.get(f"/library/orders/{huge}/cancel/").status_code == 404
        assert state() == before
        client.logout()


def test_a_first_borrowing_refused_leaves_no_reader_record(client, lib, resident):
    Copy.objects.filter(title=lib["one"]).update(status=CopyStatus.ON_LOAN)
    client.force_login(resident.user)
    response = client.post(reverse("library:title_borrow", args=[lib["one"].pk]),
                           {"where": "LNEAR"}, follow=True)  # fmt: skip
    assert "可以预约排队" in page_text(response)
    assert not Reader.objects.exists()
    client.post(reverse("library:title_borrow", args=[lib["two"].pk]), {"where": "LNEAR"})
    assert Reader.objects.filter(resident=resident).count() == 1  # made on the first order
