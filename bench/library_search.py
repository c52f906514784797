#!/usr/bin/env python
"""Catalogue search over a million copies (issue 7): ``catalogue_search`` (the n-gram index,
culture/library/search.py) against a plain ``LIKE '%q%'`` scan over the titles, in the same run
on the same SQLite file.

1. Build (or reuse, when it already holds the asked-for size) a SQLite file with the project's
   schema (``migrate``): ``--titles`` synthetic Chinese titles (adjective + noun + form, some
   with volume numbers and subtitles, 250 with 三体 inside, plus 三体 / 三体Ⅱ：黑暗森林 /
   三体Ⅲ：死神永生), each with a valid ISBN-13, an author, ``--copies-per-title`` copies over
   20 branches (70 % on the shelf). Rows go in with bulk ``executemany`` inserts; the search
   text and grams come from the same functions ``title_upsert`` uses (search_key, grams_of).
2. For each query: one warm-up, then ``--runs`` timed calls of ``catalogue_search(query=q)``
   (limit 20: ranked titles with their copies per branch) and of the peer, a LIKE scan over
   the titles (``title LIKE '%q%' OR author LIKE '%q%' OR isbn LIKE '%q%'``, shortest first, limit 20; no copy counts, so
   the peer does less work). p50/p95 per query, and over all calls.
3. Checks that both return the same top title wherever LIKE finds anything (queries whose
   normalisation LIKE cannot do, 三体2 / 三体II / full-width, are reported as LIKE finding
   nothing or something else).

  .venv/bin/python bench/library_search.py [--titles 200000 --copies-per-title 5 --runs 9]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
README = ROOT / "bench" / "README.md"
OUT = ROOT / "bench" / "results" / "library_search.json"
SEARCH_PY = ROOT / "culture" / "library" / "search.py"
BEGIN, END = "<!-- library_search:begin -->", "<!-- library_search:end -->"

QUERIES = [
    "三体",
    "三体2",
    "三体II",
    "三体Ⅱ：黑暗森林",
    "黑暗森林",
    "死神永生",
    "刘慈欣",
    "运河",
    "杭州历史",
    "古老的星空",
    "ＳＨＵＪＩ",
    "9787536692930",
    "书",
]

ADJS = ["黑暗", "明亮", "古老", "崭新", "小小", "伟大", "美丽", "沉默", "遥远", "温暖", "寂静",
        "平凡", "神秘", "未来", "失落", "燃烧", "流动", "无尽", "隐秘", "最后"]  # fmt: skip
NOUNS = ["城市", "森林", "河流", "历史", "文化", "科学", "艺术", "音乐", "数学", "经济", "哲学",
         "教育", "运河", "江南", "杭州", "中国", "世界", "宇宙", "星空", "海洋", "山水", "诗词",
         "故事", "生活", "时间", "记忆", "家园", "少年", "儿童", "旅行", "体育", "三国", "书院",
         "茶叶", "丝绸", "建筑", "医学", "天文", "地理", "动物"]  # fmt: skip
FORMS = ["的故事", "简史", "导论", "研究", "概论", "笔记", "漫谈", "之旅", "手册", "读本", "传",
         "十讲", "散文集", "诗选", "图鉴", "入门", "的秘密", "与我们", "百科", "史话"]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文辉慈欣海燕"
VOLUMES = ["", "", "", "", "Ⅱ", "Ⅲ", "（上）", "（下）", "第二版", "2"]
PINYIN = ["shuji", "wenhua", "hangzhou", "yunhe", "kexue"]


def _setup(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


def _isbn13(n: int) -> str:
    from stdnum import ean

    body = f"9787{n:08d}"
    return body + ean.calc_check_digit(body)


def _titles(n: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(title, author, isbn) rows: the 三体 trilogy first, then 250 titles with 三体 inside,
    then generated titles."""
    rows = [("三体", "刘慈欣", "9787536692930"), ("三体Ⅱ：黑暗森林", "刘慈欣", "9787536694019"),
            ("三体Ⅲ：死神永生", "刘慈欣", "9787229030933")]  # fmt: skip
    for i in range(250):
        title = f"{rng.choice(ADJS)}三体{rng.choice(['问题', '运动', '世界', '故事'])}{rng.choice(FORMS)}"
        rows.append((title, rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                     _isbn13(10_000_000 + i)))  # fmt: skip
    while len(rows) < n:
        i = len(rows)
        title = rng.choice(ADJS) + "的" * (i % 3 == 0) + rng.choice(NOUNS) + rng.choice(FORMS)
        title += rng.choice(VOLUMES)
        if i % 7 == 0:
            title += "：" + rng.choice(NOUNS) + rng.choice(NOUNS)
        if i % 50 == 0:
            title += " " + rng.choice(PINYIN)
        author = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        rows.append((title, author, _isbn13(i)))
    return rows[:n]


