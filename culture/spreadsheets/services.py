"""Writes of the spreadsheets app: creating and running import jobs, and audited exports."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from culture.core.audit import audit_record, mask_text
from culture.core.errors import FieldErrors, NotFound, ServiceError, ValidationFailed
from culture.spreadsheets.framework import CellError, Column, Exporter, get_exporter, get_importer
from culture.spreadsheets.models import ImportJob, ImportStatus
from culture.spreadsheets.processing import validate_table
from culture.spreadsheets.reading import read_table
from culture.spreadsheets.safety import CSV, XLSX, UnsafeFile, check_upload
from culture.spreadsheets.writing import export_csv_lines, export_xlsx, marked_workbook

logger = logging.getLogger(__name__)
SAVE_RESULTS = ("created", "updated", "unchanged")
MAX_STORED_ERRORS = 2000


class JobRequest:
    """What a service sees as ``request`` when an import runs in the background worker: the
    uploader's address for the audit log."""

    def __init__(self, job: ImportJob):
        self.META = {"REMOTE_ADDR": job.ip} if job.ip else {}
        self.user = job.user


def _importer_class(name: str):
    cls = get_importer(name)
    if cls is None:
        raise NotFound(_("没有名为“%(name)s”的导入类型") % {"name": name})
    return cls


def import_job_create(
    *, actor: Any, importer_name: str, upload: UploadedFile, request: Any = None
) -> ImportJob:
    """Check the upload (nothing is stored when it is refused), store it under
    MEDIA_ROOT/imports/ with a random name, and queue the background import."""
    cls = _importer_class(importer_name)
    cls.require_allowed(actor)
    name = (upload.name or "")[-255:]
    try:
        checked = check_upload(upload, name, upload.size, marc=cls.accepts_marc)
    except UnsafeFile as exc:
        audit_record(
            actor=actor,
            action="spreadsheets.import_refused",
            target_label=name,
            after={
                "importer": importer_name,
                "file": name,
                "size": upload.size,
                "reason": str(exc.message),
            },
            request=request,
        )
        raise
    job = _store_job(
        actor=actor,
        importer_name=importer_name,
        upload=upload,
        name=name,
        kind=checked.kind,
        request=request,
    )
    run_import.enqueue(str(job.pk))
    job.refresh_from_db()
    return job


@transaction.atomic
def _store_job(
    *, actor: Any, importer_name: str, upload: UploadedFile, name: str, kind: str, request: Any
) -> ImportJob:
    upload.seek(0)
    stored = default_storage.save(f"imports/{secrets.token_hex(16)}.{kind}", upload)
    return ImportJob.objects.create(
        user=actor,
        importer=importer_name,
        original_name=name,
        kind=kind,
        file=stored,
        language=translation.get_language() or "zh-hans",
        ip=request.META.get("REMOTE_ADDR") if request is not None else None,
    )


