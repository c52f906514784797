"""Catalogue search: normalisation, grams, the index kept by title_upsert, ranking and copies."""

from __future__ import annotations

import pytest
from django.utils import translation

from culture.core.errors import FieldErrors
from culture.library.models import Copy, CopyStatus, Title, TitleGram
from culture.library.search import (
    catalogue_search,
    grams_of,
    normalise,
    query_grams,
    search_key,
)
from culture.library.services import copy_upsert, title_upsert
from culture.org.tests.factories import community, district
from culture.venues.models import VenueKind
from culture.venues.tests.factories import venue

pytestmark = pytest.mark.django_db


def test_normalise_nfkc_casefold_and_punctuation():
    assert normalise("三体Ⅱ：黑暗森林") == "三体ii 黑暗森林"
    assert normalise("  Ｈｅｌｌｏ，　Ｗｏｒｌｄ！１２３ ") == "hello world 123"
    assert normalise("《三体》——刘慈欣（著）") == "三体 刘慈欣 著"
    assert normalise("C++ / Java; Go") == "c java go"
    assert normalise(None) == ""


def test_search_key_folds_volume_numerals_after_chinese_only():
    assert search_key("三体Ⅱ：黑暗森林") == "三体2 黑暗森林"
    assert search_key("三体II") == "三体2"
    assert search_key("三体ⅲ") == "三体3"
    assert search_key("三体2") == "三体2"
    assert search_key("Book I") == "book i"
    assert search_key("明朝那些事儿Vi") == "明朝那些事儿6"
    assert search_key("中国vip") == "中国vip"
    assert search_key("ISBN 978-7-5366-9293-0") == "isbn 9787536692930"


def test_grams_of_a_title_and_of_a_query():
    assert grams_of("三体2 黑暗森林") == {
        "三体", "三", "体", "体2", "2", "黑暗", "暗森", "森林", "黑", "暗", "森", "林",
    }  # fmt: skip
    assert grams_of("abc中文") == {"abc", "c中", "中文", "中", "文"}
    assert grams_of("potter go") == {"pot", "ott", "tte", "ter", "go"}
    assert query_grams("三体") == {"三体"}
    assert query_grams("书") == {"书"}
    assert query_grams("三体2") == {"三体", "体2"}
    assert query_grams("三体 2") == {"三体", "2"}
    assert query_grams("2") == {"2"}
    assert query_grams("python编程") == {"pyt", "yth", "tho", "hon", "n编", "编程"}
    assert query_grams("") == set()


def _title(source_id, title, **fields):
    return title_upsert(actor=None, source_id=source_id, title=title, **fields)[0]


def test_title_upsert_builds_the_index_and_converts_the_isbn():
    t, outcome = title_upsert(
        actor=None, source_id="R1", title="三体", author="刘慈欣", isbn="7-5366-9293-5"
    )
    assert outcome == "created"
    assert t.isbn == "9787536692930"
    assert t.search_text == "三体 刘慈欣 9787536692930"
    grams = set(TitleGram.objects.filter(title=t).values_list("gram", flat=True))
    assert grams == {
        "三体", "三", "体", "刘慈", "慈欣", "刘", "慈", "欣",
        "978", "787", "875", "753", "536", "366", "669", "692", "929", "293", "930",
    }  # fmt: skip


def test_title_upsert_again_rebuilds_the_grams_or_changes_nothing():
    _title("R1", "三体", author="刘慈欣")
    t, outcome = title_upsert(actor=None, source_id="R1", title="三体", author="刘慈欣")
    assert outcome == "unchanged"
    t, outcome = title_upsert(actor=None, source_id="R1", title="球状闪电", author="刘慈欣")
    assert outcome == "updated"
    grams = set(TitleGram.objects.filter(title=t).values_list("gram", flat=True))
    assert "三体" not in grams and "闪电" in grams
    assert Title.objects.count() == 1


@pytest.mark.parametrize("bad", ["9787536692931", "12345", "ISBN abc", "7536692936"])
def test_a_bad_isbn_is_refused_and_nothing_saved(bad):
    with pytest.raises(FieldErrors) as info:
        title_upsert(actor=None, source_id="R1", title="三体", isbn=bad)
    assert "isbn" in info.value.errors
    assert "ISBN" in str(info.value.errors["isbn"][0])
    assert Title.objects.count() == 0 and TitleGram.objects.count() == 0


def test_a_blank_title_is_refused():
    with pytest.raises(FieldErrors) as info:
        title_upsert(actor=None, source_id="R1", title="  ")
    assert list(info.value.errors) == ["title"]


def _catalogue():
    """Titles in an order that is not the expected ranking."""
    for i, (title, author) in enumerate(
        [
            ("关于三体问题的物理学研究", "张三"),
            ("三体Ⅲ：死神永生", "刘慈欣"),
            ("暗森林与黑暗", "王五"),
            ("三国演义", "罗贯中"),
            ("三体Ⅱ：黑暗森林", "刘慈欣"),
            ("球状闪电", "刘慈欣"),
            ("三体", "刘慈欣"),
            ("Harry Potter and the Philosopher's Stone", "J. K. Rowling"),
            ("Python 2 编程入门", "李四"),
            ("无尽三体运动传", "赵六"),
        ],
        start=1,
    ):
        _title(f"R{i}", title, author=author)


