"""Attestations (佐证): evidence uploaded for an attestation item, reviewed by a district officer.

The evidence file follows the same rules as spreadsheet imports (culture/spreadsheets/safety.py):
a size limit, the type read from the file's first bytes and not from its name (a renamed file is
refused), no macros, and for Office files the same zip checks (entry count, declared sizes and
compression ratios, entry names, encrypted parts, DTD/entity declarations). Allowed: PDF, JPEG,
PNG, DOCX, XLSX. A PDF with scripts, launch actions or embedded files (as far as they are
visible in the file's uncompressed structure) is refused too. The file is stored under a random
name with its SHA-256.

Accepted evidence counts for its year only (the engine reads it per year); one accepted
attestation per item, unit and year (a database constraint).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import zipfile
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from culture.core.audit import audit_record, snapshot
from culture.core.errors import FieldErrors, OutOfScope, ValidationFailed
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.org.models import OrgUnit
from culture.spreadsheets import safety
from culture.spreadsheets.safety import UnsafeFile
from culture.standards import catalogue
from culture.standards.models import Attestation, AttestationStatus
from culture.standards.refresh import request_evaluation
from culture.standards.services.reporting import check_year, level_label

PDF, JPEG, PNG, DOCX, XLSX = "PDF", "JPEG", "PNG", "DOCX", "XLSX"
EXTENSIONS = {"pdf": PDF, "jpg": JPEG, "jpeg": JPEG, "png": PNG, "docx": DOCX, "xlsx": XLSX}
MAGICS = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
MACRO_EXTENSIONS = frozenset({"docm", "dotm", "xlsm", "xltm", "xlam", "pptm"})
LEGACY_EXTENSIONS = frozenset({"doc", "xls", "ppt", "wps", "et"})
PDF_ACTIVE_RE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia)(?![A-Za-z])")
TITLE_MAX = 200
AUDIT_FIELDS = (
    "indicator_id",
    "org_unit_id",
    "year",
    "title",
    "original_name",
    "sha256",
    "status",
    "uploaded_by_id",
    "reviewed_by_id",
    "review_reason",
)


def evidence_max_bytes() -> int:
    return int(getattr(settings, "CULTURE_EVIDENCE_MAX_BYTES", settings.SPREADSHEET_MAX_BYTES))


def _extension(filename: str) -> str:
    return PurePosixPath((filename or "").replace("\\", "/")).suffix.lower().lstrip(".")


def _sniff(stream: Any) -> str | None:
    """What the first bytes say the file is (None: not recognised)."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    for magic, kind in MAGICS:
        if head.startswith(magic):
            return kind
    if head.startswith(safety.OLE_MAGIC):
        return "OLE"
    if head.startswith(safety.ZIP_MAGICS):
        try:
            with zipfile.ZipFile(stream) as archive:
                names = {n.lower() for n in archive.namelist()}
        except (zipfile.BadZipFile, OSError, ValueError):
            return "ZIP"
        finally:
            stream.seek(0)
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
        return "ZIP"
    for magic, label in safety.OTHER_MAGICS:
        if head.startswith(magic):
            return label
    return None


