"""Books to the grassroots (送书下基层, standard S45): the district library records a batch of
books sent to a branch (destination, date, number of books, optionally the barcodes, one per
line, which are then sent as transfers), and sees the year's batches. Only at the district
library; recording is for its desk staff."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from culture.booking.forms import put_error
from culture.core.errors import NotFound, ServiceError
from culture.library import selectors, services
from culture.library.services.common import require_desk_staff
from culture.library.services.transfers import MAX_BATCH_BOOKS, district_library
from culture.library.views.manage.common import (
    OtherBranchField,
    branch_context,
    branch_get,
    is_refusal,
)
from culture.venues.models import Venue

MAX_BARCODES = 2000
MAX_DAYS_AWAY = 366


class BatchForm(forms.Form):
    to_branch = OtherBranchField(label=gettext_lazy("接收馆点"))
    sent_on = forms.DateField(
        label=gettext_lazy("送书日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("请按 年-月-日 填写日期，例如 2026-12-01")},
    )
    books = forms.IntegerField(
        label=gettext_lazy("册数"),
        min_value=1,
        max_value=MAX_BATCH_BOOKS,
        error_messages={"invalid": gettext_lazy("请输入整数")},
    )
    barcodes = forms.CharField(
        label=gettext_lazy("图书条码（可选，每行一个；填写后这些书会调拨到接收馆点）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )
    note = forms.CharField(label=gettext_lazy("备注"), required=False, max_length=200)

    def __init__(self, *args: Any, home: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].limit_to(home)  # type: ignore[attr-defined]
        self.fields["sent_on"].initial = timezone.localdate()

    def clean_sent_on(self) -> Any:
        day = self.cleaned_data["sent_on"]
        if abs((day - timezone.localdate()).days) > MAX_DAYS_AWAY:
            raise forms.ValidationError(_("送书日期离今天太远（前后最多一年）"))
        return day

    def clean_barcodes(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["barcodes"].splitlines()]
        codes = [line for line in lines if line]
        if len(codes) > MAX_BARCODES:
            raise forms.ValidationError(_("一次最多填写 %(n)d 个条码") % {"n": MAX_BARCODES})
        return codes


def _home(request: HttpRequest, venue_code: str) -> Venue:
    branch = branch_get(viewer=request.user, code=venue_code)
    try:
        home = district_library()
    except ServiceError:
        home = None
    if home is None or home.pk != branch.pk:
        raise NotFound(
            _("送书下基层由区图书馆登记，%(name)s 没有此页面") % {"name": branch.name_zh}
        )
    return branch


@login_required
@require_http_methods(["GET", "POST"])
def batches(request: HttpRequest, venue_code: str) -> HttpResponse:
    home = _home(request, venue_code)
    status = 200
    if request.method == "POST":
        require_desk_staff(request.user, home)
        form = BatchForm(request.POST, home=home)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.grassroots_batch_record(
                    actor=request.user,
                    to_branch=data["to_branch"],
                    sent_on=data["sent_on"],
                    books=data["books"],
                    barcodes=data["barcodes"],
                    note=data["note"],
                )
            except ServiceError as exc:
                if not is_refusal(exc):
                    raise
                put_error(form, exc)
            else:
                messages.success(
                    request,
                    _("已登记：%(d)s 向 %(to)s 送书 %(n)d 册")
                    % {
                        "d": data["sent_on"].isoformat(),
                        "to": data["to_branch"].name_zh,
                        "n": data["books"],
                    },
                )
                return redirect(reverse("library:batches", args=[home.code]))
        status = 422
    else:
        form = BatchForm(home=home)
    year = timezone.localdate().year
    rows = selectors.grassroots_batches(home, year)
    return render(
        request,
        "library/manage/batches.html",
        branch_context(
            request,
            home,
            "batches",
            form=form,
            rows=rows,
            year=year,
            total=sum(r.books_count or 0 for r in rows),
        ),
        status=status,
    )
