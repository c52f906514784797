"""Catalogue search: normalised text, its n-grams (stored in ``TitleGram``) and the ranked search.

Normalisation (``normalise``): NFKC (Ⅱ -> II, full-width letters, digits and punctuation ->
half-width), case-folded, every punctuation or symbol character (Chinese or ASCII) -> a space,
whitespace collapsed.

Search key (``search_key``): the normalised text with Roman numerals folded to Arabic digits
where they number a volume: a Roman-numeral word (i ... x) right after a Chinese character
(三体Ⅱ, 三体II -> 三体2). Titles and queries go through the same key, so 三体2, 三体II and
三体Ⅱ find each other; an English word "I" or "vi" after a space is left alone.

Grams (``grams_of``), chosen so that every query gram can be looked up by index:
- a run of Chinese/Japanese/Korean characters: its character bigrams, plus each single
  character (so a one-character query such as 书 has a gram to look up);
- a run of letters or digits: its trigrams, or the whole run when it is shorter than three
  (pinyin, English words, authors' Latin names, ISBNs: a query of three or more letters finds
  every word containing them, not only whole words).
- where a CJK run meets a letter/digit run in one word, the two characters across the
  boundary (三体2 -> 体2), so a volume number is looked up with its title rather than as a
  lone digit shared by a fifth of the catalogue.
A query's grams (``query_grams``) are the same without the single characters of CJK runs longer
than one character (their bigrams already say more) and without letter/digit runs shorter than
three that touch a CJK run (their boundary gram stands for them).

A query that is a whole valid ISBN (10 or 13, hyphens allowed) finds the title with that ISBN
through the isbn column's index instead (its trigrams such as 978 are in nearly every title).

Ranking (``catalogue_search``): the share of the query's grams a title has (one index lookup
per gram, counted per title), then titles whose search key begins with the whole query key (the
title starts with it: 三体 -> 三体Ⅱ：黑暗森林), then those containing it elsewhere, then shorter
titles, then the older record.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Length
from stdnum import isbn

from culture.library.models import Copy, CopyStatus, Title, TitleGram

GRAM_MAX = 8  # TitleGram.gram's max_length


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0x20000 <= code <= 0x3FFFF  # extensions B and later
        or 0x3040 <= code <= 0x30FF  # kana
        or 0xAC00 <= code <= 0xD7AF  # hangul
    )


def normalise(text: Any) -> str:
    """NFKC, case-folded, punctuation and symbols (Chinese and ASCII) as spaces, whitespace
    collapsed."""
    value = unicodedata.normalize("NFKC", str(text or "")).casefold()
    out = []
    for ch in value:
        category = unicodedata.category(ch)
        out.append(" " if category[0] in "PSZC" else ch)
    return " ".join("".join(out).split())


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9}
_ROMAN["x"] = 10
_VOLUME_NUMERAL = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff])(" + "|".join(
    sorted(_ROMAN, key=len, reverse=True)) + r")(?![a-z])")  # fmt: skip


_DIGIT_HYPHEN = re.compile(r"(?<=[0-9])[-\u2010\u2011\u2013\u2212](?=[0-9xX])")


def search_key(text: Any) -> str:
    """``normalise`` plus volume numerals folded to digits (三体Ⅱ, 三体II and 三体2 alike), and
    hyphens between digits dropped (978-7-5366-9293-0 is one number)."""
    value = _DIGIT_HYPHEN.sub("", unicodedata.normalize("NFKC", str(text or "")))
    return _VOLUME_NUMERAL.sub(lambda m: str(_ROMAN[m[1]]), normalise(value))


def query_key(query: Any) -> str:
    """The search key of a query; a query that is a valid ISBN-10 or ISBN-13 becomes the
    ISBN-13 that titles are stored with."""
    key = search_key(query)
    if isbn.is_valid(key):
        return isbn.to_isbn13(key).replace("-", "")
    return key


def _words(key: str) -> list[list[tuple[bool, str]]]:
    """Split each word of a search key into runs of CJK characters and runs of other
    characters (letters, digits)."""
    words: list[list[tuple[bool, str]]] = []
    for word in key.split():
        runs: list[tuple[bool, str]] = []
        current = ""
        current_cjk = False
        for ch in word:
            cjk = _is_cjk(ch)
            if current and cjk != current_cjk:
                runs.append((current_cjk, current))
                current = ""
            current += ch
            current_cjk = cjk
        if current:
            runs.append((current_cjk, current))
        words.append(runs)
    return words


def _run_grams(cjk: bool, run: str, *, singles: bool) -> list[str]:
    if cjk:
        grams = [run[i : i + 2] for i in range(len(run) - 1)]
        if singles or len(run) == 1:
            grams.extend(run)
        return grams
    if len(run) < 3:
        return [run[:GRAM_MAX]]
    return [run[i : i + 3] for i in range(len(run) - 2)]


def _grams(key: str, *, query: bool) -> set[str]:
    grams: set[str] = set()
    for runs in _words(key):
        for i, (cjk, run) in enumerate(runs):
            if i > 0:  # where Chinese meets a letter or digit: 三体2 -> 体2
                grams.add(runs[i - 1][1][-1] + run[0])
            if query and not cjk and len(run) < 3 and len(runs) > 1:
                continue  # the boundary gram says more than a lone "2" in a fifth of titles
            grams.update(_run_grams(cjk, run, singles=not query))
    return grams


def grams_of(key: str) -> set[str]:
    """The grams stored for a title's search key."""
    return _grams(key, query=False)


