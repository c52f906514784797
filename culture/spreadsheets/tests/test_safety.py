"""Hostile and broken uploads are refused before parsing, with a clear message, writing nothing."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from culture.core.models import AuditEntry
from culture.org.models import OrgUnit
from culture.spreadsheets.models import ImportJob
from culture.spreadsheets.tests.helpers import (
    ORG_HEADERS,
    community_rows,
    rewrite_zip,
    stored_import_files,
    upload,
    xlsx_bytes,
)

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol4;</t></is></c></row></sheetData></worksheet>
"""


def good_xlsx(tree) -> bytes:
    return xlsx_bytes(ORG_HEADERS, community_rows(tree["s1"].code, 3, start=50))


def zip_with(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in entries.items():
            z.writestr(name, content)
    return out.getvalue()


def assert_refused(client, content: bytes, filename: str, *message_parts: str) -> None:
    units = OrgUnit.objects.count()
    response = upload(client, "org_units", content, filename)
    assert response.status_code == 422
    text = response.content.decode()
    for part in message_parts:
        assert part in text
    assert OrgUnit.objects.count() == units
    assert ImportJob.objects.count() == 0
    assert stored_import_files() == []
    refused = AuditEntry.objects.filter(action="spreadsheets.import_refused").first()
    assert refused is not None and refused.after["file"] == filename


@pytest.fixture
def officer(users, login):
    return login(users["district"])


def test_a_good_xlsx_passes_the_checks(officer, tree):
    response = upload(officer, "org_units", good_xlsx(tree), "好的.xlsx")
    assert response.status_code == 302
    assert ImportJob.objects.get().status == "done"
    assert OrgUnit.objects.filter(code__startswith=f"{tree['s1'].code}05").count() == 3


def test_oversized_file_is_refused(officer, settings):
    settings.SPREADSHEET_MAX_BYTES = 1024 * 1024
    content = ("区划代码,名称\n" + "330105001001,某社区\n" * 60000).encode()
    assert len(content) > 1024 * 1024
    assert_refused(officer, content, "big.csv", "超过上限 1.0 MB")


def test_zip_bomb_entry_ratio_is_refused(officer, tree):
    bomb = zip_with(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"<worksheet>"
            + b"0" * (30 * 1024 * 1024)
            + b"</worksheet>",
        }
    )
    assert len(bomb) < 200 * 1024
    assert_refused(officer, bomb, "bomb.xlsx", "压缩比异常", "xl/worksheets/sheet1.xml")


def test_zip_bomb_total_unpacked_size_is_refused(officer, settings):
    settings.SPREADSHEET_MAX_UNPACKED_BYTES = 2 * 1024 * 1024
    settings.SPREADSHEET_MAX_RATIO = 10_000
    bomb = zip_with(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            **{
                f"xl/worksheets/sheet{i}.xml": b"<worksheet>" + b"1" * 1024 * 1024 + b"</worksheet>"
                for i in range(3)
            },
        }
    )
    assert_refused(officer, bomb, "bomb.xlsx", "解压后共", "疑似压缩炸弹")


def test_too_many_entries_is_refused(officer, tree, settings):
    settings.SPREADSHEET_MAX_ENTRIES = 50
    many = rewrite_zip(good_xlsx(tree), add={f"xl/media/image{i}.png": b"x" for i in range(60)})
    assert_refused(officer, many, "many.xlsx", "个部件，超过上限 50")


@pytest.mark.parametrize(
    "entry", ["../../etc/cron.d/evil", "/etc/passwd", "xl\\..\\evil.xml", "C:/evil.xml"]
)
def test_path_tricks_in_entry_names_are_refused(officer, tree, entry):
    tricked = rewrite_zip(good_xlsx(tree), add={entry: b"x"})
    assert_refused(officer, tricked, "paths.xlsx", "异常路径")


