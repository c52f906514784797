"""The activity importer and exporter (``activities``) on the spreadsheets framework."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from culture.activities.models import Activity
from culture.activities.tests.factories import local, venue
from culture.spreadsheets.models import ImportJob
from culture.spreadsheets.tests.helpers import csv_text, upload, xlsx_bytes

HEADERS = [
    "外部编号",
    "活动名称",
    "活动类型",
    "主办单位代码",
    "场馆编码",
    "开始时间",
    "结束时间",
    "参与人次",
    "服务对象",
    "品牌活动",
    "送书册数",
    "服务场次",
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(client, rows, *, headers=HEADERS, csv=False) -> ImportJob:
    if csv:
        upload(client, "activities", csv_text(headers, rows).encode("utf-8-sig"), "a.csv")
    else:
        upload(client, "activities", xlsx_bytes(headers, rows), "a.xlsx")
    return ImportJob.objects.order_by("-created_at", "-id").first()


def reasons(job) -> list[tuple]:
    return [(e["row"], e["column"], e["reason"]) for e in job.errors]


def good_rows(tree) -> list[list]:
    c11, s1 = tree["c11"].code, tree["s1"].code
    return [
        [
            "EXT-001",
            "社区文化月开幕式",
            "群众文化活动",
            c11,
            "V-1",
            "2025-06-01 09:00",
            "2025-06-01 11:30",
            300,
            "老年人、未成年人",
            "社区文化月",
            "",
            "",
        ],
        [
            "",
            "送书进社区",
            "送书下基层",
            s1,
            "",
            datetime(2025, 4, 23, 14, 0),  # noqa: DTZ001 - an Excel cell has no zone
            datetime(2025, 4, 23, 16, 0),  # noqa: DTZ001
            80,
            "",
            "",
            500,
            "",
        ],
        [
            "",
            "线上读书会",
            "线上服务",
            s1,
            "",
            "2025/7/5 19:30",
            "2025/7/5 21:00",
            1200,
            "",
            "",
            "",
            3,
        ],
    ]


def test_import_then_reimport_is_unchanged(tree, users, login):
    venue(tree["c11"], code="V-1")
    client = login(users["subdistrict"])
    job = run(client, good_rows(tree))
    assert job.errors == [] and job.counts == {"created": 3, "updated": 0, "unchanged": 0}
    opening = Activity.objects.get(external_id="EXT-001")
    assert opening.start_at == local(2025, 6, 1, 9, 0)
    assert (opening.venue.code, opening.brand, opening.target_groups) == (
        "V-1",
        "community_culture_month",
        ["elderly", "minors"],
    )
    books = Activity.objects.get(title="送书进社区")
    assert (books.books_count, books.start_at) == (500, local(2025, 4, 23, 14, 0))
    online = Activity.objects.get(title="线上读书会")
    assert (online.online, online.sessions, online.attendance) == (True, 3, 1200)

    job = run(client, good_rows(tree))
    assert job.counts == {"created": 0, "updated": 0, "unchanged": 3}
    rows = good_rows(tree)
    rows[0][7] = 350  # same external id: updated, not duplicated
    rows[1][7] = 90  # same organiser + venue + start + title: updated
    job = run(client, rows, csv=True)
    assert job.counts == {"created": 0, "updated": 2, "unchanged": 1}
    assert Activity.objects.count() == 3
    assert Activity.objects.get(external_id="EXT-001").attendance == 350


def test_row_errors_name_row_and_column_and_save_nothing(tree, users, login):
    venue(tree["c11"], code="V-1")
    rows = good_rows(tree)
    rows.append(
        [
            "",
            "坏时间",
            "讲座",
            tree["c11"].code,
            "",
            "明天上午",
            "2025-01-01 10:00",
            1,
            "",
            "",
            "",
            "",
        ]
    )
    rows.append(
        [
            "",
            "倒序",
            "讲座",
            tree["c11"].code,
            "V-404",
            "2025-03-01 10:00",
            "2025-03-01 09:00",
            1,
            "外星人",
            "",
            "",
            "",
        ]
    )
    rows.append(
        [
            "",
            "越界",
            "讲座",
            tree["c21"].code,
            "",
            "2025-03-01 10:00",
            "2025-03-01 11:00",
            1,
            "",
            "",
            "",
            "",
        ]
    )
    rows.append(
        [
            "",
            "不适用",
            "讲座",
            tree["c11"].code,
            "",
            "2025-03-01 10:00",
            "2025-03-01 11:00",
            1,
            "",
            "",
            100,
            "",
        ]
    )
    job = run(login(users["subdistrict"]), rows)
    got = reasons(job)
    assert (5, "开始时间", "时间格式应为 2025-03-01 14:30") in got
    assert (
        6,
        "服务对象",
        "服务对象“外星人”无效，应为：老年人、未成年人、残疾人、外来务工人员、军人及退役军人",
    ) in got
    assert (7, "主办单位代码", f"主办单位 {tree['c21'].code} 不在您的管辖范围内，不能导入") in got
    assert (8, "送书册数", "该字段不适用于活动类型“讲座”") in got
    assert Activity.objects.count() == 0


def test_export_reimports_unchanged(tree, users, login):
    venue(tree["c11"], code="V-1")
    client = login(users["subdistrict"])
    run(client, good_rows(tree))
    response = client.get("/spreadsheets/export/activities/", {"format": "xlsx"})
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(raw), read_only=True).worksheets[0]
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    headers, rows = table[0], table[1:]
    assert len(rows) == 3
    assert "社区文化月开幕式" in {r[headers.index("活动名称")] for r in rows}
    job = run(client, rows, headers=headers)
    assert job.errors == []
    assert job.counts == {"created": 0, "updated": 0, "unchanged": 3}


def test_export_is_scoped(tree, users, login):
    venue(tree["c11"], code="V-1")
    run(login(users["subdistrict"]), good_rows(tree))
    response = login(users["community"]).get("/spreadsheets/export/activities/", {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "社区文化月开幕式" in text
    assert "送书进社区" not in text
