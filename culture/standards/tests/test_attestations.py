"""Attestations: the evidence file rules (the import rules), upload scope, review by a district
officer, and that accepted evidence counts for its year only."""

# ruff: noqa: F811 (the shared fixtures are imported, then named as test arguments)

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from culture.core.errors import FieldErrors, OutOfScope, ValidationFailed
from culture.core.models import AuditEntry
from culture.spreadsheets.tests.helpers import rewrite_zip
from culture.standards.engine import evaluate_compute
from culture.standards.models import Attestation
from culture.standards.services.attestations import attestation_review, attestation_upload
from culture.standards.tests.reporting_fixtures import (  # noqa: F401 (fixtures)
    evaluations,
    officers,
    test_catalogue,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_catalogue")]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17


def docx(extra: dict[str, bytes] | None = None, document: bytes | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types></Types>')
        z.writestr("word/document.xml", document or b"<w:document>evidence</w:document>")
        for name, content in (extra or {}).items():
            z.writestr(name, content)
    return out.getvalue()


def xlsx() -> bytes:
    wb = Workbook()
    wb.active.append(["评估得分", 92])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload(actor, unit, content=PDF, name="评估报告.pdf", indicator="T08", year=2025, title="3A"):
    return attestation_upload(
        actor=actor,
        indicator_id=indicator,
        org_unit=unit,
        year=year,
        title=title,
        file=SimpleUploadedFile(name, content),
    )


def test_a_pdf_is_stored_under_a_random_name_with_its_sha256_and_audited(
    tree, officers, media_root, evaluations
):
    a = upload(officers["district"], tree["district"], title="运河博物院3A景区批复")
    assert (a.status, a.indicator_id, a.year, a.original_name) == (
        "pending",
        "T08",
        2025,
        "评估报告.pdf",
    )
    assert a.sha256 == hashlib.sha256(PDF).hexdigest()
    [stored] = stored_files(media_root)
    assert stored.read_bytes() == PDF and stored.suffix == ".pdf" and "评估" not in stored.name
    entry = AuditEntry.objects.get(action="standards.attestation_uploaded")
    assert entry.after["sha256"] == a.sha256 and entry.after["status"] == "pending"
    assert evaluations == [([2025], "attestations")]


@pytest.mark.parametrize(
    "content,name",
    [(JPEG, "现场照片.jpg"), (JPEG, "photo.JPEG"), (PNG, "截图.png"), ("docx", "报告.docx"),
     ("xlsx", "得分.xlsx")],
)  # fmt: skip
def test_every_allowed_type_is_accepted(tree, officers, content, name):
    content = {"docx": docx, "xlsx": xlsx}.get(content, lambda: content)()
    assert upload(officers["district"], tree["district"], content, name).status == "pending"


@pytest.mark.parametrize(
    "content,name,message",
    [
        (PNG, "评估报告.pdf", "文件扩展名是 .pdf，但内容是 PNG 文件（可能是改了扩展名的文件）"),
        (b"MZ\x90\x00" + b"\x00" * 60, "report.pdf", "内容是 EXE 文件"),
        (b"just some text", "report.pdf", "文件扩展名是 .pdf，但内容不是 PDF 文件"),
        (PDF, "report.docx", "文件扩展名是 .docx，但内容是 PDF 文件"),
        ("xlsx", "report.docx", "文件扩展名是 .docx，但内容是 XLSX 文件"),
        ("docx", "report.docm", "不接受带宏的文件（.docm）"),
        ("macro_docx", "report.docx", "文件包含宏（VBA）或控件"),
        ("macro_xlsx", "report.xlsx", "文件包含宏（VBA）或控件"),
        ("dtd_docx", "report.docx", "DOCTYPE/ENTITY"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "report.doc", "不接受旧版 Office 文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "report.docx", "旧版 Office 文件或加密"),
        (b"hello", "notes.txt", "不支持的文件类型“.txt”"),
        (PDF.replace(b"/Pages 2 0 R", b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
         "report.pdf", "PDF 文件含有脚本"),
        (b"", "empty.pdf", "文件是空的"),
    ],
)  # fmt: skip
def test_unsafe_or_renamed_files_are_refused_and_nothing_is_stored(
    tree, officers, media_root, content, name, message
):
    builders = {
        "docx": docx,
        "xlsx": xlsx,
        "macro_docx": lambda: docx({"word/vbaProject.bin": b"\x00macro"}),
        "macro_xlsx": lambda: rewrite_zip(xlsx(), add={"xl/vbaProject.bin": b"\x00macro"}),
        "dtd_docx": lambda: docx(document=b'<!DOCTYPE x [<!ENTITY a "b">]><w:document/>'),
    }
    content = builders[content]() if isinstance(content, str) else content
    with pytest.raises(FieldErrors) as excinfo:
        upload(officers["district"], tree["district"], content, name)
    assert message in str(excinfo.value.errors["file"][0])
    assert stored_files(media_root) == []
    assert not Attestation.objects.exists()


def test_a_file_over_the_size_limit_is_refused(tree, officers, settings):
    settings.CULTURE_EVIDENCE_MAX_BYTES = 1024 * 1024
    big = PDF + b"0" * (2 * 1024 * 1024)
    with pytest.raises(FieldErrors) as excinfo:
        upload(officers["district"], tree["district"], big)
    assert excinfo.value.errors["file"] == ["文件大小为 2.0 MB，超过上限 1.0 MB"]


def test_the_same_file_twice_is_refused(tree, officers):
    upload(officers["district"], tree["district"])
    with pytest.raises(FieldErrors, match="同一份文件已上传过"):
        upload(officers["district"], tree["district"], title="再传一次")


@pytest.mark.parametrize(
    "indicator,unit,field,message",
    [
        ("S52", "c11", "indicator_id", "指标 S52 不是佐证认定项，不需要上传佐证材料"),
        ("T08", "s1", "org_unit", "指标 T08 按区考核，街道不能上传佐证"),
        ("X99", "district", "indicator_id", "没有编号为 X99 的指标"),
    ],
)
def test_only_attestation_items_at_their_levels(tree, officers, indicator, unit, field, message):
    with pytest.raises(FieldErrors) as excinfo:
        upload(officers["district"], tree[unit], indicator=indicator)
    assert excinfo.value.errors[field] == [message]


def test_uploads_are_scoped(tree, officers):
    with pytest.raises(OutOfScope):
        upload(officers["subdistrict"], tree["s2"], indicator="S53")
    with pytest.raises(OutOfScope):
        upload(officers["evaluator"], tree["district"])
    assert upload(officers["subdistrict"], tree["s1"], indicator="S53").status == "pending"


# ----- review ------------------------------------------------------------------------------------
def test_a_district_officer_accepts_audited_and_recomputed(tree, officers, evaluations):
    a = upload(officers["subdistrict"], tree["s1"], indicator="S53")
    done = attestation_review(actor=officers["district"], attestation=a, accept=True)
    assert (done.status, done.reviewed_by) == ("accepted", officers["district"])
    entry = AuditEntry.objects.get(action="standards.attestation_accepted")
    assert (entry.before["status"], entry.after["status"]) == ("pending", "accepted")
    assert evaluations[-1] == ([2025], "attestations")


@pytest.mark.parametrize(
    "reviewer,message",
    [("subdistrict", "由区文旅局干部审核"), ("evaluator", "由区文旅局干部审核"),
     ("district", "不能审核自己上传的佐证")],
)  # fmt: skip
def test_who_may_not_review(tree, officers, reviewer, message):
    a = upload(officers["district"], tree["district"])
    with pytest.raises(OutOfScope, match=message):
        attestation_review(actor=officers[reviewer], attestation=a, accept=True)


def test_rejecting_needs_a_reason_and_one_accepted_per_item_and_year(tree, officers):
    a = upload(officers["subdistrict"], tree["s1"], indicator="S53")
    b = upload(officers["subdistrict"], tree["s1"], PNG, "b.png", indicator="S53")
    with pytest.raises(ValidationFailed, match="不予认定时请填写原因"):
        attestation_review(actor=officers["district"], attestation=a, accept=False)
    attestation_review(actor=officers["district"], attestation=a, accept=True)
    with pytest.raises(ValidationFailed, match="已有一份已认定的佐证"):
        attestation_review(actor=officers["district"], attestation=b, accept=True)
    rejected = attestation_review(
        actor=officers["district"], attestation=b, accept=False, reason="重复材料"
    )
    assert (rejected.status, rejected.review_reason) == ("rejected", "重复材料")
    with pytest.raises(ValidationFailed, match="该佐证已审核"):
        attestation_review(actor=officers["district"], attestation=a, accept=False, reason="x")


def test_accepted_evidence_counts_for_its_year_only(tree, officers):
    a = upload(officers["subdistrict"], tree["s1"], indicator="S53", year=2025)

    def s53(year):
        _ctx, rows = evaluate_compute(year, only=["S53"])
        [row] = [r for r in rows if r.org_unit_id == tree["s1"].pk]
        return row.status, row.source, row.parts.get("attestation")

    assert s53(2025) == ("no_data", "", "pending")
    attestation_review(actor=officers["district"], attestation=a, accept=True)
    assert s53(2025) == ("met", "attested", "accepted")
    assert s53(2024) == ("no_data", "", None)
