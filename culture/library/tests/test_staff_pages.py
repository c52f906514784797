"""The library staff pages through real requests: the desk (card then barcodes; returns that say
where the copy goes; a second scan answers without changing anything), the hold shelf, the
overdue list, the deliveries board, transfers, the grassroots batches and the branches a user may
work; refusals are shown on the page with nothing changed, other branches' staff get 403, a venue
that is not a library 404, residents and anonymous callers never reach these pages, and the
readers appear masked.

The clock is fixed (Wednesday 2 December 2026, 10:00 in Hangzhou); loans last 14 days."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from culture.accounts.services import resident_register
from culture.accounts.tests.factories import staff_user
from culture.core.roles import Role
from culture.library.models import Copy, CopyStatus, Hold, HoldStatus, Loan, Reader, Transfer
from culture.library.services import hold_place, loan_checkout, reader_for_card
from culture.library.tests.factories import copy as make_copy
from culture.library.tests.factories import title as make_title
from culture.venues.services import venue_manager_bind
from culture.venues.tests.factories import venue as make_venue

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=TZ)  # a Wednesday
HOURS = "Mo-Su 08:00-21:00"
PASSWORD = "a-long-resident-password-7"
WANG_ID, WANG_PHONE = "330105199001011233", "13957112345"
LI_ID, LI_PHONE = "330105198503171232", "13857154321"


@pytest.fixture
def clock(monkeypatch, settings):
    settings.CULTURE_LIBRARY_LOAN_DAYS = 14
    settings.CULTURE_LIBRARY_LOAN_LIMIT = 3
    settings.CULTURE_LIBRARY_RETURN_POLICY = "float"
    moment = {"now": NOW.astimezone(dt.UTC)}
    monkeypatch.setattr(timezone, "now", lambda: moment["now"])
    return moment


@pytest.fixture
def w(tree, users, clock) -> dict[str, Any]:
    """The district library (run by the district), a branch run by s1 (its manager bound to
    it), a branch run by s2, a culture centre (not a library); two readers; copies."""
    library = make_venue(operator=tree["district"], at=tree["c11"], code="LIB-D",
                         name_zh="拱墅区图书馆", kind="library", opening_hours=HOURS)  # fmt: skip
    branch = make_venue(operator=tree["s1"], at=tree["c11"], code="LIB-IN",
                        name_zh="湖墅分馆", kind="branch_library", opening_hours=HOURS)  # fmt: skip
    other = make_venue(operator=tree["s2"], at=tree["c21"], code="LIB-OUT",
                       name_zh="武林分馆", kind="branch_library", opening_hours=HOURS)  # fmt: skip
    centre = make_venue(operator=tree["s1"], at=tree["c11"], code="CC-1",
                        name_zh="湖墅文化站", kind="culture_centre", opening_hours=HOURS)  # fmt: skip
    manager = staff_user(Role.VENUE_MANAGER, None, display_name="湖墅分馆管理员")
    venue_manager_bind(actor=None, user=manager, venue=branch)
    other_staff = staff_user(Role.SUBDISTRICT_OFFICER, tree["s2"], display_name="武林街道")
    people = {}
    for key, name, phone, number in (
        ("wang", "王建国", WANG_PHONE, WANG_ID),
        ("li", "李秀英", LI_PHONE, LI_ID),
    ):
        resident_register(actor=None, name=name, phone=phone, password=PASSWORD,
                          id_number=number, community=tree["c11"])  # fmt: skip
        people[key] = reader_for_card(card=number)
    santi = make_title(title="三体")
    return {
        "tree": tree, "users": users, "library": library, "branch": branch, "other": other,
        "centre": centre, "manager": manager, "other_staff": other_staff, **people,
        "santi": santi,
        "c1": make_copy(title=santi, branch=branch, barcode="B0001"),
        "c2": make_copy(title=santi, branch=branch, barcode="B0002"),
        "far": make_copy(title=santi, branch=other, barcode="B0900"),
    }  # fmt: skip


def as_(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def url(name: str, *args: Any) -> str:
    return reverse(f"library:{name}", args=args)


def text(response) -> str:
    return response.content.decode()


def lend(w, barcode: str, reader: str = "wang", *, days_ago: int = 0) -> Loan:
    card = WANG_ID if reader == "wang" else LI_ID
    return loan_checkout(actor=None, branch=w["branch"], card=card, barcode=barcode,
                         now=NOW.astimezone(dt.UTC) - dt.timedelta(days=days_ago))  # fmt: skip


def counts() -> tuple[int, int, int, int]:
    return (
        Loan.objects.count(),
        Loan.objects.filter(returned_at__isnull=True).count(),
        Transfer.objects.count(),
        Hold.objects.exclude(status=HoldStatus.WAITING).count(),
    )


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


# ----- the hold shelf and the overdue list --------------------------------------------------------


def test_the_hold_shelf_lists_ready_holds_with_expiry(w):
    lend(w, "B0001")
    lend(w, "B0002")
    hold_place(reader=w["li"], title=w["santi"], pickup_branch=w["branch"])
    as_(w["manager"]).post(url("desk_return", "LIB-IN"), {"scan": "B0001"})
    for user in (w["manager"], w["users"]["evaluator"]):
        response = as_(user).get(url("hold_shelf", "LIB-IN"))
        page = text(response)
        assert response.status_code == 200
        assert "B0001" in page and "李**（138****4321）" in page and "2026-12-09" in page
        assert "李秀英" not in page and LI_PHONE not in page
    assert "借还台" not in text(as_(w["users"]["evaluator"]).get(url("hold_shelf", "LIB-IN")))
    assert as_(w["other_staff"]).get(url("hold_shelf", "LIB-IN")).status_code == 403
    assert as_(w["li"].resident.user).get(url("hold_shelf", "LIB-IN")).status_code == 403
    empty = text(as_(w["users"]["district"]).get(url("hold_shelf", "LIB-D")))
    assert "预约架上没有待取的书" in empty


def test_the_overdue_list_shows_days_overdue_and_masked_readers(w):
    lend(w, "B0001", days_ago=20)  # due 2026-11-26: 6 days overdue
    lend(w, "B0002", reader="li", days_ago=3)  # not due yet
    response = as_(w["users"]["evaluator"]).get(url("overdue", "LIB-IN"))
    page = text(response)
    assert response.status_code == 200
    assert "B0001" in page and "2026-11-26" in page and "6 天" in page
    assert "王**（139****2345）" in page and "王建国" not in page and WANG_PHONE not in page
    assert "B0002" not in page
    assert 'data-testid="overdue-export"' not in page  # no exporter is registered
    assert as_(w["other_staff"]).get(url("overdue", "LIB-IN")).status_code == 403
    assert as_(w["users"]["subdistrict"]).get(url("overdue", "CC-1")).status_code == 404


def test_the_list_pages_change_nothing_on_post(w):
    before = counts()
    for name in ("hold_shelf", "overdue"):
        assert as_(w["manager"]).post(url(name, "LIB-IN")).status_code == 405
    assert counts() == before


# ----- the branches a user may work ---------------------------------------------------------------


def test_the_home_lists_the_branches_a_user_may_work_with_todays_counts(w):
    lend(w, "B0001")  # lent today at LIB-IN
    lend(w, "B0002", reader="li", days_ago=20)  # overdue
    page = text(as_(w["manager"]).get(url("manage_home")))
    assert "湖墅分馆" in page and "武林分馆" not in page and "拱墅区图书馆" not in page
    assert "今日借出 1" in page and "逾期 1" in page
    assert "湖墅文化站" not in page  # not a library
    page = text(as_(w["users"]["district"]).get(url("manage_home")))
    assert "湖墅分馆" in page and "武林分馆" in page and "拱墅区图书馆" in page
    page = text(as_(w["users"]["evaluator"]).get(url("manage_home")))
    assert "湖墅分馆" in page and "只读" in page
    assert f'href="{url("desk", "LIB-IN")}"' not in page  # no desk link for a read-only role
    assert as_(w["wang"].resident.user).get(url("manage_home")).status_code == 403
    assert "/accounts/login" in Client().get(url("manage_home"))["Location"]


def test_the_home_keeps_its_query_count_as_branches_grow(w, tree, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_(w["users"]["district"])
    with CaptureQueriesContext(connection) as few:
        client.get(url("manage_home"))
    for n in range(6):
        make_venue(operator=tree["s1"], at=tree["c11"], code=f"LIB-X{n}",
                   name_zh=f"城市书房{n}", kind="city_bookroom", opening_hours=HOURS)  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = text(client.get(url("manage_home")))
    assert "城市书房5" in page


def test_the_staff_navigation_links_to_the_library_desk(w):
    page = text(as_(w["users"]["subdistrict"]).get(reverse("booking:manage_home")))
    assert url("manage_home") in page
    page = text(as_(w["wang"].resident.user).get(reverse("booking:find")))
    assert url("manage_home") not in page


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
