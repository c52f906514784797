"""Pages: the import home, upload (htmx with progress), job progress/report, templates, exports."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from culture.core.errors import NotFound, ServiceError
from culture.core.scope import viewer_scope
from culture.spreadsheets.framework import exporters_for, get_exporter, get_importer, importers_for
from culture.spreadsheets.safety import XLSX
from culture.spreadsheets.selectors import import_job_get, import_jobs
from culture.spreadsheets.services import export_build, import_job_create
from culture.spreadsheets.writing import XLSX_TYPE, template_workbook

CSV_TYPE = "text/csv; charset=utf-8"


def _attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


def _importer_or_404(name: str):
    cls = get_importer(name)
    if cls is None:
        raise NotFound(_("没有这个导入类型"))
    return cls


@login_required
@require_GET
def import_home(request):
    scope = viewer_scope(request.user)
    scope.require_staff()
    context = {
        "nav": "import",
        "importers": importers_for(request.user),
        "exporters": exporters_for(request.user),
        "jobs": import_jobs(viewer=request.user)[:20],
        "read_only": scope.is_read_only,
    }
    return render(request, "spreadsheets/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, name: str):
    cls = _importer_or_404(name)
    viewer_scope(request.user).require_staff()
    cls.require_allowed(request.user)
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("请选择要上传的文件")
        else:
            try:
                job = import_job_create(
                    actor=request.user, importer_name=name, upload=upload, request=request
                )
            except ServiceError as exc:
                error = exc.message
            else:
                url = reverse("spreadsheets:job", args=[job.pk])
                if request.htmx:
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = url
                    return response
                return redirect(url)
    context = {"nav": "import", "importer": cls, "error": error, "columns": cls.columns}
    if request.htmx and request.method == "POST":
        # htmx swaps only 2xx answers: the refusal replaces the form's message area.
        return render(request, "spreadsheets/_upload_error.html", context)
    status = 422 if error else 200
    return render(request, "spreadsheets/upload.html", context, status=status)


@login_required
@require_GET
def job_detail(request, job_id):
    job = import_job_get(viewer=request.user, job_id=job_id)
    template = "spreadsheets/_job.html" if request.htmx else "spreadsheets/job.html"
    importer = get_importer(job.importer)
    return render(request, template, {"nav": "import", "job": job, "importer": importer})


@login_required
@require_GET
def job_marked_file(request, job_id):
    job = import_job_get(viewer=request.user, job_id=job_id)
    if not job.marked_file:
        raise NotFound(_("这个导入任务没有标注错误的文件"))
    stream = default_storage.open(job.marked_file.name, "rb")
    stem = job.original_name.rsplit(".", 1)[0]
    response = FileResponse(stream, content_type=XLSX_TYPE)
    return _attachment(response, f"{stem}-{_('错误标注')}.xlsx")


@login_required
@require_GET
def template_download(request, name: str):
    cls = _importer_or_404(name)
    viewer_scope(request.user).require_staff()
    response = HttpResponse(template_workbook(cls), content_type=XLSX_TYPE)
    return _attachment(response, f"{cls.title_zh}导入模板.xlsx")


@login_required
@require_GET
def export(request, name: str):
    fmt = request.GET.get("format", XLSX)
    filters = {k: v for k, v in request.GET.items() if k not in ("format", "page")}
    kind, content = export_build(
        actor=request.user, exporter_name=name, fmt=fmt, filters=filters, request=request
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    exporter = get_exporter(name)
    title = exporter.title_zh if exporter is not None else name
    if kind == XLSX:
        return _attachment(HttpResponse(content, content_type=XLSX_TYPE), f"{title}-{stamp}.xlsx")
    stream = StreamingHttpResponse(content, content_type=CSV_TYPE)
    return _attachment(stream, f"{title}-{stamp}.csv")
