"""MARC import: MARC21 and CNMARC records built with pymarc, all or nothing, the command."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from pymarc import Field, Indicators, Record, Subfield

from culture.core.errors import OutOfScope, ValidationFailed
from culture.library.marc import MarcImportRefused, marc_import
from culture.library.models import Copy, Title
from culture.library.search import catalogue_search
from culture.venues.models import VenueKind
from culture.venues.tests.factories import venue

pytestmark = pytest.mark.django_db
BLANK = Indicators(" ", " ")


def _field(tag, *pairs, ind=BLANK):
    return Field(tag=tag, indicators=ind, subfields=[Subfield(c, v) for c, v in pairs])


def marc21(source_id, *, isbn="", items=(), title=("a", "三体 /")):
    r = Record(force_utf8=True)
    r.add_field(Field(tag="001", data=source_id))
    if isbn:
        r.add_field(_field("020", ("a", isbn)))
    r.add_field(
        _field("100", ("a", "刘慈欣,")),
        _field("245", title, ("c", "刘慈欣著."), ind=Indicators("1", "0")),
        _field("264", ("a", "重庆 :"), ("b", "重庆出版社,"), ("c", "2008."), ind=Indicators(" ", "1")),
        _field("093", ("a", "I247.55")),
        _field("650", ("a", "科幻小说")),
        _field("650", ("a", "长篇小说")),
    )  # fmt: skip
    for barcode, call in items:
        r.add_field(_field("952", ("p", barcode), ("o", call)))
    return r


def cnmarc(source_id, *, isbn="", items=()):
    r = Record(force_utf8=True)
    r.add_field(Field(tag="001", data=source_id))
    if isbn:
        r.add_field(_field("010", ("a", isbn), ("d", "CNY23.00")))
    r.add_field(
        _field("200", ("a", "三体"), ("h", "Ⅱ"), ("i", "黑暗森林"), ("f", "刘慈欣著"),
               ind=Indicators("1", " ")),
        _field("210", ("a", "重庆"), ("c", "重庆出版社"), ("d", "2008")),
        _field("606", ("a", "科学幻想小说")),
        _field("690", ("a", "I247.55"), ("v", "5")),
        _field("701", ("a", "刘慈欣")),
    )  # fmt: skip
    for barcode, call_class, call_book in items:
        r.add_field(_field("905", ("a", "GS"), ("b", barcode), ("d", call_class), ("e", call_book)))
    return r


def iso(*records):
    return b"".join(r.as_marc() for r in records)


@pytest.fixture
def branch(tree):
    return venue(operator=tree["s1"], kind=VenueKind.BRANCH_LIBRARY, code="LIB-S1")


def test_marc21_and_cnmarc_fields(branch):
    data = iso(
        marc21("M1", isbn="7536692935 (pbk.)", items=[("g0001", "I247.55/L77")]),
        cnmarc("C1", isbn="978-7-5366-9401-9", items=[("G0002", "I247.55", "L77:2")]),
    )
    counts = marc_import(actor=None, data=data, branch=branch)
    assert counts == {
        "titles": {"created": 2, "updated": 0, "unchanged": 0},
        "copies": {"created": 2, "updated": 0, "unchanged": 0},
    }
    m = Title.objects.get(source_id="M1")
    assert (m.isbn, m.title, m.author, m.publisher, m.pub_year, m.clc, m.subject) == (
        "9787536692930", "三体", "刘慈欣", "重庆出版社", 2008, "I247.55", "科幻小说；长篇小说",
    )  # fmt: skip
    c = Title.objects.get(source_id="C1")
    assert (c.isbn, c.title, c.author, c.publisher, c.pub_year, c.clc, c.subject) == (
        "9787536694019", "三体Ⅱ：黑暗森林", "刘慈欣著", "重庆出版社", 2008, "I247.55", "科学幻想小说",
    )  # fmt: skip
    copies = {
        x.barcode: (x.title.source_id, x.home_branch, x.call_number) for x in Copy.objects.all()
    }
    assert copies == {
        "G0001": ("M1", branch, "I247.55/L77"),
        "G0002": ("C1", branch, "I247.55/L77:2"),
    }
    assert [h.title.title for h in catalogue_search(query="三体2")][:1] == ["三体Ⅱ：黑暗森林"]
    # the same file again
    counts = marc_import(actor=None, data=data, branch=branch)
    assert counts["titles"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert counts["copies"] == {"created": 0, "updated": 0, "unchanged": 2}


def test_marc21_title_parts_and_author_fallback():
    r = marc21("M2", title=("a", "三体."))
    r.remove_fields("100")
    r["245"].add_subfield("n", "Ⅲ,")
    r["245"].add_subfield("p", "死神永生 /")
    marc_import(actor=None, data=iso(r))
    t = Title.objects.get(source_id="M2")
    assert (t.title, t.author) == ("三体Ⅲ：死神永生", "刘慈欣著")


def test_one_bad_record_saves_nothing_and_every_problem_is_named(branch):
    no_title = marc21("M4", title=("a", " / "))
    data = iso(
        marc21("M1", isbn="9787536692930", items=[("G1", "")]),
        marc21("M2", isbn="9787536692931"),
        cnmarc("M1"),
        no_title,
        marc21("M5", items=[("g 1", "")]),
    )
    with pytest.raises(MarcImportRefused) as info:
        marc_import(actor=None, data=data, branch=branch)
    got = [(e.record, e.source_id, e.tag) for e in info.value.errors]
    assert got == [(2, "M2", "020"), (3, "M1", "001"), (4, "M4", "245"), (5, "M5", "952/852")]
    reasons = [e.reason for e in info.value.errors]
    assert "9787536692931" in reasons[0] and "无效" in reasons[0]
    assert reasons[1] == "与第 1 条记录的记录号重复"
    assert reasons[2] == "题名不能为空"
    assert reasons[3] == "条码号 G1 与第 1 条记录重复"
    assert str(info.value.errors[0]).startswith("第 2 条记录（001 = M2）字段 020：")
    assert not Title.objects.exists() and not Copy.objects.exists()


def test_unreadable_data_copies_without_a_branch_and_a_wrong_branch(tree):
    with pytest.raises(MarcImportRefused) as info:
        marc_import(actor=None, data=b"00026nam  2200025   4500 this is not MARC")
    assert info.value.errors[0].record == 1
    assert "无法读取" in info.value.errors[0].reason
    with pytest.raises(MarcImportRefused) as info:
        marc_import(actor=None, data=b"")
    assert info.value.errors[0].reason == "文件中没有 MARC 记录"
    with pytest.raises(MarcImportRefused) as info:
        marc_import(actor=None, data=iso(marc21("M1", items=[("G1", "")])))
    assert info.value.errors[0].reason == "记录带有馆藏，但没有指定所属馆"
    station = venue(operator=tree["s1"], kind=VenueKind.CULTURE_STATION)
    with pytest.raises(ValidationFailed):
        marc_import(actor=None, data=iso(marc21("M1")), branch=station)
    assert not Title.objects.exists()


def test_only_district_wide_staff_import(users):
    with pytest.raises(OutOfScope):
        marc_import(actor=users["subdistrict"], data=iso(marc21("M1")))
    marc_import(actor=users["district"], data=iso(marc21("M1")))
    assert Title.objects.count() == 1


def test_command(tmp_path, branch, capsys):
    path = tmp_path / "records.mrc"
    path.write_bytes(iso(marc21("M1", items=[("G1", "I247")]), cnmarc("C1")))
    call_command("import_marc", str(path), "--branch", "LIB-S1")
    out = capsys.readouterr().out
    assert "titles: 2 created, 0 updated, 0 unchanged; copies: 1 created" in out
    path.write_bytes(iso(marc21("M9", isbn="12345")))
    with pytest.raises(CommandError):
        call_command("import_marc", str(path), "--branch", "LIB-S1")
    assert "第 1 条记录（001 = M9）字段 020" in capsys.readouterr().err
    with pytest.raises(CommandError, match="no venue"):
        call_command("import_marc", str(path), "--branch", "NOPE")
    assert Title.objects.count() == 2