def _titles(query, **kwargs):
    return [hit.title.title for hit in catalogue_search(query=query, **kwargs)]


def test_san_ti_finds_the_exact_title_then_its_sequels_then_longer_titles():
    _catalogue()
    assert _titles("三体") == [
        "三体",
        "三体Ⅲ：死神永生",  # same length as 三体Ⅱ：黑暗森林: the older record first
        "三体Ⅱ：黑暗森林",
        "无尽三体运动传",  # shorter, but 三体 is not where it starts
        "关于三体问题的物理学研究",
    ]


@pytest.mark.parametrize("query", ["三体2", "三体II", "三体Ⅱ", "三体ii", "三体 ２"])
def test_volume_numbers_find_the_second_volume_first(query):
    _catalogue()
    titles = _titles(query)
    assert titles[0] == "三体Ⅱ：黑暗森林"
    # the other 三体 titles match one of the two grams, shortest first
    assert titles[1:5] == ["三体", "无尽三体运动传", "三体Ⅲ：死神永生", "关于三体问题的物理学研究"]
    # a lone 2 (三体 ２: two words) also finds Python 2 编程入门, after them (longer)
    assert titles[5:] == (["Python 2 编程入门"] if " " in query else [])


def test_a_whole_match_ranks_before_a_shorter_title_with_the_same_grams():
    _catalogue()
    assert _titles("黑暗森林")[:2] == ["三体Ⅱ：黑暗森林", "暗森林与黑暗"]


def test_author_latin_words_full_width_and_one_character_queries():
    _catalogue()
    assert _titles("刘慈欣") == ["三体", "球状闪电", "三体Ⅲ：死神永生", "三体Ⅱ：黑暗森林"]
    assert _titles("ＰＯＴＴＥＲ") == ["Harry Potter and the Philosopher's Stone"]
    assert _titles("rowl") == ["Harry Potter and the Philosopher's Stone"]
    assert _titles("演") == ["三国演义"]
    assert _titles("：，。") == []


def test_search_by_isbn_ten_or_thirteen():
    _title("R1", "三体", isbn="9787536692930")
    _title("R2", "哈利波特", isbn="9780747532699")
    assert _titles("978-7-5366-9293-0") == ["三体"]
    assert _titles("9787536692930") == ["三体"]
    assert _titles("7-5366-9293-5") == ["三体"]
    # not an ISBN (wrong check digit): by its grams, 10 of 11 shared with 三体's
    assert _titles("9787536692931") == ["三体", "哈利波特"]
    # part of an ISBN, by its grams; 哈利波特 (9780747532699) shares the gram 753
    assert _titles("53669") == ["三体"]
    assert _titles("7536") == ["三体", "哈利波特"]


def test_limit():
    _catalogue()
    assert _titles("三体", limit=2) == ["三体", "三体Ⅲ：死神永生"]
    assert _titles("三体", limit=0) == []


@pytest.fixture
def branches():
    community()
    main = venue(operator=district(), kind=VenueKind.LIBRARY, name_zh="拱墅区图书馆")
    room = venue(operator=district(), kind=VenueKind.CITY_BOOKROOM, name_zh="运河书房")
    return main, room


def test_copies_and_free_copies_per_branch(branches):
    main, room = branches
    _catalogue()
    s1 = Title.objects.get(title="三体")
    s2 = Title.objects.get(title="三体Ⅱ：黑暗森林")
    for code, title, branch in [
        ("A1", s1, main),
        ("A2", s1, main),
        ("A3", s1, room),
        ("B1", s2, room),
    ]:
        copy_upsert(actor=None, barcode=code, title=title, home_branch=branch)
    Copy.objects.filter(barcode__in=["A2", "B1"]).update(status=CopyStatus.ON_LOAN)

    hits = {h.title.title: h for h in catalogue_search(query="三体")}
    s1_hit = hits["三体"]
    assert [(b.branch_name, b.copies, b.free) for b in s1_hit.branches] == [
        ("拱墅区图书馆", 2, 1),
        ("运河书房", 1, 1),
    ]
    assert (s1_hit.copies, s1_hit.free) == (3, 2)
    assert (hits["三体Ⅱ：黑暗森林"].copies, hits["三体Ⅱ：黑暗森林"].free) == (1, 0)
    assert hits["三体Ⅲ：死神永生"].branches == []

    assert _titles("三体", available_only=True) == ["三体"]
    assert _titles("三体", branch=room) == ["三体", "三体Ⅱ：黑暗森林"]
    assert _titles("三体", branch=room, available_only=True) == ["三体"]
    room_hits = catalogue_search(query="三体", branch=room)
    assert [(b.branch_name, b.copies, b.free) for b in room_hits[0].branches] == [
        ("运河书房", 1, 1)
    ]


def test_a_bad_isbn_told_in_english():
    with translation.override("en"), pytest.raises(FieldErrors) as info:
        title_upsert(actor=None, source_id="R1", title="三体", isbn="9787536692931")
    assert str(info.value.errors["isbn"][0]) == (
        "ISBN “9787536692931” is not valid (10 or 13 digits with a correct check digit)"
    )