def _set(job: ImportJob, **fields: Any) -> None:
    for k, v in fields.items():
        setattr(job, k, v)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def _progress(job: ImportJob, total: int) -> Callable[[int], None]:
    step = max(1, total // 50)

    def report(done: int) -> None:
        if done % step == 0 or done == total:
            _set(job, rows_done=done)

    return report


def _error_dicts(errors: list[CellError]) -> list[dict[str, Any]]:
    out = []
    for e in errors[:MAX_STORED_ERRORS]:
        d = e.as_dict()
        d["value"] = mask_text(d["value"])  # personal numbers never shown in full on the page
        d["reason"] = mask_text(d["reason"])
        out.append(d)
    return out


def import_job_run(*, job_id: str) -> ImportJob | None:
    """The background task body: parse, validate every row, then save all rows in ONE
    transaction (or none); records the outcome on the job."""
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.finished:
        return job
    with translation.override(job.language):
        try:
            _run(job)
        except ServiceError as exc:
            _set(
                job,
                status=ImportStatus.FAILED,
                message=mask_text(str(exc.message)),
                finished_at=timezone.now(),
            )
        except Exception:
            logger.exception("import job %s failed", job.pk)
            _set(
                job,
                status=ImportStatus.FAILED,
                message=_("导入时发生内部错误，没有保存任何数据。请联系管理员。"),
                finished_at=timezone.now(),
            )
        finally:
            if job.file:
                default_storage.delete(job.file.name)
                _set(job, file="")
    return job


@task()
def run_import(job_id: str) -> str:
    """Background task (django-tasks; the database backend in deployments, immediate in tests)."""
    job = import_job_run(job_id=job_id)
    return job.status if job is not None else "missing"


def _run(job: ImportJob) -> None:
    cls = _importer_class(job.importer)
    cls.require_allowed(job.user)
    importer = cls()
    _set(job, status=ImportStatus.VALIDATING)
    with default_storage.open(job.file.name, "rb") as stream:
        # again: the stored file is what gets parsed
        check_upload(stream, job.original_name, marc=cls.accepts_marc)
        table = read_table(stream, job.kind, cls)
    _set(job, rows_total=len(table.rows), rows_done=0)
    result = validate_table(
        importer, table, viewer=job.user, progress=_progress(job, len(table.rows))
    )
    if not table.rows and result.ok:
        raise ValidationFailed(_("文件中没有数据行"))
    if not result.ok:
        marked = marked_workbook(result.headers, table.rows, result.errors)
        stored = default_storage.save(
            f"imports/{secrets.token_hex(16)}-marked.xlsx", ContentFile(marked)
        )
        bad_rows = len({e.row for e in result.errors})
        _set(
            job,
            status=ImportStatus.INVALID,
            errors=_error_dicts(result.errors),
            error_count=len(result.errors),
            marked_file=stored,
            finished_at=timezone.now(),
            message=_("%(rows)d 行有错误，共 %(n)d 处；没有导入任何数据。")
            % {"rows": bad_rows, "n": len(result.errors)},
        )
        audit_record(
            actor=job.user,
            action="spreadsheets.import_rejected",
            target=job,
            target_label=job.original_name,
            after={
                "importer": job.importer,
                "file": job.original_name,
                "errors": len(result.errors),
            },
            request=JobRequest(job),
        )
        return
    _set(job, status=ImportStatus.SAVING)
    counts = _save_all(job, importer, result.rows)
    _set(
        job,
        status=ImportStatus.DONE,
        counts=counts,
        rows_done=len(table.rows),
        finished_at=timezone.now(),
        message=_("导入完成：新增 %(created)d 条，更新 %(updated)d 条，未变 %(unchanged)d 条。")
        % counts,
    )


def _save_all(
    job: ImportJob, importer: Any, rows: list[tuple[int, dict[str, Any]]]
) -> dict[str, int]:
    request = JobRequest(job)
    try:
        return import_rows_save(
            importer,
            rows,
            actor=job.user,
            request=request,
            audit={"target": job, "target_label": job.original_name},
            audit_after={"importer": job.importer, "file": job.original_name},
        )
    except RowSaveFailed as exc:
        _set(
            job,
            errors=_error_dicts([CellError(exc.row, "", "", "", exc.reason)]),
            error_count=1,
        )
        raise ValidationFailed(
            _("第 %(row)d 行保存失败（%(reason)s），全部数据均未导入。")
            % {"row": exc.row, "reason": exc.reason}
        ) from None


class RowSaveFailed(ValidationFailed):
    """A service refused row ``row`` while saving; the transaction was rolled back."""

    def __init__(self, row: int, reason: str):
        super().__init__(reason)
        self.row = row
        self.reason = reason


def import_rows_save(
    importer: Any,
    rows: list[tuple[int, dict[str, Any]]],
    *,
    actor: Any,
    request: Any,
    audit: dict[str, Any],
    audit_after: dict[str, Any],
) -> dict[str, int]:
    """Save validated rows in ONE transaction (all or nothing) through ``importer.save_row``, with
    one "spreadsheets.imported" audit entry; the upload jobs and ``import_marc`` both use it.
    Raises ``RowSaveFailed`` (nothing saved) when a service refuses a row."""
    counts = dict.fromkeys(SAVE_RESULTS, 0)
    number = 0
    try:
        with transaction.atomic():
            for row_number, row in rows:
                number = row_number
                outcome = importer.save_row(row, actor=actor, request=request)
                if outcome not in counts:
                    raise ValueError(f"{type(importer).__name__}.save_row returned {outcome!r}")
                counts[outcome] += 1
            audit_record(
                actor=actor,
                action="spreadsheets.imported",
                request=request,
                after={**audit_after, **counts},
                **audit,
            )
    except ServiceError as exc:
        reason = str(exc.message)
        if isinstance(exc, FieldErrors) and exc.errors:
            reason = "；".join(str(m) for msgs in exc.errors.values() for m in msgs)
        raise RowSaveFailed(number, reason) from None
    return counts


# ----- exports -------------------------------------------------------------------------------
def _exporter_class(name: str) -> type[Exporter]:
    cls = get_exporter(name)
    if cls is None:
        raise NotFound(_("没有名为“%(name)s”的导出类型") % {"name": name})
    return cls


def export_build(
    *, actor: Any, exporter_name: str, fmt: str, filters: dict[str, Any], request: Any = None
) -> tuple[str, Iterator[bytes] | bytes]:
    """Returns (kind, content): xlsx bytes or a CSV byte stream. The export is audited."""
    cls = _exporter_class(exporter_name)
    cls.require_allowed(actor)
    if fmt not in (XLSX, CSV):
        raise ValidationFailed(_("导出格式只能是 xlsx 或 csv"), field="format")
    exporter = cls()
    columns: list[Column] = list(exporter.columns)
    audit_record(
        actor=actor,
        action="spreadsheets.exported",
        target_label=exporter_name,
        after={"exporter": exporter_name, "format": fmt, "filters": filters},
        request=request,
    )
    with translation.override("zh-hans"):
        if fmt == XLSX:
            content, _count = export_xlsx(
                exporter, columns=columns, cells=exporter.cells(viewer=actor, filters=filters)
            )
            return XLSX, content
    return CSV, _csv_stream(exporter, columns, actor, filters)


def _csv_stream(
    exporter: Exporter, columns: list[Column], actor: Any, filters: dict[str, Any]
) -> Iterator[bytes]:
    with translation.override("zh-hans"):
        yield from export_csv_lines(columns, exporter.cells(viewer=actor, filters=filters), [0])


def import_jobs_maintain(*, keep: timedelta, stale: timedelta) -> tuple[int, int]:
    """Delete marked files older than ``keep``; queue again jobs stuck longer than ``stale``."""
    now = timezone.now()
    pruned = 0
    for job in ImportJob.objects.filter(created_at__lt=now - keep).exclude(marked_file=""):
        default_storage.delete(job.marked_file.name)
        _set(job, marked_file="")
        pruned += 1
    requeued = 0
    stuck = ImportJob.objects.filter(
        status__in=[ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.SAVING],
        created_at__lt=now - stale,
    ).exclude(file="")
    for job in stuck:
        run_import.enqueue(str(job.pk))
        requeued += 1
    return pruned, requeued
