"""The overdue loans export (library_overdue): its rows, masked readers, the branches each viewer
may see, and the overdue page's link to it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from culture.library.services import loan_checkout
from culture.library.tests.staff_pages.world import (
    LI_ID,
    LI_PHONE,
    NOW,
    WANG_PHONE,
    as_,
    lend,
    text,
    url,
)

pytestmark = pytest.mark.django_db
HEADER = ["题名", "条码号", "借出馆", "读者", "手机号", "应还日期", "逾期天数"]
AT_IN = ["三体", "B0001", "湖墅分馆", "王**", "139****2345", "2026-11-26", "6"]


def rows(user, query="format=csv"):
    response = as_(user).get(f"/spreadsheets/export/library_overdue/?{query}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    got = list(csv.reader(io.StringIO(body)))
    assert got[0] == HEADER
    return got[1:]


@pytest.fixture
def loans(w):
    lend(w, "B0001", days_ago=20)  # due 2026-11-26: 6 days overdue
    lend(w, "B0002", reader="li", days_ago=3)  # not due yet
    loan_checkout(actor=None, branch=w["other"], card=LI_ID, barcode="B0900",
                  now=NOW.astimezone(dt.UTC) - dt.timedelta(days=20))  # fmt: skip
    return w


def test_rows_are_the_overdue_loans_of_the_branches_the_viewer_may_see(loans):
    w = loans
    at_out = ["三体", "B0900", "武林分馆", "李**", "138****4321", "2026-11-26", "6"]
    assert rows(w["users"]["district"]) == [AT_IN, at_out]
    assert rows(w["users"]["evaluator"]) == [AT_IN, at_out]
    assert rows(w["manager"]) == [AT_IN]  # the manager of LIB-IN
    assert rows(w["other_staff"]) == [at_out]  # subdistrict s2 runs LIB-OUT
    assert rows(w["users"]["district"], "format=csv&branch=LIB-IN") == [AT_IN]
    assert rows(w["other_staff"], "format=csv&branch=LIB-IN") == []  # not theirs: nothing
    body = str(rows(w["users"]["district"]))
    for secret in ("王建国", "李秀英", WANG_PHONE, LI_PHONE):
        assert secret not in body


def test_the_overdue_page_links_to_the_export_of_its_branch(loans):
    w = loans
    page = text(as_(w["manager"]).get(url("overdue", "LIB-IN")))
    assert 'data-testid="overdue-export"' in page
    assert "/spreadsheets/export/library_overdue/?branch=LIB-IN" in page
    response = as_(w["manager"]).get("/spreadsheets/export/library_overdue/?branch=LIB-IN")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert as_(w["li"].resident.user).get(
        "/spreadsheets/export/library_overdue/?format=csv"
    ).status_code in (302, 403)
