"""The residents' library pages with real requests, finding and borrowing: search (public), a
title's holdings and the one-step borrow form (pickup branches nearest first, home delivery),
borrowing (sign-in first, staff refused), every refusal shown with nothing changed, the reason
shown instead of the form to a reader at the limit or suspended, a second submit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from culture.library.models import (
    Copy,
    CopyStatus,
    DeliveryOrder,
    ItemType,
)
from culture.library.services import (
    loan_checkout,
    loan_return,
    loan_rule_set,
)
from culture.library.tests.resident_pages.world import (
    IDS,
    as_reader,
    page_text,
    state,
)

pytestmark = [pytest.mark.django_db]


# ----- search and a title, for anybody ------------------------------------------------------
def test_search_is_public_and_shows_free_copies(client, lib):
    response = client.get(reverse("library:search"), {"q": "三体"})
    assert response.status_code == 200
    text = page_text(response)
    assert "三体Ⅱ：黑暗森林" in text and "红楼梦" not in text
    assert "在架 2 本" in text  # 三体Ⅱ: one at each branch
    assert "在架 1 本" in text
    assert reverse("library:title", args=[lib["one"].pk]) in text
    empty = page_text(client.get(reverse("library:search")))
    assert "不用登录也能查书" in empty and 'data-testid="title-card"' not in empty


def test_search_filters_by_branch_and_free_copies(client, lib):
    url = reverse("library:search")
    at_near = page_text(client.get(url, {"q": "三体", "branch": "LNEAR"}))
    assert "三体Ⅱ：黑暗森林" in at_near and ">三体<" not in at_near
    Copy.objects.filter(barcode="B-1-FAR").update(status=CopyStatus.ON_LOAN)
    free = page_text(client.get(url, {"q": "三体", "available": "1"}))
    assert "三体Ⅱ：黑暗森林" in free and ">三体<" not in free
    every = page_text(client.get(url, {"q": "三体"}))
    assert "全部借出 · 可预约" in every
    nothing = page_text(client.get(url, {"q": "不存在的书名"}))
    assert 'data-testid="no-results"' in nothing


def test_title_page_for_a_visitor_lists_holdings_and_sends_borrowing_to_sign_in(client, lib):
    page = reverse("library:title", args=[lib["two"].pk])
    response = client.get(page)
    assert response.status_code == 200
    text = page_text(response)
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
    text = page_text(response)
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
    off = page_text(client.get(reverse("library:title", args=[lib["one"].pk])))
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
    text = page_text(response)
    assert "借阅成功" in text and "湖墅分馆" in text
    assert "三体" in text and "已下单" in text
    # the title now says it is borrowed instead of offering the form again
    again = page_text(client.get(reverse("library:title", args=[lib["one"].pk])))
    assert "您已借阅这本书" in again and 'data-testid="borrow-form"' not in again


def test_borrow_home_delivery_with_an_address(client, lib, resident):
    client.force_login(resident.user)
    url = reverse("library:title_borrow", args=[lib["two"].pk])
    response = client.post(url, {"where": "home", "address": " 湖墅南路 1 号  3 幢 "}, follow=True)
    order = DeliveryOrder.objects.get()
    assert order.to_home and order.address == "湖墅南路 1 号 3 幢" and order.pickup_branch is None
    assert "送到 湖墅南路 1 号 3 幢" in page_text(response)


def test_borrowing_signed_out_goes_to_sign_in_and_back_to_the_title(client, lib):
    before = state()
    url = reverse("library:title_borrow", args=[lib["one"].pk])
    response = client.post(url, {"where": "LNEAR"})
    page = reverse("library:title", args=[lib["one"].pk])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert page.replace("/", "%2F") in response["Location"] or page in response["Location"]
    assert state() == before


def test_a_staff_account_cannot_borrow(client, lib, users):
    client.force_login(users["community"])
    before = state()
    response = client.post(reverse("library:title_borrow", args=[lib["one"].pk]),
                           {"where": "LNEAR"})  # fmt: skip
    assert response.status_code == 403
    assert "借阅需要居民账号" in page_text(response)
    assert state() == before
    assert "借书需要居民账号" in page_text(client.get(reverse("library:mine")))


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
    reader = as_reader(resident)
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
    before = state()
    response = client.post(reverse("library:title_borrow", args=[title.pk]), data, follow=True)
    assert response.redirect_chain[-1][0].split("?")[0] == reverse("library:title", args=[title.pk])
    assert message in page_text(response)
    assert state() == before
    if setup == "none_free":  # the page now offers the queue instead
        assert 'data-testid="hold-form"' in page_text(response)
    if data.get("where") == "home" and setup is None:  # the choice is kept for the retry
        assert response.context["default_pickup"] == "home"


def test_a_reader_at_the_limit_is_told_so_on_the_title_instead_of_the_form(client, lib, resident):
    loan_rule_set(actor=None, reader_category="adult", item_type="book", loan_limit=1,
                  loan_days=30, renewals=1, hold_expiry_days=7)  # fmt: skip
    loan_checkout(actor=None, branch=lib["near"], card=IDS[0], barcode="B-3-NEAR")
    client.force_login(resident.user)
    page = page_text(client.get(reverse("library:title", args=[lib["one"].pk])))
    assert "该读者已借 1 册，达到可借上限 1 册" in page
    assert 'data-testid="why-not"' in page and 'data-testid="borrow-form"' not in page
    Copy.objects.filter(title=lib["one"]).update(status=CopyStatus.ON_LOAN)
    queue = page_text(client.get(reverse("library:title", args=[lib["one"].pk])))
    assert 'data-testid="hold-form"' in queue and "达到可借上限" not in queue  # may still queue
    loan_return(actor=None, branch=lib["near"], barcode="B-3-NEAR")
    Copy.objects.filter(title=lib["one"]).update(status=CopyStatus.AVAILABLE)
    free = page_text(client.get(reverse("library:title", args=[lib["one"].pk])))
    assert 'data-testid="borrow-form"' in free and "达到可借上限" not in free


def test_a_suspended_reader_is_told_until_when_instead_of_borrow_and_hold_forms(
    client, lib, resident
):
    reader = as_reader(resident)
    reader.blocked_until = timezone.localdate() + timedelta(days=5)
    reader.save(update_fields=["blocked_until"])
    client.force_login(resident.user)
    until = f"暂停借阅至 {reader.blocked_until.isoformat()}"
    page = page_text(client.get(reverse("library:title", args=[lib["one"].pk])))
    assert until in page and 'data-testid="borrow-form"' not in page
    Copy.objects.filter(title=lib["one"]).update(status=CopyStatus.ON_LOAN)
    queue = page_text(client.get(reverse("library:title", args=[lib["one"].pk])))
    assert until in queue and 'data-testid="hold-form"' not in queue
    reader.blocked_until = timezone.localdate() - timedelta(days=1)  # ended yesterday
    reader.save(update_fields=["blocked_until"])
    again = page_text(client.get(reverse("library:title", args=[lib["one"].pk])))
    assert 'data-testid="hold-form"' in again and "暂停借阅" not in again


def test_submitting_the_same_borrow_again_says_the_order_is_in_progress(client, lib, resident):
    client.force_login(resident.user)
    url = reverse("library:title_borrow", args=[lib["two"].pk])
    first = page_text(client.post(url, {"where": "LNEAR"}, follow=True))
    assert "借阅成功" in first
    before = state()
    again = client.post(url, {"where": "LFAR"}, follow=True)  # a double tap, another choice
    assert again.redirect_chain[-1][0] == reverse("library:mine")
    text = page_text(again)
    assert "您已借阅此书，借阅单进行中" in text and "借阅成功" not in text
    assert state() == before
    assert DeliveryOrder.objects.get().pickup_branch.code == "LNEAR"


def test_many_pickup_places_show_the_nearest_few_and_the_rest_in_a_list(client, lib, resident):
    """The demo has dozens of bookrooms: the form showed every one as a big choice (a page 9,500
    px tall on a phone). The nearest four stay big choices, the others are one list."""
    from culture.venues.models import VenueKind
    from culture.venues.tests.factories import venue as make_venue

    for n in range(6):
        make_venue(operator=lib["tree"]["s2"], at=lib["tree"]["c21"], code=f"BR{n}",
                   kind=VenueKind.CITY_BOOKROOM, name_zh=f"城市书房{n}")  # fmt: skip
    client.force_login(resident.user)
    page = client.get(reverse("library:title", args=[lib["two"].pk]))
    text = page_text(page)
    assert text.count('data-testid="pickup-choice"') == 4
    listed = text.split('data-testid="other-pickup"')[1].split("</select>")[0]
    assert listed.count("<option") == 8 - 4  # 2 branches + 6 bookrooms, 4 shown above
    last = page.context["other_choices"][-1]["branch"].venue.code
    response = client.post(reverse("library:title_borrow", args=[lib["two"].pk]),
                           {"where": "other", "other": last}, follow=True)  # fmt: skip
    assert response.redirect_chain[-1][0] == reverse("library:mine")
    assert DeliveryOrder.objects.get().pickup_branch.code == last
