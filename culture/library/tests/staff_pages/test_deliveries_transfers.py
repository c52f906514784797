"""The deliveries board, transfers and the grassroots batches through real requests: each step
by the branch's staff, refusals shown on the page with nothing changed, read-only roles see no
forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from culture.accounts.services import resident_register
from culture.library.models import Copy, CopyStatus, Reader, Transfer
from culture.library.services import hold_place, loan_checkout, reader_for_card
from culture.library.tests.factories import copy as make_copy
from culture.library.tests.factories import title as make_title
from culture.library.tests.staff_pages.world import (
    NOW,
    PASSWORD,
    as_,
    lend,
    text,
    url,
)

pytestmark = pytest.mark.django_db


# ----- the deliveries board -----------------------------------------------------------------------


def _order(w, *, reader: str = "li", pickup: str = "library", **kwargs: Any):
    from culture.library.services import delivery_place

    return delivery_place(reader=w[reader], title=w["santi"], pickup_branch=w[pickup], **kwargs)


def _advance(client: Client, code: str, order, **data: Any):
    return client.post(url("delivery_advance", code, order.pk), data, follow=True)


def test_the_board_moves_an_order_step_by_step_to_a_loan(w):
    from culture.library.models import DeliveryOrder, DeliveryStatus

    order = _order(w)  # c1 at LIB-IN set aside, to collect at the district library
    assert order.from_branch == w["branch"] and order.copy == w["c1"]
    manager, district = as_(w["manager"]), as_(w["users"]["district"])
    page = text(manager.get(url("deliveries", "LIB-IN")))
    assert "三体" in page and "李**（138****4321）" in page and "拣书" in page
    assert "李秀英" not in page
    # picking needs the scanned barcode
    response = _advance(manager, "LIB-IN", order)
    assert "拣书时请扫描图书条码" in text(response)
    assert DeliveryOrder.objects.get(pk=order.pk).status == DeliveryStatus.PLACED
    response = _advance(manager, "LIB-IN", order, barcode="B0900")  # a copy at another branch
    assert DeliveryOrder.objects.get(pk=order.pk).status == DeliveryStatus.PLACED
    assert 'class="msg-error"' in text(response)
    _advance(manager, "LIB-IN", order, barcode="b0001")
    assert DeliveryOrder.objects.get(pk=order.pk).status == DeliveryStatus.PICKED
    _advance(manager, "LIB-IN", order)
    assert DeliveryOrder.objects.get(pk=order.pk).status == DeliveryStatus.IN_TRANSIT
    # the next steps are the pickup branch's: not on LIB-IN's board, refused there
    assert "三体" not in text(manager.get(url("deliveries", "LIB-IN")))
    assert manager.post(url("delivery_advance", "LIB-IN", order.pk)).status_code == 403
    assert DeliveryOrder.objects.get(pk=order.pk).status == DeliveryStatus.IN_TRANSIT
    assert manager.post(url("delivery_advance", "LIB-D", order.pk)).status_code == 403
    assert "三体" in text(district.get(url("deliveries", "LIB-D")))
    _advance(district, "LIB-D", order)
    assert DeliveryOrder.objects.get(pk=order.pk).status == DeliveryStatus.READY
    response = _advance(district, "LIB-D", order)
    assert "已取/已签收" in text(response)
    done = DeliveryOrder.objects.get(pk=order.pk)
    assert done.status == DeliveryStatus.COLLECTED and done.loan.reader == w["li"]
    assert Reader.objects.get(pk=w["li"].pk).open_loans == 1


def test_staff_cancel_an_order_with_a_reason(w):
    from culture.library.models import DeliveryOrder, DeliveryStatus

    order = _order(w)
    manager = as_(w["manager"])
    response = manager.post(url("delivery_cancel", "LIB-IN", order.pk), {"reason": " "},
                            follow=True)  # fmt: skip
    assert "需要填写原因" in text(response)
    assert DeliveryOrder.objects.get(pk=order.pk).status == DeliveryStatus.PLACED
    response = manager.post(url("delivery_cancel", "LIB-IN", order.pk), {"reason": "书已破损"},
                            follow=True)  # fmt: skip
    assert "已取消《三体》" in text(response)
    cancelled = DeliveryOrder.objects.get(pk=order.pk)
    assert cancelled.status == DeliveryStatus.CANCELLED and cancelled.cancel_reason == "书已破损"
    assert Copy.objects.get(pk=w["c1"].pk).status == CopyStatus.AVAILABLE
    assert Reader.objects.get(pk=w["li"].pk).open_loans == 0


def test_orders_of_other_branches_and_other_roles_are_refused(w):
    from culture.library.models import DeliveryOrder, DeliveryStatus

    order = _order(w)
    assert as_(w["other_staff"]).post(url("delivery_advance", "LIB-OUT", order.pk),
                                      {"barcode": "B0001"}).status_code == 404  # fmt: skip
    assert as_(w["other_staff"]).post(url("delivery_advance", "LIB-IN", order.pk),
                                      {"barcode": "B0001"}).status_code == 403  # fmt: skip
    evaluator = as_(w["users"]["evaluator"])
    page = text(evaluator.get(url("deliveries", "LIB-IN")))
    assert "三体" in page and 'data-testid="advance-' not in page
    assert evaluator.post(url("delivery_cancel", "LIB-IN", order.pk),
                          {"reason": "x"}).status_code == 403  # fmt: skip
    assert as_(w["li"].resident.user).post(url("delivery_cancel", "LIB-IN", order.pk),
                                           {"reason": "x"}).status_code == 403  # fmt: skip
    huge = f"/library/manage/LIB-IN/deliveries/{2**80}/advance/"
    assert as_(w["manager"]).post(huge, {"barcode": "B0001"}).status_code == 404
    assert as_(w["manager"]).get(url("delivery_advance", "LIB-IN", order.pk)).status_code == 405
    assert DeliveryOrder.objects.get(pk=order.pk).status == DeliveryStatus.PLACED


def test_a_home_delivery_shows_the_address_to_the_desk_only(w):
    order = _order(w, pickup="branch", to_home=True, address="湖墅南路 88 号 3 单元")
    assert order.to_home
    page = text(as_(w["manager"]).get(url("deliveries", "LIB-IN")))
    assert "送书到家：湖墅南路 88 号 3 单元" in page
    page = text(as_(w["users"]["evaluator"]).get(url("deliveries", "LIB-IN")))
    assert "送书到家" in page and "湖墅南路" not in page


# ----- transfers ----------------------------------------------------------------------------------


def test_send_a_copy_and_receive_it_at_the_other_branch(w):
    manager, other = as_(w["manager"]), as_(w["other_staff"])
    response = manager.post(url("transfer_send", "LIB-IN"),
                            {"barcode": "B0001", "to_branch": "LIB-OUT"}, follow=True)  # fmt: skip
    assert "已发出：《三体》B0001 → 武林分馆" in text(response)
    transfer = Transfer.objects.get(copy=w["c1"], received_at__isnull=True)
    assert transfer.to_branch == w["other"] and transfer.reason == "rebalance"
    assert "B0001" in text(other.get(url("transfers", "LIB-OUT")))  # incoming there
    response = other.post(url("transfer_receive", "LIB-OUT"), {"barcode": "B0001"}, follow=True)
    assert "已接收：《三体》B0001 → 放回书架" in text(response)
    copy = Copy.objects.get(pk=w["c1"].pk)
    assert copy.current_branch == w["other"] and copy.status == CopyStatus.AVAILABLE
    response = other.post(url("transfer_receive", "LIB-OUT"), {"barcode": "B0001"}, follow=True)
    assert "已接收过（10:00）" in text(response)
    assert Transfer.objects.filter(copy=w["c1"]).count() == 1


def test_transfer_refusals_are_shown_and_change_nothing(w):
    lend(w, "B0002")
    manager = as_(w["manager"])
    response = manager.post(url("transfer_send", "LIB-IN"),
                            {"barcode": "B0002", "to_branch": "LIB-OUT"})  # fmt: skip
    assert response.status_code == 409 and "只有在架的馆藏可以调拨" in text(response)
    response = manager.post(url("transfer_send", "LIB-IN"),
                            {"barcode": "B0001", "to_branch": "CC-1"})  # fmt: skip
    assert response.status_code == 422  # not a library: not among the choices
    response = manager.post(url("transfer_receive", "LIB-IN"), {"barcode": "B0001"}, follow=True)
    assert "没有调往本馆" in text(response)
    assert Transfer.objects.count() == 0


def test_read_only_roles_see_transfers_without_forms(w):
    evaluator = as_(w["users"]["evaluator"])
    page = text(evaluator.get(url("transfers", "LIB-IN")))
    assert 'data-testid="send-submit"' not in page and 'data-testid="receive-input"' not in page
    assert evaluator.post(url("transfer_send", "LIB-IN"),
                          {"barcode": "B0001", "to_branch": "LIB-OUT"}).status_code == 403  # fmt: skip
    assert as_(w["other_staff"]).get(url("transfers", "LIB-IN")).status_code == 403
    assert Transfer.objects.count() == 0


# ----- books to the grassroots --------------------------------------------------------------------


def test_the_district_library_records_a_batch_and_lists_the_year(w):
    from culture.activities.models import Activity

    district = as_(w["users"]["district"])
    assert district.get(url("batches", "LIB-D")).status_code == 200
    response = district.post(url("batches", "LIB-D"), {
        "to_branch": "LIB-OUT", "sent_on": "2026-12-01", "books": "120",
        "barcodes": "B0001\n\n b0002 \n", "note": "冬季流转",
    }, follow=True)  # fmt: skip
    page = text(response)
    assert "已登记：2026-12-01 向 武林分馆 送书 120 册" in page
    batch = Activity.objects.get(kind="books_to_grassroots")
    assert batch.books_count == 120 and batch.venue == w["other"]
    assert "1 次 · 120 册" in page and "冬季流转" in page
    sent = Transfer.objects.filter(reason="grassroots", to_branch=w["other"])
    assert sorted(t.copy.barcode for t in sent) == ["B0001", "B0002"]


def test_batch_refusals_and_who_may_record(w):
    from culture.activities.models import Activity

    district = as_(w["users"]["district"])
    response = district.post(url("batches", "LIB-D"),
                             {"to_branch": "LIB-OUT", "sent_on": "2026-12-01", "books": "0"})  # fmt: skip
    assert response.status_code == 422 and 'data-testid="batch-error-books"' in text(response)
    response = district.post(url("batches", "LIB-D"), {
        "to_branch": "LIB-OUT", "sent_on": "2026-12-01", "books": "1", "barcodes": "B0001\nB0002",
    })  # fmt: skip
    assert response.status_code == 422 and "多于送书册数" in text(response)
    assert as_(w["manager"]).post(url("batches", "LIB-D"), {
        "to_branch": "LIB-OUT", "sent_on": "2026-12-01", "books": "5"}).status_code == 403  # fmt: skip
    evaluator = as_(w["users"]["evaluator"])
    page = text(evaluator.get(url("batches", "LIB-D")))
    assert 'data-testid="batch-form"' not in page and "今年还没有送书记录" in page
    assert evaluator.post(url("batches", "LIB-D"), {
        "to_branch": "LIB-OUT", "sent_on": "2026-12-01", "books": "5"}).status_code == 403  # fmt: skip
    assert as_(w["users"]["subdistrict"]).get(url("batches", "LIB-IN")).status_code == 404
    assert "送书下基层" not in text(as_(w["manager"]).get(url("overdue", "LIB-IN")))
    assert Activity.objects.filter(kind="books_to_grassroots").count() == 0
    assert Transfer.objects.count() == 0


def test_the_desk_speaks_english(w, settings):
    lend(w, "B0001", days_ago=20)
    client = as_(w["manager"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(client.get(url("desk", "LIB-IN")))
    assert "First: scan the reader’s social-security card" in page and "借还台" not in page
    page = text(client.post(url("desk_return", "LIB-IN"), {"scan": "B0001"}))
    assert "Returned" in page and "Back on the shelf" in page and "6 days overdue" in page
    assert "归还成功" not in page
    page = text(client.post(url("desk_return", "LIB-IN"), {"scan": "B0001"}))
    assert "Already returned (10:00)" in page
    page = text(client.get(url("manage_home")))
    assert "Library desk" in page and "Lent today 0" in page


def test_the_lists_keep_their_query_count_as_they_grow(w, tree):
    """The hold shelf, the overdue list, the deliveries board and transfers: the same number of
    queries with 2 and with 4 rows of each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from culture.accounts.tests.helpers import id_number
    from culture.library.services import delivery_place, loan_return, transfer_create

    client = as_(w["manager"])
    pages = [url(name, "LIB-IN") for name in ("hold_shelf", "overdue", "deliveries", "transfers")]
    n = {"i": 0}

    def add_rows(k: int) -> None:
        for _ in range(k):
            n["i"] += 1
            i = n["i"]
            number = id_number(500 + i)
            resident_register(actor=None, name=f"读者{i}", phone=f"1370000{i:04d}",
                              password=PASSWORD, id_number=number)  # fmt: skip
            reader = reader_for_card(card=number)
            t = make_title(title=f"书{i}")
            for tag in ("L", "H", "O", "T"):
                make_copy(title=t, branch=w["branch"], barcode=f"{tag}{i:04d}")
            loan_checkout(actor=None, branch=w["branch"], card=number, barcode=f"L{i:04d}",
                          now=NOW.astimezone(dt.UTC) - dt.timedelta(days=30))  # fmt: skip
            loan_checkout(actor=None, branch=w["branch"], card=number, barcode=f"H{i:04d}")
            hold_place(reader=w["wang"], title=t, pickup_branch=w["branch"])
            loan_return(actor=None, branch=w["branch"], barcode=f"H{i:04d}")
            delivery_place(reader=reader, title=t, pickup_branch=w["library"])
            transfer_create(actor=None, branch=w["branch"], barcode=f"T{i:04d}",
                            to_branch=w["other"])  # fmt: skip

    def counts_now() -> list[int]:
        found = []
        for page in pages:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(page).status_code == 200
            found.append(len(ctx.captured_queries))
        return found

    add_rows(2)
    before = counts_now()
    add_rows(2)
    assert counts_now() == before
    assert "书4" in text(client.get(pages[0])) and "书4" in text(client.get(pages[2]))
