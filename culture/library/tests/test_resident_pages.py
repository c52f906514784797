"""The residents' library pages with real requests: search (public), a title's holdings and the
one-step borrow form (pickup branches nearest first, home delivery), borrowing (sign-in first,
staff refused), every refusal shown on the page with nothing changed, the hold form when no copy
is free, my loans (renew), orders and holds (cancel with a confirm step), the history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from culture.accounts.services import resident_register
from culture.library.models import (
    Copy,
    CopyStatus,
    DeliveryOrder,
    DeliveryStatus,
    Hold,
    HoldStatus,
    ItemType,
    Loan,
    Reader,
)
from culture.library.services import (
    delivery_advance,
    delivery_place,
    hold_place,
    loan_checkout,
    loan_return,
    loan_rule_set,
    reader_for_resident,
    title_upsert,
)
from culture.venues.models import VenueKind
from culture.venues.tests.factories import venue as make_venue

PASSWORD = "a-long-resident-password-7"
IDS = ["330105199001011233", "330105198503171232", "330105197211084562"]

pytestmark = [pytest.mark.django_db]


def _resident(community, n: int = 1):
    return resident_register(
        actor=None,
        name=f"读者{n}",
        phone=f"1395711{n:04d}",
        password=PASSWORD,
        id_number=IDS[n - 1],
        community=community,
    )


def _book(title: str, source_id: str, **fields):
    return title_upsert(actor=None, source_id=source_id, title=title, **fields)[0]


def _copy(title, branch, barcode, **fields):
    return Copy.objects.create(
        title=title, barcode=barcode, home_branch=branch, current_branch=branch, **fields
    )


@pytest.fixture
def lib(tree):
    """Two branches: one in the resident's community c11 ("near"), one in c21 ("far"); 三体 has
    a copy on the shelf at the far branch only, 三体Ⅱ one at each."""
    near = make_venue(operator=tree["s1"], at=tree["c11"], kind=VenueKind.BRANCH_LIBRARY,
                      code="LNEAR", name_zh="湖墅分馆", address="湖墅南路 8 号")  # fmt: skip
    far = make_venue(operator=tree["s2"], at=tree["c21"], kind=VenueKind.BRANCH_LIBRARY,
                     code="LFAR", name_zh="武林分馆")  # fmt: skip
    make_venue(operator=tree["s1"], at=tree["c11"], kind=VenueKind.CULTURE_STATION,
               code="NOTLIB", name_zh="湖墅文化站")  # fmt: skip
    one = _book("三体", "T-1", author="刘慈欣", publisher="重庆出版社", pub_year=2008)
    two = _book("三体Ⅱ：黑暗森林", "T-2", author="刘慈欣")
    other = _book("红楼梦", "T-3", author="曹雪芹")
    _copy(one, far, "B-1-FAR")
    _copy(two, far, "B-2-FAR")
    _copy(two, near, "B-2-NEAR")
    _copy(other, near, "B-3-NEAR")
    return {"near": near, "far": far, "one": one, "two": two, "other": other, "tree": tree}


@pytest.fixture
def resident(lib):
    return _resident(lib["tree"]["c11"], 1)


@pytest.fixture
def other(lib):
    return _resident(lib["tree"]["c11"], 2)


def _reader(resident) -> Reader:
    return reader_for_resident(resident=resident)


def _state():
    """What a refused request must leave unchanged."""
    return (
        sorted(DeliveryOrder.objects.values_list("pk", "status")),
        sorted(Hold.objects.values_list("pk", "status", "position")),
        sorted(Copy.objects.values_list("barcode", "status")),
        sorted(Loan.objects.values_list("pk", "due_on", "renewals_used", "returned_at")),
        sorted(Reader.objects.values_list("pk", "open_loans")),
    )


def _text(response) -> str:
    return response.content.decode()


# ----- search and a title, for anybody ------------------------------------------------------
def test_search_is_public_and_shows_free_copies(client, lib):
    response = client.get(reverse("library:search"), {"q": "三体"})
    assert response.status_code == 200
    text = _text(response)
    assert "三体Ⅱ：黑暗森林" in text and "红楼梦" not in text
    assert "在架 2 本" in text  # 三体Ⅱ: one at each branch
    assert "在架 1 本" in text
    assert reverse("library:title", args=[lib["one"].pk]) in text
    empty = _text(client.get(reverse("library:search")))
    assert "不用登录也能查书" in empty and 'data-testid="title-card"' not in empty


def test_search_filters_by_branch_and_free_copies(client, lib):
    url = reverse("library:search")
    at_near = _text(client.get(url, {"q": "三体", "branch": "LNEAR"}))
    assert "三体Ⅱ：黑暗森林" in at_near and ">三体<" not in at_near
    Copy.objects.filter(barcode="B-1-FAR").update(status=CopyStatus.ON_LOAN)
    free = _text(client.get(url, {"q": "三体", "available": "1"}))
    assert "三体Ⅱ：黑暗森林" in free and ">三体<" not in free
    every = _text(client.get(url, {"q": "三体"}))
    assert "全部借出 · 可预约" in every
    nothing = _text(client.get(url, {"q": "不存在的书名"}))
    assert 'data-testid="no-results"' in nothing


def test_title_page_for_a_visitor_lists_holdings_and_sends_borrowing_to_sign_in(client, lib):
    page = reverse("library:title", args=[lib["two"].pk])
    response = client.get(page)
    assert response.status_code == 200
    text = _text(response)
    assert "湖墅分馆" in text and "武林分馆" in text and "湖墅文化站" not in text
    assert "登录后借阅" in text
    Copy.objects.filter(barcode="B-2-FAR").update(status=CopyStatus.ON_LOAN)
    rows = client.get(page).context["holdings"]  # no home: the one with a copy on the shelf first
    assert [h.branch.venue.code for h in rows] == ["LNEAR", "LFAR"]
    assert f"/accounts/login/?next={page}" in text.replace("%2F", "/")
    assert 'data-testid="borrow-form"' not in text
    assert client.get(reverse("library:title", args=[987654321])).status_code == 404


def test_borrow_form_offers_the_nearest_branch_with_a_free_copy_first_then_home(
    client, lib, resident, settings
):
    client.force_login(resident.user)
    response = client.get(reverse("library:title", args=[lib["one"].pk]))
    text = _text(response)
    choices = response.context["choices"]
    # 三体 stands only at the far branch: it comes first and is chosen, the near one after
    assert [c["branch"].venue.code for c in choices] == ["LFAR", "LNEAR"]
    assert response.context["default_pickup"] == "LFAR"
    assert choices[1]["branch"].distance_m < choices[0]["branch"].distance_m
    assert "从别的馆调来" in text and "本馆有书" in text and "公里" in text
    assert 'value="home"' in text
    two = client.get(reverse("library:title", args=[lib["two"].pk])).context
    assert two["default_pickup"] == "LNEAR"  # a free copy in the resident's own community
    settings.CULTURE_LIBRARY_HOME_DELIVERY = False
    off = _text(client.get(reverse("library:title", args=[lib["one"].pk])))
    assert 'value="home"' not in off


# ----- borrowing ----------------------------------------------------------------------------
def test_borrow_for_pickup_places_the_order_and_it_shows_in_mine(client, lib, resident):
    client.force_login(resident.user)
    url = reverse("library:title_borrow", args=[lib["one"].pk])
    response = client.post(url, {"where": "LNEAR"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("library:mine")
    order = DeliveryOrder.objects.get()
    assert (order.status, order.pickup_branch.code, order.from_branch.code) == (
        "placed", "LNEAR", "LFAR")  # fmt: skip
    assert Copy.objects.get(barcode="B-1-FAR").status == CopyStatus.RESERVED
    text = _text(response)
    assert "借阅成功" in text and "湖墅分馆" in text
    assert "三体" in text and "已下单" in text
    # the title now says it is borrowed instead of offering the form again
    again = _text(client.get(reverse("library:title", args=[lib["one"].pk])))
    assert "您已借阅这本书" in again and 'data-testid="borrow-form"' not in again


def test_borrow_home_delivery_with_an_address(client, lib, resident):
    client.force_login(resident.user)
    url = reverse("library:title_borrow", args=[lib["two"].pk])
    response = client.post(url, {"where": "home", "address": " 湖墅南路 1 号  3 幢 "}, follow=True)
    order = DeliveryOrder.objects.get()
    assert order.to_home and order.address == "湖墅南路 1 号 3 幢" and order.pickup_branch is None
    assert "送到 湖墅南路 1 号 3 幢" in _text(response)


def test_borrowing_signed_out_goes_to_sign_in_and_back_to_the_title(client, lib):
    before = _state()
    url = reverse("library:title_borrow", args=[lib["one"].pk])
    response = client.post(url, {"where": "LNEAR"})
    page = reverse("library:title", args=[lib["one"].pk])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert page.replace("/", "%2F") in response["Location"] or page in response["Location"]
    assert _state() == before


def test_a_staff_account_cannot_borrow(client, lib, users):
    client.force_login(users["community"])
    before = _state()
    response = client.post(reverse("library:title_borrow", args=[lib["one"].pk]),
                           {"where": "LNEAR"})  # fmt: skip
    assert response.status_code == 403
    assert "借阅需要居民账号" in _text(response)
    assert _state() == before
    assert "借书需要居民账号" in _text(client.get(reverse("library:mine")))


@pytest.mark.parametrize(
    "setup,data,message",
    [
        ("limit", {"where": "LNEAR"}, "达到可借上限 1 册"),
        ("suspended", {"where": "LNEAR"}, "暂停借阅至"),
        (None, {"where": "home", "address": "  "}, "送书到家需要填写收件地址"),
        ("home_off", {"where": "home", "address": "湖墅南路 1 号"}, "暂未开通送书到家"),
        (None, {"where": "NOTLIB"}, "请选择取书的图书馆或分馆"),
        (None, {}, "请选择取书的图书馆或分馆"),
        ("none_free", {"where": "LNEAR"}, "各馆都没有在架的可借馆藏，可以预约排队"),
        ("reference", {"where": "LNEAR"}, "没有可外借的馆藏"),
    ],
)
def test_borrow_refusals_are_shown_on_the_title_and_change_nothing(
    client, lib, resident, settings, setup, data, message
):
    title = lib["one"]
    reader = _reader(resident)
    if setup == "limit":
        loan_rule_set(actor=None, reader_category="adult", item_type="book", loan_limit=1,
                      loan_days=30, renewals=1, hold_expiry_days=7)  # fmt: skip
        loan_checkout(actor=None, branch=lib["near"], card=IDS[0], barcode="B-3-NEAR")
    elif setup == "suspended":
        reader.blocked_until = timezone.localdate() + timedelta(days=5)
        reader.save(update_fields=["blocked_until"])
    elif setup == "home_off":
        settings.CULTURE_LIBRARY_HOME_DELIVERY = False
    elif setup == "none_free":
        Copy.objects.filter(title=title).update(status=CopyStatus.ON_LOAN)
    elif setup == "reference":
        Copy.objects.filter(title=title).update(item_type=ItemType.REFERENCE)
    client.force_login(resident.user)
    before = _state()
    response = client.post(reverse("library:title_borrow", args=[title.pk]), data, follow=True)
    assert response.redirect_chain[-1][0].split("?")[0] == reverse("library:title", args=[title.pk])
    assert message in _text(response)
    assert _state() == before
    if setup == "none_free":  # the page now offers the queue instead
        assert 'data-testid="hold-form"' in _text(response)
    if data.get("where") == "home" and setup is None:  # the choice is kept for the retry
        assert response.context["default_pickup"] == "home"


def test_a_reader_at_the_limit_is_told_so_on_the_title_instead_of_the_form(client, lib, resident):
    loan_rule_set(actor=None, reader_category="adult", item_type="book", loan_limit=1,
                  loan_days=30, renewals=1, hold_expiry_days=7)  # fmt: skip
    loan_checkout(actor=None, branch=lib["near"], card=IDS[0], barcode="B-3-NEAR")
    client.force_login(resident.user)
    page = _text(client.get(reverse("library:title", args=[lib["one"].pk])))
    assert "该读者已借 1 册，达到可借上限 1 册" in page
    assert 'data-testid="why-not"' in page and 'data-testid="borrow-form"' not in page
    Copy.objects.filter(title=lib["one"]).update(status=CopyStatus.ON_LOAN)
    queue = _text(client.get(reverse("library:title", args=[lib["one"].pk])))
    assert 'data-testid="hold-form"' in queue and "达到可借上限" not in queue  # may still queue
    loan_return(actor=None, branch=lib["near"], barcode="B-3-NEAR")
    Copy.objects.filter(title=lib["one"]).update(status=CopyStatus.AVAILABLE)
    free = _text(client.get(reverse("library:title", args=[lib["one"].pk])))
    assert 'data-testid="borrow-form"' in free and "达到可借上限" not in free


def test_a_suspended_reader_is_told_until_when_instead_of_borrow_and_hold_forms(
    client, lib, resident
):
    reader = _reader(resident)
    reader.blocked_until = timezone.localdate() + timedelta(days=5)
    reader.save(update_fields=["blocked_until"])
    client.force_login(resident.user)
    until = f"暂停借阅至 {reader.blocked_until.isoformat()}"
    page = _text(client.get(reverse("library:title", args=[lib["one"].pk])))
    assert until in page and 'data-testid="borrow-form"' not in page
    Copy.objects.filter(title=lib["one"]).update(status=CopyStatus.ON_LOAN)
    queue = _text(client.get(reverse("library:title", args=[lib["one"].pk])))
    assert until in queue and 'data-testid="hold-form"' not in queue
    reader.blocked_until = timezone.localdate() - timedelta(days=1)  # ended yesterday
    reader.save(update_fields=["blocked_until"])
    again = _text(client.get(reverse("library:title", args=[lib["one"].pk])))
    assert 'data-testid="hold-form"' in again and "暂停借阅" not in again


def test_submitting_the_same_borrow_again_says_the_order_is_in_progress(client, lib, resident):
    client.force_login(resident.user)
    url = reverse("library:title_borrow", args=[lib["two"].pk])
    first = _text(client.post(url, {"where": "LNEAR"}, follow=True))
    assert "借阅成功" in first
    before = _state()
    again = client.post(url, {"where": "LFAR"}, follow=True)  # a double tap, another choice
    assert again.redirect_chain[-1][0] == reverse("library:mine")
    text = _text(again)
    assert "您已借阅此书，借阅单进行中" in text and "借阅成功" not in text
    assert _state() == before
    assert DeliveryOrder.objects.get().pickup_branch.code == "LNEAR"


# ----- holds ---------------------------------------------------------------------------------
def test_no_free_copy_offers_the_queue_with_its_length_and_joins_it(client, lib, resident, other):
    title = lib["one"]
    Copy.objects.filter(title=title).update(status=CopyStatus.ON_LOAN)
    hold_place(reader=_reader(other), title=title, pickup_branch=lib["far"])
    client.force_login(resident.user)
    page = _text(client.get(reverse("library:title", args=[title.pk])))
    assert "前面有 1 人" in page and 'data-testid="borrow-form"' not in page
    response = client.post(reverse("library:title_hold", args=[title.pk]), {"pickup": "LNEAR"},
                           follow=True)  # fmt: skip
    hold = Hold.objects.get(reader__resident=resident)
    assert (hold.status, hold.pickup_branch.code) == (HoldStatus.WAITING, "LNEAR")
    text = _text(response)
    assert "已加入排队，您排第 2 位" in text and "排队第 2 位" in text
    before = _state()  # again: refused as a duplicate, nothing changed
    again = client.post(reverse("library:title_hold", args=[title.pk]), {"pickup": "LNEAR"},
                        follow=True)  # fmt: skip
    assert "不能重复预约" in _text(again)
    assert _state() == before


def test_hold_cancel_has_a_confirm_step(client, lib, resident, other):
    title = lib["one"]
    Copy.objects.filter(title=title).update(status=CopyStatus.ON_LOAN)
    mine = hold_place(reader=_reader(resident), title=title, pickup_branch=lib["near"])
    theirs = hold_place(reader=_reader(other), title=lib["two"], pickup_branch=lib["far"])
    client.force_login(resident.user)
    url = reverse("library:hold_cancel", args=[mine.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "确定取消这个预约吗" in _text(confirm)
    assert Hold.objects.get(pk=mine.pk).status == HoldStatus.WAITING  # GET changed nothing
    done = client.post(url, follow=True)
    assert "已取消《三体》的预约" in _text(done)
    assert Hold.objects.get(pk=mine.pk).status == HoldStatus.CANCELLED
    before = _state()
    assert client.get(reverse("library:hold_cancel", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("library:hold_cancel", args=[theirs.pk])).status_code == 404
    assert _state() == before


# ----- orders --------------------------------------------------------------------------------
def test_order_cancel_confirm_then_cancel_puts_the_copy_back(client, lib, resident):
    order = delivery_place(reader=_reader(resident), title=lib["one"], pickup_branch=lib["near"])
    client.force_login(resident.user)
    url = reverse("library:order_cancel", args=[order.pk])
    confirm = client.get(url)
    assert "确定取消这个借阅订单吗" in _text(confirm)
    assert DeliveryOrder.objects.get(pk=order.pk).status == DeliveryStatus.PLACED
    done = client.post(url, follow=True)
    assert "已取消《三体》的借阅订单" in _text(done)
    assert DeliveryOrder.objects.get(pk=order.pk).status == DeliveryStatus.CANCELLED
    assert Copy.objects.get(barcode="B-1-FAR").status == CopyStatus.AVAILABLE
    assert Reader.objects.get(resident=resident).open_loans == 0
    history = _text(client.get(reverse("library:history")))
    assert "已取消的订单" in history and "读者本人取消" in history


def test_an_order_on_its_way_cannot_be_cancelled_by_the_reader(client, lib, resident, other):
    order = delivery_place(reader=_reader(resident), title=lib["one"], pickup_branch=lib["near"])
    delivery_advance(actor=None, order=order, barcode="B-1-FAR")  # picked at the far branch
    theirs = delivery_place(reader=_reader(other), title=lib["two"], pickup_branch=lib["near"])
    client.force_login(resident.user)
    url = reverse("library:order_cancel", args=[order.pk])
    confirm = _text(client.get(url))
    assert "网上不能再取消" in confirm and 'data-testid="cancel-confirm-button"' not in confirm
    before = _state()
    response = client.post(url, follow=True)
    assert "不能自行取消" in _text(response)
    assert _state() == before
    assert client.post(reverse("library:order_cancel", args=[theirs.pk])).status_code == 404
    assert _state() == before


# ----- loans ---------------------------------------------------------------------------------
def test_mine_lists_loans_and_renewing_moves_the_due_date(client, lib, resident):
    loan = loan_checkout(actor=None, branch=lib["near"], card=IDS[0], barcode="B-3-NEAR")
    client.force_login(resident.user)
    text = _text(client.get(reverse("library:mine")))
    assert "红楼梦" in text and "已续借 0/1 次" in text and 'data-testid="renew-button"' in text
    response = client.post(reverse("library:loan_renew", args=[loan.pk]), follow=True)
    renewed = Loan.objects.get(pk=loan.pk)
    assert renewed.renewals_used == 1 and renewed.due_on > loan.due_on
    assert "续借成功" in _text(response)
    assert "续借次数已用完" in _text(response)  # the page no longer offers it


def test_renew_refused_when_someone_waits_changes_nothing(client, lib, resident, other):
    loan = loan_checkout(actor=None, branch=lib["near"], card=IDS[0], barcode="B-3-NEAR")
    hold_place(reader=_reader(other), title=lib["other"], pickup_branch=lib["near"])
    client.force_login(resident.user)
    before = _state()
    response = client.post(reverse("library:loan_renew", args=[loan.pk]), follow=True)
    assert "有其他读者在排队预约，不能续借" in _text(response)
    assert _state() == before


def test_someone_elses_loan_cannot_be_renewed(client, lib, resident, other):
    loan = loan_checkout(actor=None, branch=lib["near"], card=IDS[1], barcode="B-3-NEAR")
    client.force_login(resident.user)
    before = _state()
    assert client.post(reverse("library:loan_renew", args=[loan.pk])).status_code == 404
    assert client.get(reverse("library:loan_renew", args=[loan.pk])).status_code == 405
    assert _state() == before


def test_history_lists_returned_loans_and_signed_out_goes_to_sign_in(client, lib, resident):
    loan_checkout(actor=None, branch=lib["near"], card=IDS[0], barcode="B-3-NEAR")
    loan_return(actor=None, branch=lib["far"], barcode="B-3-NEAR")
    for name in ("library:mine", "library:history"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    client.force_login(resident.user)
    text = _text(client.get(reverse("library:history")))
    assert "红楼梦" in text and "湖墅分馆 → 武林分馆" in text
    assert "红楼梦" not in _text(client.get(reverse("library:mine")))


def test_pages_never_create_the_reader_on_a_visit(client, lib, resident):
    client.force_login(resident.user)
    for url in (reverse("library:search") + "?q=三体", reverse("library:mine"),
                reverse("library:history"), reverse("library:title", args=[lib["one"].pk])):  # fmt: skip
        assert client.get(url).status_code == 200
    assert not Reader.objects.exists()


def test_english_through_the_language_switch(client, lib):
    client.cookies.load({"django_language": "en"})
    text = _text(client.get(reverse("library:title", args=[lib["two"].pk])))
    assert "Sign in to borrow" in text


# ----- query counts stay fixed as the lists grow ---------------------------------------------
def _fill(lib, reader, other, n: int, start: int) -> None:
    """``n`` more loans, orders and holds for ``reader`` (and one hold ahead by ``other``)."""
    for i in range(start, start + n):
        returned = _book(f"还了之书{i}", f"R-{i}")
        _copy(returned, lib["near"], f"R-{i}")
        loan_checkout(actor=None, branch=lib["near"], card=IDS[0], barcode=f"R-{i}")
        loan_return(actor=None, branch=lib["far"], barcode=f"R-{i}")
        lent = _book(f"在借之书{i}", f"L-{i}")
        _copy(lent, lib["near"], f"L-{i}")
        loan_checkout(actor=None, branch=lib["near"], card=IDS[0], barcode=f"L-{i}")
        ordered = _book(f"下单之书{i}", f"O-{i}")
        _copy(ordered, lib["far"], f"O-{i}")
        delivery_place(reader=reader, title=ordered, pickup_branch=lib["near"])
        queued = _book(f"排队之书{i}", f"Q-{i}")
        _copy(queued, lib["far"], f"Q-{i}", status=CopyStatus.ON_LOAN)
        hold_place(reader=other, title=queued, pickup_branch=lib["far"])
        hold_place(reader=reader, title=queued, pickup_branch=lib["near"])


def test_mine_history_and_search_keep_their_query_count_at_n_and_2n(client, lib, resident, other):
    reader, them = _reader(resident), _reader(other)
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
    text = _text(client.get(pages[0]))
    assert text.count('data-testid="renew-button"') == 4 and text.count("排队第 2 位") == 4
    assert _text(client.get(pages[1])).count("还了之书") == 4
    assert counts() == at_n


def test_ids_beyond_what_the_database_stores_are_not_found(client, lib, resident):
    # The <id:> converter bounds ids to 1..2**63-1 (SQLite raised OverflowError on more: a 500).
    for huge in (2**63, 2**70):
        assert client.get(f"/library/t/{huge}/").status_code == 404
        client.force_login(resident.user)
        before = _state()
        for path in (f"/library/t/{huge}/borrow/", f"/library/loans/{huge}/renew/",
                     f"/library/holds/{huge}/cancel/", f"/library/orders/{huge}/cancel/"):  # fmt: skip
            assert client.post(path, {"where": "LNEAR"}).status_code == 404
        assert client.get(f"/library/orders/{huge}/cancel/").status_code == 404
        assert _state() == before
        client.logout()


def test_a_first_borrowing_refused_leaves_no_reader_record(client, lib, resident):
    Copy.objects.filter(title=lib["one"]).update(status=CopyStatus.ON_LOAN)
    client.force_login(resident.user)
    response = client.post(reverse("library:title_borrow", args=[lib["one"].pk]),
                           {"where": "LNEAR"}, follow=True)  # fmt: skip
    assert "可以预约排队" in _text(response)
    assert not Reader.objects.exists()
    client.post(reverse("library:title_borrow", args=[lib["two"].pk]), {"where": "LNEAR"})
    assert Reader.objects.filter(resident=resident).count() == 1  # made on the first order
