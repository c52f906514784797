"""佐证材料: the list in scope, the upload form, the district officers' review queue and the
download of a stored file."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from culture.core.errors import NotFound, OutOfScope, ServiceError
from culture.core.scope import viewer_scope
from culture.standards import selectors_reporting as selectors
from culture.standards.forms import (
    AttestationReviewForm,
    AttestationUploadForm,
    attest_indicator_choices,
    years,
)
from culture.standards.models import AttestationStatus
from culture.standards.services import attestations
from culture.standards.views.common import apply_errors, tabs
from culture.standards.views.review import Review, review_post


@login_required
@require_GET
def attestation_list(request):
    scope = viewer_scope(request.user)
    qs = selectors.attestation_list(viewer=request.user, filters=request.GET)
    return render(
        request,
        "standards/attestation_list.html",
        {
            **tabs(request.user, "attestations"),
            "page": Paginator(qs, 30).get_page(request.GET.get("page")),
            "filters": request.GET,
            "years": years(),
            "statuses": AttestationStatus.choices,
            "indicators": attest_indicator_choices(),
            "can_upload": not scope.is_read_only and bool(scope.writes_all or scope.write_paths),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def attestation_upload(request):
    scope = viewer_scope(request.user)
    scope.require_staff()
    if scope.is_read_only or not (scope.writes_all or scope.write_paths):
        scope.require_write("")
    units = selectors.units_writable(viewer=request.user)
    form = AttestationUploadForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            attestations.attestation_upload(
                actor=request.user,
                indicator_id=data["indicator_id"],
                org_unit=data["org_unit"],
                year=data["year"],
                title=data["title"],
                file=data["file"],
                request=request,
            )
        except OutOfScope:
            raise
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("佐证已上传，等待区文旅局审核"))
            return redirect("standards:attestation_list")
    return render(
        request,
        "standards/attestation_upload.html",
        {
            **tabs(request.user, "attestations"),
            "form": form,
            "has_items": bool(attest_indicator_choices()),
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def attestation_review_queue(request):
    queue = selectors.attestation_review_queue(viewer=request.user)
    return render(
        request,
        "standards/attestation_review.html",
        {**tabs(request.user, "attestation_review"), "items": queue[:500]},
    )


ATTESTATION_REVIEW = Review(
    form=AttestationReviewForm,
    yes="accept",
    decide=lambda actor, item, yes, reason, request: attestations.attestation_review(
        actor=actor, attestation=item, accept=yes, reason=reason, request=request
    ),
    done=lambda item, yes: (
        (_("已认定：%(title)s") if yes else _("未予认定：%(title)s")) % {"title": item.title}
    ),
    queue="standards:attestation_review_queue",
)


@login_required
@require_POST
def attestation_review(request, pk: int):
    attestation = selectors.attestation_get(viewer=request.user, pk=pk)
    return review_post(request, attestation, ATTESTATION_REVIEW)


@login_required
@require_GET
def attestation_file(request, pk: int):
    attestation = selectors.attestation_get(viewer=request.user, pk=pk)
    storage = attestation.evidence.storage
    name = attestation.evidence.name
    if not name or not storage.exists(name):
        raise NotFound(_("佐证文件已不存在"))
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(
        storage.open(name, "rb"),
        as_attachment=True,
        filename=attestation.original_name or name.rsplit("/", 1)[-1],
        content_type=content_type,
    )
