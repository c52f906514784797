"""MARC files (ISO 2709, MARC21 and CNMARC, built with pymarc) through the import framework's
upload page: the ``library_marc`` importer, all or nothing, the error report by record."""

from __future__ import annotations

import pytest

from culture.library.models import Copy, Title
from culture.library.tests.test_marc import _field, cnmarc, iso, marc21
from culture.spreadsheets.models import ImportJob, ImportStatus
from culture.spreadsheets.tests.helpers import stored_import_files, upload
from culture.venues.models import VenueKind
from culture.venues.tests.factories import venue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def branches(tree):
    return (
        venue(operator=tree["s1"], kind=VenueKind.BRANCH_LIBRARY, code="LIB-S1"),
        venue(operator=tree["s1"], kind=VenueKind.CITY_BOOKROOM, code="BOOK-1"),
    )


def with_branch(record, tag, code):
    """Put the home-branch code into $a of every holdings field ``tag`` of ``record``."""
    for f in record.get_fields(tag):
        f.add_subfield("a", code, pos=0)
    return record


def last_job():
    return ImportJob.objects.order_by("-created_at").first()


def test_marc21_and_cnmarc_files_upload_titles_and_copies(users, login, branches):
    client = login(users["district"])
    lib, bookroom = branches
    m1 = with_branch(
        marc21("M1", isbn="7536692935", items=[("g0001", "I247.55/L77")]), "952", "LIB-S1"
    )
    m1.add_field(_field("852", ("a", "BOOK-1"), ("p", "G0003"), ("h", "I247.55/L77:c2")))
    data21 = iso(m1, marc21("M2"))  # M2: a record without copies
    response = upload(client, "library_marc", data21, "marc21.mrc")
    assert response.status_code == 302
    job = last_job()
    assert (job.status, job.kind, job.errors) == (ImportStatus.DONE, "marc", [])
    # rows: M1's two copies, M2's title alone
    assert job.counts == {"created": 3, "updated": 0, "unchanged": 0}
    assert set(Title.objects.values_list("source_id", "title")) == {("M1", "三体"), ("M2", "三体")}
    copies = {
        c.barcode: (c.title.source_id, c.home_branch, c.call_number) for c in Copy.objects.all()
    }
    assert copies == {
        "G0001": ("M1", lib, "I247.55/L77"),
        "G0003": ("M1", bookroom, "I247.55/L77:c2"),
    }

    # CNMARC: 905 $a is the branch code (the helper writes "GS"; here a real one)
    c1 = cnmarc("C1", isbn="978-7-5366-9401-9", items=[("G0002", "I247.55", "L77:2")])
    c1["905"]["a"] = "LIB-S1"
    response = upload(client, "library_marc", iso(c1), "cnmarc.iso")
    assert response.status_code == 302
    job = last_job()
    assert (job.status, job.counts) == (
        ImportStatus.DONE,
        {"created": 1, "updated": 0, "unchanged": 0},
    )
    title = Title.objects.get(source_id="C1")
    assert (title.title, title.isbn) == ("三体Ⅱ：黑暗森林", "9787536694019")
    assert Copy.objects.get(barcode="G0002").home_branch == lib
    assert stored_import_files() == []  # the upload is removed once the job has finished

    # the same MARC21 file again: nothing changes
    upload(client, "library_marc", data21, "marc21.mrc")
    assert last_job().counts == {"created": 0, "updated": 0, "unchanged": 3}


def test_one_bad_record_saves_nothing_and_the_report_names_record_and_field(users, login, branches):
    client = login(users["district"])
    good = with_branch(marc21("M1", items=[("G1", "")]), "952", "LIB-S1")
    bad_isbn = marc21("M2", isbn="9787536692931")
    no_branch = marc21("M3", items=[("G3", "")])  # a copy without 952 $a
    unknown = with_branch(marc21("M4", items=[("G4", "")]), "952", "NOPE")
    dup = with_branch(marc21("M5", items=[("g 1", "")]), "952", "LIB-S1")
    upload(client, "library_marc", iso(good, bad_isbn, no_branch, unknown, dup), "bad.mrc")
    job = last_job()
    assert job.status == ImportStatus.INVALID
    got = [(e["row"], e["column"], e["reason"]) for e in job.errors]
    assert got[0][:2] == (2, "ISBN（020/010 $a）")
    assert "9787536692931" in got[0][2] and "无效" in got[0][2]
    assert got[1:] == [
        (3, "所属馆（952/852/905 $a）", "记录带有馆藏，但没有指定所属馆"),
        (4, "所属馆（952/852/905 $a）", "没有编码为 NOPE 的场馆"),
        (5, "条码号（952/852 $p、905 $b）", "条码号 G1 与第 1 条记录重复"),
    ]
    assert job.marked_file  # the error report file
    assert not Title.objects.exists() and not Copy.objects.exists()
    page = client.get(f"/spreadsheets/jobs/{job.pk}/")
    assert page.status_code == 200
    assert "没有编码为 NOPE 的场馆" in page.content.decode()
    assert '<th class="num">记录</th>' in page.content.decode()  # rows are records here


def test_a_marc_file_to_a_spreadsheet_importer_is_refused(users, login):
    client = login(users["district"])
    response = upload(client, "library_titles", iso(marc21("M1")), "records.mrc")
    assert response.status_code == 422
    assert "这个导入类型不接受 MARC 文件（.mrc）" in response.content.decode()
    assert not ImportJob.objects.exists() and not Title.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (iso(marc21("M1"), marc21("M2"))[:-40], "第 2 条记录无法读取：文件在记录中间结束"),
        (b"this is not a MARC file at all, just some text\n", "第 1 条记录无法读取：记录头区"),
        (b"00026nam  2200025   4500 this is not MARC", "第 1 条记录无法读取：记录长度与内容不符"),
        (b"%PDF-1.4 something", "内容是 PDF 文件，不是 MARC 记录"),
        (b"\n\n", "文件中没有 MARC 记录"),
    ],
)
def test_truncated_or_garbage_marc_files_are_refused_clearly(users, login, content, message):
    client = login(users["district"])
    response = upload(client, "library_marc", content, "records.mrc")
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ImportJob.objects.exists() and not Title.objects.exists()


def test_only_district_wide_staff_see_and_use_the_marc_import(users, login):
    client = login(users["subdistrict"])
    response = upload(client, "library_marc", iso(marc21("M1")), "records.mrc")
    assert response.status_code == 403
    assert not Title.objects.exists()


def test_the_refusals_are_in_english_for_an_english_user(users, login):
    client = login(users["district"])
    client.cookies["django_language"] = "en"
    truncated = iso(marc21("M1"))[:-10]
    response = upload(client, "library_marc", truncated, "records.mrc")
    assert response.status_code == 422
    assert "Record 1 cannot be read: the file ends in the middle of the record" in (
        response.content.decode()
    )
    response = upload(client, "library_titles", iso(marc21("M1")), "records.mrc")
    assert "This import does not take MARC files (.mrc)" in response.content.decode()


def test_a_record_with_a_broken_directory_fails_the_job_with_its_number(users, login):
    client = login(users["district"])
    good = iso(marc21("M1"))
    broken = bytearray(iso(marc21("M2")))
    broken[24:36] = b"XXXXXXXXXXXX"  # the first directory entry: the leader still walks
    response = upload(client, "library_marc", good + bytes(broken), "records.mrc")
    assert response.status_code == 302
    job = last_job()
    assert job.status == ImportStatus.FAILED
    assert job.message.startswith("第 2 条记录无法读取")
    assert not Title.objects.exists()
