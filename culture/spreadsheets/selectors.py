"""Reads of the spreadsheets app: users see their own import jobs; district officers see all."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from culture.core.errors import NotFound
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.spreadsheets.models import ImportJob


def import_jobs(*, viewer: Any) -> QuerySet[ImportJob]:
    scope = viewer_scope(viewer)
    qs = ImportJob.objects.select_related("user").defer("errors")
    if scope.has_role(Role.DISTRICT_OFFICER):
        return qs
    if not scope.is_staff_user:
        return qs.none()
    return qs.filter(user=viewer)


def import_job_get(*, viewer: Any, job_id: Any) -> ImportJob:
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or not import_jobs(viewer=viewer).filter(pk=job.pk).exists():
        # Someone else's job looks the same as a job that does not exist.
        raise NotFound(_("没有找到这个导入任务"))
    return job
