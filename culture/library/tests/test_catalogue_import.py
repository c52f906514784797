"""Catalogue and copies import through the spreadsheets framework, with real xlsx/csv files."""

from __future__ import annotations

import pytest

from culture.library.models import Copy, CopyStatus, Title, TitleGram
from culture.library.search import catalogue_search
from culture.spreadsheets.models import ImportJob
from culture.spreadsheets.tests.helpers import csv_text, upload, xlsx_bytes
from culture.venues.models import VenueKind
from culture.venues.tests.factories import venue

TITLE_HEADERS = ["记录号", "ISBN", "题名", "责任者", "出版者", "出版年", "中图分类号", "主题词"]
COPY_HEADERS = ["条码号", "记录号", "所属馆", "文献类型", "索书号", "入藏日期"]
TITLES = [
    ["R1", "7-5366-9293-5", "三体", "刘慈欣", "重庆出版社", 2008, "I247.55", "科幻小说"],
    ["R2", "", "三体Ⅱ：黑暗森林", "刘慈欣", "重庆出版社", 2008, "I247.55", "科幻小说"],
    ["R3", "978-0-7475-3269-9", "Harry Potter", "J. K. Rowling", "Bloomsbury", 1997, "I561.84", ""],
]  # fmt: skip


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(client, name, headers, rows, filename="file.xlsx", encoding=None) -> ImportJob:
    content = csv_text(headers, rows).encode(encoding) if encoding else xlsx_bytes(headers, rows)
    upload(client, name, content, filename)
    return ImportJob.objects.order_by("-created_at").first()


def reasons(job):
    return {e["row"]: (e["column"], e["reason"]) for e in job.errors}


def _titles(query):
    return [h.title.title for h in catalogue_search(query=query)]


def test_titles_import_index_and_reimport(users, login):
    client = login(users["district"])
    job = run(client, "library_titles", TITLE_HEADERS, TITLES)
    assert job.errors == []
    assert job.counts == {"created": 3, "updated": 0, "unchanged": 0}
    t = Title.objects.get(source_id="R1")
    assert (t.isbn, t.title, t.author, t.pub_year, t.clc) == (
        "9787536692930", "三体", "刘慈欣", 2008, "I247.55",
    )  # fmt: skip
    assert Title.objects.get(source_id="R3").isbn == "9780747532699"
    assert _titles("三体2") == ["三体Ⅱ：黑暗森林", "三体"]
    assert _titles("potter") == ["Harry Potter"]

    job = run(client, "library_titles", TITLE_HEADERS, TITLES)
    assert job.counts == {"created": 0, "updated": 0, "unchanged": 3}
    assert Title.objects.count() == 3

    changed = [row[:] for row in TITLES]
    changed[2][2] = "Harry Potter and the Chamber of Secrets"
    changed[0][3] = ""  # an empty optional cell keeps the stored author
    job = run(client, "library_titles", TITLE_HEADERS, changed)
    assert job.counts == {"created": 0, "updated": 1, "unchanged": 2}
    assert Title.objects.get(source_id="R1").author == "刘慈欣"
    assert _titles("chamber") == ["Harry Potter and the Chamber of Secrets"]


def test_bad_title_rows_name_row_column_and_reason_and_nothing_is_saved(users, login):
    client = login(users["district"])
    rows = [
        ["R1", "9787536692930", "三体", "刘慈欣", "", 2008, "", ""],
        ["R2", "9787536692931", "三体Ⅱ：黑暗森林", "刘慈欣", "", 2008, "", ""],
        ["R3", "", "", "无名", "", 2001, "", ""],
        ["R4", "", "年份不对", "", "", 20080, "", ""],
        ["R1", "", "重复记录号", "", "", "", "", ""],
    ]
    job = run(client, "library_titles", TITLE_HEADERS, rows)
    got = reasons(job)
    assert got[3][0] == "ISBN" and "9787536692931" in got[3][1] and "无效" in got[3][1]
    assert got[4][0] == "题名"
    assert got[5] == ("出版年", "出版年应为四位年份")
    assert got[6][0] == "记录号"
    assert 2 not in got
    assert not Title.objects.exists() and not TitleGram.objects.exists()


