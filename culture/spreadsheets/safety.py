"""Checks an uploaded spreadsheet before anything parses it.

Order: size; legacy/other binary formats by their first bytes; then for xlsx (a zip) the central
directory only (entry count, declared unpacked size, compression ratio per entry and overall, entry
names), macros, that it is really an OOXML workbook, and no DTD/entity declarations in any XML part.
Python's zipfile never inflates an entry past its declared size, so checking the declared sizes
bounds the work openpyxl can be made to do. Each refusal is an ``UnsafeFile`` with a message that
names the problem; nothing is stored or written before these checks pass.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from culture.core.errors import ValidationFailed

XLSX = "xlsx"
CSV = "csv"
MARC = "marc"  # ISO 2709 records (MARC21 / CNMARC), only for importers with ``accepts_marc``
MARC_EXTENSIONS = ("mrc", "iso", "marc")
MARC_LEADER = re.compile(rb"[0-9]{5}[\x20-\x7e]{7}[0-9]{5}[\x20-\x7e]{7}")
MARC_RECORD_END = 0x1D

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# First bytes of formats people rename by mistake (or on purpose).
OTHER_MAGICS = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"%PDF", "PDF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"MZ", "EXE"),
    (b"\x7fELF", "ELF"),
)
MACRO_NAME_RE = re.compile(r"(vbaproject\.bin|vbadata\.xml|/macrosheets/|/activex/)", re.I)
DTD_RE = re.compile(rb"<!\s*(doctype|entity)", re.I)
ROOT_RE = re.compile(rb"<[A-Za-z_]")
MIN_RATIO_BYTES = 1024 * 1024  # ratio checks apply to entries that inflate past 1 MiB
PROLOG_BYTES = 64 * 1024
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class UnsafeFile(ValidationFailed):
    """The upload is refused before parsing."""

    code = "unsafe_file"


class MarcUnreadable(UnsafeFile):
    """An ISO 2709 file whose record number ``record`` (1-based) cannot be read."""

    def __init__(self, message: Any, record: int):
        super().__init__(message)
        self.record = record


@dataclass(frozen=True)
class Checked:
    kind: str  # "xlsx" | "csv" | "marc"
    size: int


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}"


def _extension(filename: str) -> str:
    return PurePosixPath((filename or "").replace("\\", "/")).suffix.lower().lstrip(".")


def _sniff_other(head: bytes) -> str | None:
    for magic, label in OTHER_MAGICS:
        if head.startswith(magic):
            return label
    return None


def check_upload(
    stream: Any, filename: str, size: int | None = None, *, marc: bool = False
) -> Checked:
    """Raise ``UnsafeFile`` unless ``stream`` is a spreadsheet we are willing to parse (or, when
    ``marc`` -- the importer accepts MARC -- an ISO 2709 file of well-formed records)."""
    if size is None:
        stream.seek(0, io.SEEK_END)
        size = stream.tell()
    limit = settings.SPREADSHEET_MAX_BYTES
    if size > limit:
        raise UnsafeFile(
            _("文件大小为 %(size)s MB，超过上限 %(limit)s MB，请拆分后分批导入")
            % {"size": _mb(size), "limit": _mb(limit)}
        )
    if size == 0:
        raise UnsafeFile(_("文件是空的"))
    ext = _extension(filename)
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if ext in ("xlsm", "xltm", "xlam"):
        raise UnsafeFile(
            _("不接受带宏的 Excel 文件（.%(ext)s），请另存为 .xlsx 后再上传") % {"ext": ext}
        )
    if head.startswith(OLE_MAGIC):
        raise UnsafeFile(
            _(
                "这是旧版 Excel（.xls）或加密的文件，无法安全读取。请在 Excel 中“另存为” .xlsx（不加密码）后再上传"
            )
        )
    if ext == "xls":
        raise UnsafeFile(_("不接受旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 后再上传"))
    other = _sniff_other(head)
    if ext in MARC_EXTENSIONS:
        if not marc:
            raise UnsafeFile(
                _("这个导入类型不接受 MARC 文件（.%(ext)s），请上传 .xlsx 或 .csv 文件")
                % {"ext": ext}
            )
        if other or head.startswith(ZIP_MAGICS):
            raise UnsafeFile(
                _("文件扩展名是 .%(ext)s，但内容是 %(kind)s 文件，不是 MARC 记录")
                % {"ext": ext, "kind": other or "ZIP"}
            )
        data = stream.read()
        stream.seek(0)
        check_marc(data)
        return Checked(MARC, size)
    if ext == "xlsx":
        if other:
            raise UnsafeFile(
                _("文件扩展名是 .xlsx，但内容是 %(kind)s 文件，不是 Excel 工作簿") % {"kind": other}
            )
        if not head.startswith(ZIP_MAGICS):
            raise UnsafeFile(
                _("文件扩展名是 .xlsx，但内容不是 Excel 工作簿（可能是改了扩展名的文件）")
            )
        _check_xlsx(stream)
        return Checked(XLSX, size)
    if ext in ("csv", "txt"):
        if other:
            raise UnsafeFile(_("文件扩展名是 .csv，但内容是 %(kind)s 文件") % {"kind": other})
        if head.startswith(ZIP_MAGICS):
            raise UnsafeFile(
                _(
                    "文件扩展名是 .csv，但内容是压缩包或 Excel 工作簿，请把扩展名改回 .xlsx 或另存为 CSV"
                )
            )
        data = stream.read()
        stream.seek(0)
        if b"\x00" in data and not data.startswith(UTF16_BOMS):
            raise UnsafeFile(_("文件扩展名是 .csv，但内容是二进制数据，不是文本表格"))
        decode_csv(data)
        return Checked(CSV, size)
    if marc:
        raise UnsafeFile(
            _("不支持的文件类型“.%(ext)s”，请上传 .xlsx、.csv 或 MARC（.mrc/.iso）文件")
            % {"ext": ext or "?"}
        )
    raise UnsafeFile(
        _("不支持的文件类型“.%(ext)s”，请上传 .xlsx 或 .csv 文件") % {"ext": ext or "?"}
    )


def check_marc(data: bytes) -> int:
    """Walk the ISO 2709 records of ``data`` by their leaders without parsing them: each leader
    is 24 bytes with a 5-digit record length and base address; each record ends with the record
    terminator (0x1D) exactly where its length says. Trailing line breaks are allowed. Returns the
    number of records; raises ``MarcUnreadable`` naming the first bad record."""
    end = len(data.rstrip(b"\r\n\x1a "))
    if end == 0:
        raise MarcUnreadable(_("文件中没有 MARC 记录"), 0)
    pos, number = 0, 0
    while pos < end:
        number += 1
        leader = data[pos : pos + 24]
        if len(leader) < 24 or not MARC_LEADER.fullmatch(leader):
            raise MarcUnreadable(
                _(
                    "第 %(n)d 条记录无法读取：记录头区（24 字节，以 5 位数字的记录长度开头）不正确，"
                    "文件可能不是 ISO 2709 格式的 MARC 文件"
                )
                % {"n": number},
                number,
            )
        length = int(leader[:5])
        base = int(leader[12:17])
        if length < 26 or base < 25 or base >= length:
            raise MarcUnreadable(
                _("第 %(n)d 条记录无法读取：记录头区中的记录长度 %(length)d 不正确")
                % {"n": number, "length": length},
                number,
            )
        if pos + length > len(data):
            raise MarcUnreadable(
                _("第 %(n)d 条记录无法读取：文件在记录中间结束（文件不完整）") % {"n": number},
                number,
            )
        if data[pos + length - 1] != MARC_RECORD_END:
            raise MarcUnreadable(
                _("第 %(n)d 条记录无法读取：记录长度与内容不符（没有记录结束符）") % {"n": number},
                number,
            )
        pos += length
        while pos < end and data[pos] in b"\r\n":
            pos += 1
    return number


def decode_csv(data: bytes) -> str:
    """UTF-16 with a BOM (Excel's "Unicode text"), else UTF-8 (with or without BOM), then
    GB18030 (a superset of GBK)."""
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnsafeFile(_("无法识别 CSV 文件的编码，请另存为“CSV UTF-8”格式")) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise UnsafeFile(_("无法识别 CSV 文件的编码，请另存为“CSV UTF-8”格式")) from None


def _bad_name(name: str) -> bool:
    if "\\" in name or name.startswith("/") or "\x00" in name:
        return True
    if re.match(r"^[A-Za-z]:", name):
        return True
    return any(part == ".." for part in name.split("/"))


def _check_xlsx(stream: Any) -> None:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnsafeFile(_("Excel 文件已损坏，无法读取（不是完整的 .xlsx 压缩包）")) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > settings.SPREADSHEET_MAX_ENTRIES:
            raise UnsafeFile(
                _("Excel 文件内部包含 %(n)d 个部件，超过上限 %(limit)d，可能是恶意文件")
                % {"n": len(infos), "limit": settings.SPREADSHEET_MAX_ENTRIES}
            )
        total = 0
        packed = 0
        names = set()
        for info in infos:
            if _bad_name(info.filename):
                raise UnsafeFile(
                    _("Excel 文件内部含有异常路径“%(name)s”，可能是恶意文件")
                    % {"name": info.filename[:80]}
                )
            if info.flag_bits & 0x1:
                raise UnsafeFile(_("Excel 文件内部部件已加密，无法读取"))
            names.add(info.filename.lower())
            total += info.file_size
            packed += info.compress_size
            if (
                info.file_size > MIN_RATIO_BYTES
                and info.file_size > settings.SPREADSHEET_MAX_RATIO * max(info.compress_size, 1)
            ):
                raise UnsafeFile(
                    _(
                        "Excel 文件内部部件“%(name)s”的压缩比异常（解压后 %(size)s MB），疑似压缩炸弹"
                    )
                    % {"name": info.filename[:80], "size": _mb(info.file_size)}
                )
        if total > settings.SPREADSHEET_MAX_UNPACKED_BYTES:
            raise UnsafeFile(
                _("Excel 文件解压后共 %(size)s MB，超过上限 %(limit)s MB，疑似压缩炸弹")
                % {"size": _mb(total), "limit": _mb(settings.SPREADSHEET_MAX_UNPACKED_BYTES)}
            )
        if total > MIN_RATIO_BYTES and total > settings.SPREADSHEET_MAX_RATIO * max(packed, 1):
            raise UnsafeFile(_("Excel 文件整体压缩比异常，疑似压缩炸弹"))
        if any(MACRO_NAME_RE.search("/" + n) for n in names):
            raise UnsafeFile(
                _("文件包含宏（VBA）或控件，出于安全原因不接受，请另存为不含宏的 .xlsx")
            )
        if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
            raise UnsafeFile(
                _("文件是压缩包但不是 Excel 工作簿（缺少工作簿结构），请用 Excel 另存为 .xlsx")
            )
        for info in infos:
            lower = info.filename.lower()
            if not (lower.endswith(".xml") or lower.endswith(".rels") or lower.endswith(".vml")):
                continue
            with archive.open(info) as part:
                prolog = part.read(PROLOG_BYTES)
            flat = prolog.replace(b"\x00", b"")  # UTF-16 parts: look at the ASCII bytes
            if DTD_RE.search(flat):
                raise UnsafeFile(
                    _(
                        "Excel 文件内部的 XML 含有 DOCTYPE/ENTITY 声明（可被用于实体膨胀攻击），已拒绝"
                    )
                )
            if lower == "[content_types].xml" and b"macroenabled" in flat.lower():
                raise UnsafeFile(
                    _("文件包含宏（VBA）或控件，出于安全原因不接受，请另存为不含宏的 .xlsx")
                )
            if info.file_size > len(prolog) and not ROOT_RE.search(flat):
                raise UnsafeFile(_("Excel 文件内部的 XML 结构异常，已拒绝"))
    stream.seek(0)