def test_vba_project_inside_xlsx_is_refused(officer, tree):
    macro = rewrite_zip(good_xlsx(tree), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})
    assert_refused(officer, macro, "macro.xlsx", "宏")


def test_macro_enabled_content_type_is_refused(officer, tree):
    data = good_xlsx(tree)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        types = z.read("[Content_Types].xml")
    types = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    assert b"macroEnabled" in types
    assert_refused(
        officer, rewrite_zip(data, replace={"[Content_Types].xml": types}), "m.xlsx", "宏"
    )


def test_xlsm_extension_is_refused(officer, tree):
    assert_refused(officer, good_xlsx(tree), "book.xlsm", "不接受带宏的 Excel 文件")


def test_png_renamed_to_xlsx_is_refused(officer):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 100
    assert_refused(officer, png, "photo.xlsx", "内容是 PNG 文件，不是 Excel 工作簿")


def test_pdf_renamed_to_xlsx_is_refused(officer):
    assert_refused(
        officer, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "report.xlsx", "内容是 PDF 文件"
    )


def test_plain_zip_renamed_to_xlsx_is_refused(officer):
    archive = zip_with({"readme.txt": b"hello"})
    assert_refused(officer, archive, "archive.xlsx", "不是 Excel 工作簿")


def test_legacy_xls_is_refused_with_advice_to_save_as_xlsx(officer):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    assert_refused(officer, ole, "old.xls", "旧版 Excel（.xls）", "另存为")
    assert_refused(officer, ole, "disguised.xlsx", "旧版 Excel（.xls）")


def test_binary_file_named_csv_is_refused(officer):
    assert_refused(officer, b"abc\x00\x01\x02\x03" * 100, "data.csv", "二进制")


def test_xlsx_named_csv_is_refused(officer, tree):
    assert_refused(officer, good_xlsx(tree), "data.csv", "压缩包或 Excel 工作簿")


def test_unknown_file_type_is_refused(officer):
    assert_refused(officer, b"just text", "notes.docx", "不支持的文件类型")


def test_billion_laughs_in_a_sheet_is_refused(officer, tree):
    data = rewrite_zip(good_xlsx(tree), replace={"xl/worksheets/sheet1.xml": BILLION_LAUGHS})
    assert_refused(officer, data, "laughs.xlsx", "DOCTYPE/ENTITY")


def test_entity_in_utf16_xml_is_refused(officer, tree):
    data = rewrite_zip(
        good_xlsx(tree),
        replace={
            "xl/worksheets/sheet1.xml": BILLION_LAUGHS.decode()
            .replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
            .encode("utf-16")
        },
    )
    assert_refused(officer, data, "laughs16.xlsx", "DOCTYPE/ENTITY")


def test_refusal_is_shown_in_the_htmx_form_area(officer):
    units = OrgUnit.objects.count()
    response = upload(officer, "org_units", b"%PDF-1.4", "x.xlsx", HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps only 2xx answers
    assert 'data-testid="upload-error"' in response.content.decode()
    assert "PDF" in response.content.decode()
    assert OrgUnit.objects.count() == units and ImportJob.objects.count() == 0


def test_csv_in_no_known_encoding_is_refused(officer):
    assert_refused(
        officer,
        "区划代码,名称\n".encode() + b"\x80\x81,\xff\n",
        "enc.csv",
        "无法识别 CSV 文件的编码",
    )


def test_a_cell_in_the_last_column_and_row_does_not_blow_up_reading(officer, tree):
    wb = Workbook()
    ws = wb.active
    ws.append(ORG_HEADERS)
    ws.append(["330105001081", "社区", "330105001", "远端社区", "", 10, ""])
    ws["XFD1048576"] = "far away"
    out = io.BytesIO()
    wb.save(out)
    response = upload(officer, "org_units", out.getvalue(), "far.xlsx")
    assert response.status_code == 302
    job = ImportJob.objects.get()
    # The far cell has no header, so it is ignored.
    assert job.status == "done" and job.counts["created"] == 1