def _check_docx(stream: Any) -> None:
    """The zip checks of safety._check_xlsx, for a Word document."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnsafeFile(_("Word 文件已损坏，无法读取")) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > settings.SPREADSHEET_MAX_ENTRIES:
            raise UnsafeFile(_("Word 文件内部部件过多，可能是恶意文件"))
        total = packed = 0
        for info in infos:
            if safety._bad_name(info.filename):
                raise UnsafeFile(_("Word 文件内部含有异常路径，可能是恶意文件"))
            if info.flag_bits & 0x1:
                raise UnsafeFile(_("Word 文件内部部件已加密，无法读取"))
            total += info.file_size
            packed += info.compress_size
            if (
                info.file_size > safety.MIN_RATIO_BYTES
                and info.file_size > settings.SPREADSHEET_MAX_RATIO * max(info.compress_size, 1)
            ):
                raise UnsafeFile(_("Word 文件内部部件的压缩比异常，疑似压缩炸弹"))
            if safety.MACRO_NAME_RE.search("/" + info.filename.lower()):
                raise UnsafeFile(_("文件包含宏（VBA）或控件，出于安全原因不接受"))
        if total > settings.SPREADSHEET_MAX_UNPACKED_BYTES:
            raise UnsafeFile(_("Word 文件解压后过大，疑似压缩炸弹"))
        for info in infos:
            lower = info.filename.lower()
            if not lower.endswith((".xml", ".rels", ".vml")):
                continue
            with archive.open(info) as part:
                flat = part.read(safety.PROLOG_BYTES).replace(b"\x00", b"")
            if safety.DTD_RE.search(flat):
                raise UnsafeFile(_("Word 文件内部的 XML 含有 DOCTYPE/ENTITY 声明，已拒绝"))
            if lower == "[content_types].xml" and b"macroenabled" in flat.lower():
                raise UnsafeFile(_("文件包含宏（VBA）或控件，出于安全原因不接受"))
    stream.seek(0)


def _check_pdf(stream: Any) -> None:
    stream.seek(0)
    data = stream.read()
    stream.seek(0)
    if PDF_ACTIVE_RE.search(data):
        raise UnsafeFile(_("PDF 文件含有脚本、自动操作或嵌入文件，出于安全原因不接受"))


def check_evidence(stream: Any, filename: str, size: int | None = None) -> str:
    """The file's extension (pdf, jpg, png, docx, xlsx) or ``UnsafeFile`` naming the problem."""
    if size is None:
        stream.seek(0, 2)
        size = stream.tell()
    limit = evidence_max_bytes()
    if size > limit:
        raise UnsafeFile(
            _("文件大小为 %(size).1f MB，超过上限 %(limit).1f MB")
            % {"size": size / 1024 / 1024, "limit": limit / 1024 / 1024}
        )
    if size == 0:
        raise UnsafeFile(_("文件是空的"))
    ext = _extension(filename)
    if ext in MACRO_EXTENSIONS:
        raise UnsafeFile(_("不接受带宏的文件（.%(ext)s）") % {"ext": ext})
    if ext in LEGACY_EXTENSIONS:
        raise UnsafeFile(
            _("不接受旧版 Office 文件（.%(ext)s），请另存为 .docx、.xlsx 或 PDF 后再上传")
            % {"ext": ext}
        )
    expected = EXTENSIONS.get(ext)
    if expected is None:
        raise UnsafeFile(
            _("不支持的文件类型“.%(ext)s”，请上传 PDF、JPEG、PNG、DOCX 或 XLSX 文件")
            % {"ext": ext or "?"}
        )
    actual = _sniff(stream)
    if actual == "OLE":
        raise UnsafeFile(_("这是旧版 Office 文件或加密的文件，无法安全读取"))
    if actual != expected:
        if actual is None:
            raise UnsafeFile(
                _("文件扩展名是 .%(ext)s，但内容不是 %(kind)s 文件（可能是改了扩展名的文件）")
                % {"ext": ext, "kind": expected}
            )
        raise UnsafeFile(
            _("文件扩展名是 .%(ext)s，但内容是 %(kind)s 文件（可能是改了扩展名的文件）")
            % {"ext": ext, "kind": actual}
        )
    if actual == XLSX:
        safety._check_xlsx(stream)  # exactly the import rules
    elif actual == DOCX:
        _check_docx(stream)
    elif actual == PDF:
        _check_pdf(stream)
    stream.seek(0)
    return "jpg" if ext == "jpeg" else ext


