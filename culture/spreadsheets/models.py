"""Import jobs: one uploaded file going through checks, validation and saving."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    VALIDATING = "validating", _("正在检查")
    SAVING = "saving", _("正在保存")
    DONE = "done", _("已导入")
    INVALID = "invalid", _("有错误，未导入")
    FAILED = "failed", _("导入失败，未导入")


FINISHED = (ImportStatus.DONE, ImportStatus.INVALID, ImportStatus.FAILED)


class ImportJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name=_("导入人"),
    )
    importer = models.CharField(_("导入类型"), max_length=64, db_index=True)
    original_name = models.CharField(_("文件名"), max_length=255)
    kind = models.CharField(_("文件格式"), max_length=8)
    # Stored under MEDIA_ROOT/imports/ with a random name; removed once the job has finished.
    file = models.FileField(_("上传文件"), upload_to="imports/", max_length=255, blank=True)
    marked_file = models.FileField(
        _("标注错误的文件"), upload_to="imports/", max_length=255, blank=True
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ImportStatus.choices,
        default=ImportStatus.QUEUED,
        db_index=True,
    )
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已处理行数"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    counts = models.JSONField(_("结果"), default=dict, blank=True)
    message = models.TextField(_("说明"), blank=True, default="")
    language = models.CharField(max_length=16, default="zh-hans")
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")

    def __str__(self) -> str:
        return f"{self.importer} {self.original_name}"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, int(self.rows_done * 100 / self.rows_total))