def test_only_district_wide_staff_import_the_shared_catalogue(users, login):
    client = login(users["subdistrict"])
    response = upload(client, "library_titles", xlsx_bytes(TITLE_HEADERS, TITLES), "t.xlsx")
    assert response.status_code == 403
    assert not Title.objects.exists()


@pytest.fixture
def branches(tree):
    return {
        "s1": venue(operator=tree["s1"], kind=VenueKind.BRANCH_LIBRARY, code="LIB-S1"),
        "s2": venue(operator=tree["s2"], kind=VenueKind.CITY_BOOKROOM, code="LIB-S2"),
        "station": venue(operator=tree["s1"], kind=VenueKind.CULTURE_STATION, code="ST-S1"),
    }


def test_copies_import_from_gbk_csv_and_reimport(users, login, branches):
    run(login(users["district"]), "library_titles", TITLE_HEADERS, TITLES)
    client = login(users["subdistrict"])
    rows = [
        ["a 0001", "R1", "LIB-S1", "图书", "I247.55/L77", "2024-03-01"],
        ["A0002", "R1", "LIB-S1", "", "", ""],
        ["A0003", "R2", "LIB-S1", "少儿图书", "I247.55/L77:2", "2024/3/2"],
    ]
    job = run(client, "library_copies", COPY_HEADERS, rows, "copies.csv", encoding="gbk")
    assert job.errors == []
    assert job.counts == {"created": 3, "updated": 0, "unchanged": 0}
    c = Copy.objects.get(barcode="A0001")
    assert (c.title.source_id, c.home_branch, c.current_branch, c.status) == (
        "R1", branches["s1"], branches["s1"], CopyStatus.AVAILABLE,
    )  # fmt: skip
    assert (c.item_type, c.call_number, str(c.acquired_on)) == ("book", "I247.55/L77", "2024-03-01")
    assert Copy.objects.get(barcode="A0003").item_type == "children"
    hit = catalogue_search(query="三体")[0]
    assert (hit.title.title, hit.copies, hit.free) == ("三体", 2, 2)

    job = run(client, "library_copies", COPY_HEADERS, rows, "copies.csv", encoding="gbk")
    assert job.counts == {"created": 0, "updated": 0, "unchanged": 3}
    rows[0][4] = ""  # kept
    rows[1][4] = "I247.55/L77-2"
    job = run(client, "library_copies", COPY_HEADERS, rows, "copies.csv", encoding="gbk")
    assert job.counts == {"created": 0, "updated": 1, "unchanged": 2}
    assert Copy.objects.get(barcode="A0001").call_number == "I247.55/L77"
    assert Copy.objects.get(barcode="A0002").call_number == "I247.55/L77-2"
    assert Copy.objects.count() == 3


def test_bad_copy_rows_and_nothing_is_saved(users, login, branches):
    run(login(users["district"]), "library_titles", TITLE_HEADERS, TITLES)
    client = login(users["subdistrict"])
    rows = [
        ["B0001", "R1", "LIB-S1", "图书", "", ""],
        ["B0002", "R9", "LIB-S1", "图书", "", ""],
        ["B0003", "R1", "LIB-S2", "图书", "", ""],
        ["B0004", "R1", "ST-S1", "图书", "", ""],
        ["B0005", "R1", "NOPE", "图书", "", ""],
        ["B0006", "R1", "LIB-S1", "杂志", "", ""],
        ["B0007", "R1", "LIB-S1", "图书", "", "2024-13-01"],
        ["b 0001", "R2", "LIB-S1", "", "", ""],
    ]
    job = run(client, "library_copies", COPY_HEADERS, rows)
    got = reasons(job)
    assert got[3] == ("记录号", "没有记录号为 R9 的书目（请先导入书目）")
    assert got[4] == ("所属馆", "不在您的管辖范围内")
    assert got[5][0] == "所属馆" and "不是图书馆" in got[5][1]
    assert got[6] == ("所属馆", "没有编码为 NOPE 的场馆")
    assert got[7][0] == "文献类型"
    assert got[8][0] == "入藏日期"
    assert got[9][0] == "条码号"  # B0001 again, written differently
    assert 2 not in got
    assert not Copy.objects.exists()
