"""Helpers for the spreadsheet tests: real files built with openpyxl, zipfile and csv."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

ORG_HEADERS = [
    "区划代码",
    "层级",
    "上级区划代码",
    "名称",
    "英文名称",
    "常住人口",
    "面积（平方公里）",
]


def xlsx_bytes(headers: list, rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_text(headers: list, rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()


def community_rows(
    parent_code: str, n: int, *, start: int = 1, population: int = 1000
) -> list[list]:
    return [
        [
            f"{parent_code}{i:03d}",
            "社区",
            parent_code,
            f"测试{i}社区",
            f"Test {i}",
            population + i,
            "0.500",
        ]
        for i in range(start, start + n)
    ]


def upload(client, name: str, content: bytes, filename: str, **extra):
    file = SimpleUploadedFile(filename, content)
    return client.post(f"/spreadsheets/import/{name}/", {"file": file}, **extra)


def stored_import_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


def rewrite_zip(
    data: bytes, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    """A copy of the zip ``data`` with some entries replaced and others added."""
    import zipfile

    replace = replace or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()
