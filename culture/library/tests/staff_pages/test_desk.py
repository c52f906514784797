"""The library circulation desk through real requests: checkout (card then barcodes; a second scan
answers without changing anything), returns that say where the copy goes, and who reaches the
desk (other branches' staff 403, a venue that is not a library 404, residents and anonymous
callers never); the readers appear masked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from culture.library.models import Copy, CopyStatus, Hold, HoldStatus, Loan, Reader, Transfer
from culture.library.services import hold_place
from culture.library.tests.staff_pages.world import (
    LI_ID,
    WANG_ID,
    WANG_PHONE,
    as_,
    counts,
    lend,
    text,
    url,
)

pytestmark = pytest.mark.django_db


# ----- the desk: checkout -------------------------------------------------------------------------


def _choose_reader(client: Client, w, card: str = WANG_ID) -> tuple[Any, str]:
    response = client.post(url("desk_checkout", "LIB-IN"), {"scan": card})
    token = response.context["reader_token"]
    return response, token


def test_the_desk_shows_the_reader_after_the_card_masked(w):
    client = as_(w["manager"])
    lend(w, "B0002")
    response, token = _choose_reader(client, w)
    page = text(response)
    assert response.status_code == 200
    assert "王**" in page and "139****2345" in page
    assert "在借 1 / 可借 3 册" in page
    assert "B0002" in page  # the open loan is listed
    assert WANG_ID not in page and WANG_PHONE not in page and "王建国" not in page
    assert token and WANG_ID not in token


def test_a_card_typed_in_full_width_digits_and_spaces_is_the_same_reader(w):
    client = as_(w["manager"])
    response, token = _choose_reader(client, w, card=" ３３０１０５ 199001011233 ")
    assert "王**" in text(response) and token


def test_checkout_card_then_barcodes_lends_with_the_due_date(w):
    client = as_(w["manager"])
    _, token = _choose_reader(client, w)
    response = client.post(url("desk_checkout", "LIB-IN"), {"scan": "b0001", "reader": token})
    page = text(response)
    assert response.status_code == 200
    assert "借出成功" in page and "应还日期 2026-12-16" in page and "三体" in page
    loan = Loan.objects.get(copy=w["c1"], returned_at__isnull=True)
    assert loan.reader == w["wang"] and loan.due_on == dt.date(2026, 12, 16)
    assert loan.staff == w["manager"]
    # the next barcode for the same reader: the reader stays chosen (token in the new page)
    token = response.context["reader_token"]
    response = client.post(url("desk_checkout", "LIB-IN"), {"scan": "B0002", "reader": token})
    assert "借出成功" in text(response) and "在借 2 / 可借 3 册" in text(response)
    assert Reader.objects.get(pk=w["wang"].pk).open_loans == 2


def test_the_same_barcode_scanned_again_answers_already_lent_and_changes_nothing(w, clock):
    client = as_(w["manager"])
    _, token = _choose_reader(client, w)
    client.post(url("desk_checkout", "LIB-IN"), {"scan": "B0001", "reader": token})
    before = counts()
    clock["now"] += dt.timedelta(minutes=3)
    response = client.post(url("desk_checkout", "LIB-IN"), {"scan": "B0001", "reader": token})
    page = text(response)
    assert response.status_code == 200
    assert "已借出（10:00）" in page and "应还日期 2026-12-16" in page
    assert counts() == before
    assert Reader.objects.get(pk=w["wang"].pk).open_loans == 1


def test_checkout_refusals_are_shown_and_change_nothing(w):
    client = as_(w["manager"])
    lend(w, "B0002", reader="li")
    _, token = _choose_reader(client, w)
    before = counts()
    # a copy standing at another branch
    response = client.post(url("desk_checkout", "LIB-IN"), {"scan": "B0900", "reader": token})
    assert response.status_code == 409
    assert "不能借出" in text(response) and "武林分馆" in text(response)
    # a copy lent to someone else
    response = client.post(url("desk_checkout", "LIB-IN"), {"scan": "B0002", "reader": token})
    assert response.status_code == 409 and "已借出给其他读者" in text(response)
    # an unknown barcode
    response = client.post(url("desk_checkout", "LIB-IN"), {"scan": "NOPE-1", "reader": token})
    assert response.status_code == 404 and "NOPE-1" in text(response)
    # an empty scan
    response = client.post(url("desk_checkout", "LIB-IN"), {"scan": "  ", "reader": token})
    assert response.status_code == 422
    assert counts() == before
    # the reader stays chosen after a refusal
    assert "王**" in text(response)


def test_a_reader_at_the_limit_is_refused(w, settings):
    settings.CULTURE_LIBRARY_LOAN_LIMIT = 1
    client = as_(w["manager"])
    lend(w, "B0002")
    _, token = _choose_reader(client, w)
    response = client.post(url("desk_checkout", "LIB-IN"), {"scan": "B0001", "reader": token})
    assert response.status_code == 409 and "可借上限 1 册" in text(response)
    assert Copy.objects.get(pk=w["c1"].pk).status == CopyStatus.AVAILABLE


def test_an_unregistered_or_bad_card_is_refused_on_the_page(w):
    client = as_(w["manager"])
    response = client.post(url("desk_checkout", "LIB-IN"), {"scan": "330105198001011052"})
    assert response.status_code == 404 and "不能识别读者" in text(response)
    assert "330105********1052" in text(response) and "330105198001011052" not in text(response)
    response = client.post(url("desk_checkout", "LIB-IN"), {"scan": "330105199001011234"})
    assert response.status_code == 422 and "不能识别读者" in text(response)  # a bad check digit
    assert "请先刷读者社保卡" not in text(response)
    assert response.context["reader"] is None
    # a barcode before any card: told to scan the card first, nothing lent
    response = client.post(url("desk_checkout", "LIB-IN"), {"scan": "B0001"})
    assert response.status_code == 422 and "请先刷读者社保卡，再扫描图书条码" in text(response)
    assert not Loan.objects.exists()


def test_a_forged_reader_token_chooses_nobody(w):
    client = as_(w["manager"])
    before = counts()
    response = client.post(url("desk_checkout", "LIB-IN"),
                           {"scan": "B0001", "reader": "e30:forged:sig"})  # fmt: skip
    assert "不能识别读者" in text(response)
    assert counts() == before


def test_a_reader_token_of_another_branch_is_not_taken(w, tree):
    district = as_(w["users"]["district"])
    _, token = _choose_reader(district, w)
    response = district.post(url("desk_checkout", "LIB-OUT"), {"scan": "B0900", "reader": token})
    assert "不能识别读者" in text(response)
    assert not Loan.objects.filter(copy=w["far"]).exists()


def test_another_card_changes_the_reader(w):
    client = as_(w["manager"])
    _, token = _choose_reader(client, w)
    response = client.post(url("desk_checkout", "LIB-IN"), {"scan": LI_ID, "reader": token})
    assert "李**" in text(response) and "王**" not in text(response)


# ----- the desk: return ---------------------------------------------------------------------------


def test_return_to_the_shelf_then_a_second_scan_answers_the_same(w, clock):
    lend(w, "B0001", days_ago=20)  # due 6 days ago
    client = as_(w["manager"])
    response = client.post(url("desk_return", "LIB-IN"), {"scan": "B0001"})
    page = text(response)
    assert response.status_code == 200
    assert "归还成功" in page and "放回书架" in page and "逾期 6 天" in page
    assert "王**" in page
    after = counts()
    assert Copy.objects.get(pk=w["c1"].pk).status == CopyStatus.AVAILABLE
    clock["now"] += dt.timedelta(minutes=5)
    response = client.post(url("desk_return", "LIB-IN"), {"scan": "B0001"})
    page = text(response)
    assert response.status_code == 200
    assert "已归还（10:00）" in page and "放回书架" in page and "逾期 6 天" in page
    assert counts() == after


def test_return_onto_the_hold_shelf_names_the_reader_masked(w):
    lend(w, "B0001")
    lend(w, "B0002")
    hold_place(reader=w["li"], title=w["santi"], pickup_branch=w["branch"])
    client = as_(w["manager"])
    response = client.post(url("desk_return", "LIB-IN"), {"scan": "B0001"})
    assert "放到预约架（读者 李**（138****4321））" in text(response)
    assert Hold.objects.get(reader=w["li"]).status == HoldStatus.READY
    again = client.post(url("desk_return", "LIB-IN"), {"scan": "B0001"})
    assert "已归还" in text(again) and "放到预约架（读者 李**（138****4321））" in text(again)


def test_return_for_a_hold_elsewhere_says_transfer_to_the_branch(w):
    lend(w, "B0001")
    lend(w, "B0002")
    # no copy stands at the district library: the reader waits there
    hold_place(reader=w["li"], title=w["santi"], pickup_branch=w["library"])
    client = as_(w["manager"])
    response = client.post(url("desk_return", "LIB-IN"), {"scan": "B0001"})
    assert "调拨至 拱墅区图书馆（预约读者 李**（138****4321））" in text(response)
    assert Transfer.objects.get(copy=w["c1"]).to_branch == w["library"]
    again = client.post(url("desk_return", "LIB-IN"), {"scan": "B0001"})
    assert "已归还" in text(again) and "调拨至 拱墅区图书馆" in text(again)
    assert Transfer.objects.filter(copy=w["c1"]).count() == 1


def test_return_of_a_copy_not_on_loan_is_refused(w):
    client = as_(w["manager"])
    response = client.post(url("desk_return", "LIB-IN"), {"scan": "B0002"})
    assert response.status_code == 409 and "不能归还" in text(response)
    assert "没有未还的借阅记录" in text(response)


# ----- who reaches the desk -----------------------------------------------------------------------


def test_who_may_open_and_use_the_desk(w):
    assert as_(w["manager"]).get(url("desk", "LIB-IN")).status_code == 200
    assert as_(w["users"]["subdistrict"]).get(url("desk", "LIB-IN")).status_code == 200
    assert (
        as_(w["users"]["district"]).get(url("desk", "LIB-IN") + "?mode=return").status_code == 200
    )
    assert as_(w["users"]["evaluator"]).get(url("desk", "LIB-IN")).status_code == 403
    assert as_(w["other_staff"]).get(url("desk", "LIB-IN")).status_code == 403
    assert as_(w["manager"]).get(url("desk", "LIB-OUT")).status_code == 403
    assert as_(w["wang"].resident.user).get(url("desk", "LIB-IN")).status_code == 403
    assert as_(w["manager"]).get(url("desk", "NOPE")).status_code == 404
    assert as_(w["users"]["subdistrict"]).get(url("desk", "CC-1")).status_code == 404
    response = Client().get(url("desk", "LIB-IN"))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_staff_of_another_branch_cannot_lend_or_return_there(w):
    lend(w, "B0001")
    before = counts()
    for user in (w["other_staff"], w["users"]["evaluator"]):
        client = as_(user)
        assert client.post(url("desk_checkout", "LIB-IN"), {"scan": WANG_ID}).status_code == 403
        assert client.post(url("desk_return", "LIB-IN"), {"scan": "B0001"}).status_code == 403
    assert counts() == before
    assert as_(w["manager"]).get(url("desk_return", "LIB-IN")).status_code == 405


def test_the_desk_form_needs_csrf(w):
    client = Client(enforce_csrf_checks=True)
    client.force_login(w["manager"])
    assert client.post(url("desk_return", "LIB-IN"), {"scan": "B0001"}).status_code == 403


# ----- the desk: reader settings (残障读者, a suspension) -------------------------------------------


def test_reader_settings_disabled_and_a_suspension_with_a_reason(w):
    from culture.core.models import AuditEntry

    client = as_(w["manager"])
    _, token = _choose_reader(client, w)
    before = counts()

    refused = client.post(url("desk_reader", "LIB-IN"),
                          {"reader": token, "disabled": "1", "reason": " "})  # fmt: skip
    assert refused.status_code == 422 and "请填写原因" in text(refused)
    bad_date = client.post(url("desk_reader", "LIB-IN"),
                           {"reader": token, "blocked_until": "2026-13-01", "reason": "逾期"})  # fmt: skip
    assert bad_date.status_code == 422 and "暂停借阅日期格式不对" in text(bad_date)
    assert Reader.objects.get(resident__name="王建国").category == "adult"

    saved = client.post(url("desk_reader", "LIB-IN"), {
        "reader": token, "disabled": "1", "blocked_until": "2027-01-31", "reason": "残疾人证；逾期"})  # fmt: skip
    assert saved.status_code == 200 and "读者设置已保存" in text(saved)
    assert "暂停借阅至 2027-01-31" in text(saved) and "残障读者" in text(saved)
    who = Reader.objects.get(resident__name="王建国")
    assert (who.category, str(who.blocked_until)) == ("disabled", "2027-01-31")
    assert AuditEntry.objects.filter(action="library.reader_update").count() == 1
    assert counts() == before  # no loan, return, transfer or hold moved

    # another branch's staff cannot, even with the token of this desk
    outsider = as_(w["other_staff"]).post(url("desk_reader", "LIB-IN"),
                                          {"reader": token, "reason": "x"})  # fmt: skip
    assert outsider.status_code in (403, 404)
    # lifted: back to the category the birth date gives, no suspension
    client.post(url("desk_reader", "LIB-IN"), {"reader": token, "reason": "已还书"})
    who.refresh_from_db()
    assert (who.category, who.blocked_until) == ("adult", None)


def test_reader_settings_without_a_reader_chosen_change_nothing(w):
    response = as_(w["manager"]).post(url("desk_reader", "LIB-IN"), {"reason": "x"})
    assert response.status_code == 422 and "请先刷读者社保卡" in text(response)
