"""馆藏注销: the branch writes a copy off its stock (剔旧 withdrawn, 遗失 lost) with a reason, and
lists the copies it wrote off (services.copy_write_off)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from culture.core.errors import ServiceError
from culture.library import selectors, services
from culture.library.models import CopyStatus
from culture.library.views.manage.common import back, branch_context, branch_get, is_refusal
from culture.venues.models import Venue


class WriteOffForm(forms.Form):
    barcode = forms.CharField(label=gettext_lazy("图书条码"), max_length=200)
    status = forms.ChoiceField(
        label=gettext_lazy("注销方式"),
        choices=[
            (CopyStatus.WITHDRAWN, CopyStatus.WITHDRAWN.label),
            (CopyStatus.LOST, CopyStatus.LOST.label),
        ],  # fmt: skip
    )
    reason = forms.CharField(label=gettext_lazy("原因"), max_length=200)


def _render(
    request: HttpRequest, branch: Venue, form: WriteOffForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "library/manage/write_off.html",
        branch_context(
            request, branch, "write_off", form=form, copies=list(selectors.written_off(branch))
        ),  # fmt: skip
        status=status,
    )


@login_required
@require_GET
def write_off_page(request: HttpRequest, venue_code: str) -> HttpResponse:
    branch = branch_get(viewer=request.user, code=venue_code)
    return _render(request, branch, WriteOffForm())


@login_required
@require_POST
def write_off(request: HttpRequest, venue_code: str) -> HttpResponse:
    branch = branch_get(viewer=request.user, code=venue_code, desk=True)
    form = WriteOffForm(request.POST)
    if not form.is_valid():
        return _render(request, branch, form, status=422)
    try:
        copy = services.copy_write_off(actor=request.user, branch=branch, **form.cleaned_data)
    except ServiceError as exc:
        if not is_refusal(exc):
            raise
        field = exc.field if exc.field in form.fields else "barcode"
        form.add_error(field, str(exc.message))
        return _render(request, branch, form, status=exc.status_code)
    messages.success(
        request,
        _("已注销（%(s)s）：《%(t)s》%(b)s")
        % {"s": copy.get_status_display(), "t": copy.title.title, "b": copy.barcode},
    )
    return back(request, reverse("library:write_off_page", args=[branch.code]))