def _sha256(stream: Any) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def attestation_upload(
    *,
    actor: Any,
    indicator_id: str,
    org_unit: OrgUnit,
    year: int,
    title: str,
    file: Any,
    request: Any = None,
) -> Attestation:
    """Store evidence for an attestation item of ``org_unit`` in ``year`` (status pending)."""
    viewer_scope(actor).require_write(org_unit.path)
    errors: dict[str, list[str]] = {}
    indicator = catalogue.get_indicator(str(indicator_id or ""))
    if indicator is None:
        errors["indicator_id"] = [_("没有编号为 %(id)s 的指标") % {"id": indicator_id}]
    elif not indicator.is_attest:
        errors["indicator_id"] = [
            _("指标 %(id)s 不是佐证认定项，不需要上传佐证材料") % {"id": indicator.id}
        ]
    elif org_unit.level not in indicator.levels:
        errors["org_unit"] = [
            _("指标 %(id)s 按%(levels)s考核，%(level)s不能上传佐证")
            % {
                "id": indicator.id,
                "levels": "、".join(level_label(lv) for lv in indicator.levels),
                "level": level_label(org_unit.level),
            }
        ]
    year_error = check_year(year)
    if year_error:
        errors["year"] = [year_error]
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("请填写佐证标题")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("佐证标题最多 %(n)d 个字") % {"n": TITLE_MAX}]
    name = (getattr(file, "name", "") or "")[-255:]
    ext = ""
    if file is None:
        errors["file"] = [_("请选择佐证文件")]
    else:
        try:
            ext = check_evidence(file, name, getattr(file, "size", None))
        except UnsafeFile as exc:
            errors["file"] = [str(exc.message)]
    if errors or indicator is None:
        raise FieldErrors(errors)
    digest = _sha256(file)
    duplicate = (
        Attestation.objects.filter(
            indicator_id=indicator.id, org_unit=org_unit, year=year, sha256=digest
        )
        .exclude(status=AttestationStatus.REJECTED)
        .exists()
    )
    if duplicate:
        raise FieldErrors({"file": [_("同一份文件已上传过（相同内容），无需重复上传")]})
    attestation = Attestation(
        indicator_id=indicator.id,
        org_unit=org_unit,
        org_path=org_unit.path,
        year=year,
        title=title,
        original_name=name,
        sha256=digest,
        uploaded_by=actor,
    )
    attestation.evidence.save(f"{secrets.token_hex(16)}.{ext}", File(file), save=False)
    try:
        with transaction.atomic():
            attestation.save()
            audit_record(
                actor=actor,
                action="standards.attestation_uploaded",
                target=attestation,
                target_label=f"{indicator.id} {org_unit.name_zh} {year}",
                org_path=org_unit.path,
                after=snapshot(attestation, AUDIT_FIELDS),
                request=request,
            )
            request_evaluation(years=[year], trigger="attestations")
    except BaseException:
        attestation.evidence.delete(save=False)
        raise
    return attestation


def require_attestation_reviewer(actor: Any, attestation: Attestation) -> None:
    scope = viewer_scope(actor)
    if scope.is_read_only or not (scope.is_superuser or scope.has_role(Role.DISTRICT_OFFICER)):
        raise OutOfScope(_("佐证材料由区文旅局干部审核"))
    if attestation.uploaded_by_id is not None and attestation.uploaded_by_id == actor.pk:
        raise OutOfScope(_("不能审核自己上传的佐证，请由其他干部审核"))


def attestation_review(
    *,
    actor: Any,
    attestation: Attestation,
    accept: bool,
    reason: str = "",
    request: Any = None,
) -> Attestation:
    """Accept or reject pending evidence (rejecting needs a reason); then recompute the year."""
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationFailed(_("不予认定时请填写原因"), field="reason")
    if len(reason) > 500:
        raise ValidationFailed(_("审核意见最多 %(n)d 个字") % {"n": 500}, field="reason")
    with transaction.atomic():
        locked = (
            Attestation.objects.select_for_update(of=("self",))
            .select_related("org_unit")
            .get(pk=attestation.pk)
        )
        require_attestation_reviewer(actor, locked)
        if locked.status != AttestationStatus.PENDING:
            raise ValidationFailed(
                _("该佐证已审核（%(status)s），不能再次审核")
                % {"status": locked.get_status_display()},
                field="status",
            )
        if (
            accept
            and Attestation.objects.filter(
                indicator_id=locked.indicator_id,
                org_unit_id=locked.org_unit_id,
                year=locked.year,
                status=AttestationStatus.ACCEPTED,
            ).exists()
        ):
            raise ValidationFailed(
                _("该单位本年度此项已有一份已认定的佐证，无需再认定"), field="status"
            )
        before = snapshot(locked, AUDIT_FIELDS)
        locked.status = AttestationStatus.ACCEPTED if accept else AttestationStatus.REJECTED
        locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
        locked.review_reason = reason
        try:
            with transaction.atomic():
                locked.save(
                    update_fields=[
                        "status",
                        "reviewed_by",
                        "reviewed_at",
                        "review_reason",
                        "updated_at",
                    ]
                )
        except IntegrityError:
            raise ValidationFailed(
                _("该单位本年度此项已有一份已认定的佐证，无需再认定"), field="status"
            ) from None
        audit_record(
            actor=actor,
            action="standards.attestation_accepted" if accept else "standards.attestation_rejected",
            target=locked,
            target_label=f"{locked.indicator_id} {locked.org_unit.name_zh} {locked.year}",
            org_path=locked.org_path,
            before=before,
            after=snapshot(locked, AUDIT_FIELDS),
            request=request,
        )
        request_evaluation(years=[locked.year], trigger="attestations")
    return locked