def build(db: Path, *, titles: int, copies_per_title: int, seed: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from culture.library.search import grams_of, title_search_text
    from culture.org.models import OrgLevel
    from culture.org.services import org_unit_create
    from culture.venues.models import Venue, VenueKind

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    t_migrate = time.perf_counter() - t0
    rng = random.Random(seed)
    unit = org_unit_create(actor=None, code="330105", level=OrgLevel.DISTRICT, name_zh="拱墅区",
                           name_en="Gongshu", population=0, parent=None)  # fmt: skip
    kinds = [VenueKind.LIBRARY] + [VenueKind.BRANCH_LIBRARY] * 9 + [VenueKind.CITY_BOOKROOM] * 10
    branches = Venue.objects.bulk_create(
        [
            Venue(
                code=f"LIB{i:02d}",
                name_zh=f"分馆{i:02d}",
                kind=k,
                operator_unit=unit,
                lon=120.15,
                lat=30.32,
            )
            for i, k in enumerate(kinds)
        ]  # fmt: skip
    )
    branch_ids = [b.pk for b in branches]
    rows = _titles(titles, rng)
    now = timezone.now().isoformat(sep=" ")
    t1 = time.perf_counter()
    grams_total = 0
    with transaction.atomic(), connection.cursor() as cur:
        batch = 5000
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            cur.executemany(
                "INSERT INTO library_title (id, created_at, updated_at, isbn, title, author,"
                " publisher, pub_year, clc, subject, source_id, search_text)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (start + j + 1, now, now, isbn, title, author, "测试出版社", 2000 + (start + j) % 25,
                     "I247", "", f"B{start + j + 1:08d}",
                     title_search_text(title=title, author=author, isbn=isbn))
                    for j, (title, author, isbn) in enumerate(chunk)
                ],
            )  # fmt: skip
            grams = [
                (g, start + j + 1)
                for j, (title, author, isbn) in enumerate(chunk)
                for g in grams_of(title_search_text(title=title, author=author, isbn=isbn))
            ]
            grams_total += len(grams)
            cur.executemany("INSERT INTO library_titlegram (gram, title_id) VALUES (%s, %s)", grams)
    t_titles = time.perf_counter() - t1
    t2 = time.perf_counter()
    day0 = date(2015, 1, 1)
    with transaction.atomic(), connection.cursor() as cur:
        batch = 50_000
        n_copies = len(rows) * copies_per_title
        for start in range(0, n_copies, batch):
            values = []
            for k in range(start, min(start + batch, n_copies)):
                branch = branch_ids[rng.randrange(len(branch_ids))]
                status = "available" if rng.random() < 0.7 else "on_loan"
                values.append((now, now, f"C{k + 1:09d}", "book", status, "I247",
                               (day0 + timedelta(days=k % 3650)).isoformat(),
                               branch, branch, k // copies_per_title + 1))  # fmt: skip
            cur.executemany(
                "INSERT INTO library_copy (created_at, updated_at, barcode, item_type, status,"
                " call_number, acquired_on, current_branch_id, home_branch_id, title_id)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                values,
            )
    t_copies = time.perf_counter() - t2
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return {
        "migrate_s": round(t_migrate, 1),
        "titles_and_grams_s": round(t_titles, 1),
        "copies_s": round(t_copies, 1),
        "grams": grams_total,
    }


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def measure(runs: int) -> dict[str, Any]:
    from django.db.models import Q
    from django.db.models.functions import Length

    from culture.library.models import Title
    from culture.library.search import catalogue_search

    def ours(q: str) -> list[str]:
        return [h.title.title for h in catalogue_search(query=q)]

    def like(q: str) -> list[str]:
        found = Q(title__contains=q) | Q(author__contains=q) | Q(isbn__contains=q)
        qs = Title.objects.filter(found).annotate(n=Length("title"))
        return list(qs.order_by("n", "id").values_list("title", flat=True)[:20])

    per_query = []
    all_ours: list[float] = []
    all_like: list[float] = []
    for q in QUERIES:
        top_ours, top_like = ours(q), like(q)  # warm-up; the results compared
        times: dict[str, list[float]] = {"ours": [], "like": []}
        for _ in range(runs):
            for name, fn in (("ours", ours), ("like", like)):
                t = time.perf_counter()
                fn(q)
                times[name].append((time.perf_counter() - t) * 1000)
        all_ours += times["ours"]
        all_like += times["like"]
        per_query.append({
            "query": q,
            "ours_p50_ms": round(statistics.median(times["ours"]), 2),
            "ours_p95_ms": round(_pct(times["ours"], 95), 2),
            "like_p50_ms": round(statistics.median(times["like"]), 2),
            "like_p95_ms": round(_pct(times["like"], 95), 2),
            "ours_top": top_ours[:3],
            "like_top": top_like[:3],
            "like_found": len(top_like),
            "same_top": bool(top_like) and bool(top_ours) and top_like[0] == top_ours[0],
        })  # fmt: skip
    return {
        "queries": per_query,
        "ours_p50_ms": round(statistics.median(all_ours), 2),
        "ours_p95_ms": round(_pct(all_ours, 95), 2),
        "like_p50_ms": round(statistics.median(all_like), 2),
        "like_p95_ms": round(_pct(all_like, 95), 2),
    }


def _readme(result: dict[str, Any]) -> str:
    d, m = result["data"], result["measured"]
    lines = [
        BEGIN,
        f"Run {result['when']} on {result['machine']} (load average {result['load_average']}),"
        f" SQLite, {d['titles']:,} titles, {d['copies']:,} copies, {d['grams']:,} grams;"
        f" {result['runs']} timed calls per query after a warm-up. Build: titles and grams"
        f" {d['build'].get('titles_and_grams_s', '-')} s, copies {d['build'].get('copies_s', '-')} s.",
        "",
        "| query | n-gram p50 / p95 ms | LIKE p50 / p95 ms | n-gram top | LIKE top (found) | same top |",
        "|---|---|---|---|---|---|",
    ]
    for q in m["queries"]:
        lines.append(
            f"| {q['query']} | {q['ours_p50_ms']} / {q['ours_p95_ms']} | {q['like_p50_ms']} /"
            f" {q['like_p95_ms']} | {(q['ours_top'] or ['-'])[0]} | {(q['like_top'] or ['-'])[0]}"
            f" ({q['like_found']}) | {'yes' if q['same_top'] else 'no'} |"
        )
    lines += [
        "",
        f"All calls: n-gram p50 {m['ours_p50_ms']} ms, p95 {m['ours_p95_ms']} ms; LIKE p50"
        f" {m['like_p50_ms']} ms, p95 {m['like_p95_ms']} ms (the LIKE peer returns bare titles;"
        " the n-gram search also counts each result's copies and free copies per branch).",
        END,
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--titles", type=int, default=200_000)
    parser.add_argument("--copies-per-title", type=int, default=5)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--db",
        type=Path,
        default=Path(tempfile.gettempdir()) / "culture-bench" / "library-search.sqlite3",
    )
    parser.add_argument("--no-write", action="store_true", help="print only (tiny runs)")
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    marker = args.db.with_suffix(".json")
    wanted = {"titles": args.titles, "copies_per_title": args.copies_per_title, "seed": args.seed,
              # the grams depend on the search code: rebuild when it changes
              "search_py": hashlib.sha256(SEARCH_PY.read_bytes()).hexdigest()[:16]}  # fmt: skip
    reuse = (
        args.db.exists() and marker.exists() and json.loads(marker.read_text())["wanted"] == wanted
    )
    if not reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    _setup(args.db)
    if reuse:
        build_info = json.loads(marker.read_text())["build"]
    else:
        build_info = build(args.db, titles=args.titles, copies_per_title=args.copies_per_title,
                           seed=args.seed)  # fmt: skip
        marker.write_text(json.dumps({"wanted": wanted, "build": build_info}))
    measured = measure(args.runs)
    result = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average": round(os.getloadavg()[0], 1),
        "runs": args.runs,
        "data": {"titles": args.titles, "copies": args.titles * args.copies_per_title,
                 "grams": build_info["grams"], "build": build_info, "reused": reuse},
        "measured": measured,
    }  # fmt: skip
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.no_write:
        return
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    text = README.read_text()
    section = _readme(result)
    if BEGIN in text:
        text = text[: text.index(BEGIN)] + section + text[text.index(END) + len(END) :]
    else:
        text += (
            "\n## Catalogue search (`bench/library_search.py`)\n\n"
            "`catalogue_search` (CJK bigrams and Latin trigrams in an indexed `TitleGram` table,"
            " culture/library/search.py) against a plain `LIKE '%q%'` scan over the titles'"
            " title, author and ISBN columns (shortest title first), same"
            " SQLite file, same run. Queries that need normalisation (三体2, 三体II, full-width"
            " letters) are where LIKE finds nothing or something else.\n\n" + section + "\n"
        )
    README.write_text(text)


if __name__ == "__main__":
    main()