def query_grams(key: str) -> set[str]:
    """The grams looked up for a query's search key."""
    return _grams(key, query=True)


def title_search_text(*, title: str, author: str = "", subject: str = "", isbn: str = "") -> str:
    """What a title is found by: title, author, subject and ISBN, as one search key (the title
    first, so a whole-query match of the title is a match at the start)."""
    return " ".join(p for p in (search_key(title), search_key(author), search_key(subject),
                                search_key(isbn)) if p)  # fmt: skip


@dataclass
class BranchCopies:
    branch_id: int
    branch_name: str
    copies: int
    free: int


@dataclass
class SearchHit:
    title: Title
    matched: int  # query grams the title has
    grams: int  # query grams in all
    whole: bool  # the title's search key contains the whole query key
    starts: bool  # ... at its start: the title begins with the query
    branches: list[BranchCopies] = field(default_factory=list)

    @property
    def copies(self) -> int:
        return sum(b.copies for b in self.branches)

    @property
    def free(self) -> int:
        return sum(b.free for b in self.branches)


def catalogue_search(
    *,
    query: str,
    branch: Any = None,
    available_only: bool = False,
    limit: int = 20,
) -> list[SearchHit]:
    """Titles for ``query``, best first, with their copies and free copies per branch (the branch
    where a copy stands now). ``branch``: only titles with a copy standing there (and the counts
    of that branch only); ``available_only``: only titles with a free copy (there)."""
    key = query_key(query)
    grams = sorted(query_grams(key))
    if not grams or limit <= 0:
        return []
    copies = Copy.objects.all()
    if branch is not None:
        copies = copies.filter(current_branch=branch)
    if available_only:
        copies = copies.filter(status=CopyStatus.AVAILABLE)
    ranked: QuerySet[Any, dict[str, Any]] = (
        TitleGram.objects.filter(gram__in=grams)
        .values("title_id")
        .annotate(hits=Count("id"))
        .annotate(
            whole=Case(
                When(title__search_text__startswith=key, then=Value(2)),
                When(title__search_text__contains=key, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            length=Length("title__title"),
        )
    )
    if len(key) == 13 and isbn.is_valid(
        key
    ):  # a whole ISBN: the title with it, by the isbn column's index
        ranked = (
            Title.objects.filter(isbn=key)
            .annotate(title_id=F("id"), hits=Value(len(grams)), whole=Value(2))
            .values("title_id", "hits", "whole")
            .annotate(length=Length("title"))
        )
    if branch is not None or available_only:
        ranked = ranked.filter(Exists(copies.filter(title_id=OuterRef("title_id"))))
    rows = list(ranked.order_by("-hits", "-whole", "length", "title_id")[:limit])
    titles = Title.objects.in_bulk([r["title_id"] for r in rows])
    per_title: dict[int, list[BranchCopies]] = {r["title_id"]: [] for r in rows}
    counts = (
        copies.filter(title_id__in=per_title)
        .values("title_id", "current_branch_id", "current_branch__name_zh")
        .annotate(
            n=Count("id"),
            free=Count("id", filter=Q(status=CopyStatus.AVAILABLE)),
        )
        .order_by("title_id", "current_branch_id")
    )
    for c in counts:
        per_title[c["title_id"]].append(
            BranchCopies(
                branch_id=c["current_branch_id"],
                branch_name=c["current_branch__name_zh"],
                copies=c["n"],
                free=c["free"],
            )
        )
    return [
        SearchHit(
            title=titles[r["title_id"]],
            matched=r["hits"],
            grams=len(grams),
            whole=r["whole"] > 0,
            starts=r["whole"] == 2,
            branches=per_title[r["title_id"]],
        )
        for r in rows
    ]
