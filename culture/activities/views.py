"""Activity pages: list (filters, search, pagination, export), detail, create, edit, cancel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from culture.activities.forms import ActivityForm
from culture.activities.kinds import KIND_BY_CODE, KINDS, TARGET_GROUP_CODES, TARGET_GROUPS
from culture.activities.models import Activity
from culture.activities.selectors import (
    FILTER_KEYS,
    activity_get,
    activity_get_for_edit,
    activity_list,
    organiser_choices,
)
from culture.activities.services import activity_cancel, activity_create, activity_update
from culture.core.errors import FieldErrors
from culture.core.scope import viewer_scope

PAGE_SIZE = 30


@login_required
@require_GET
def activity_list_page(request):
    filters = {k: request.GET.get(k, "") for k in FILTER_KEYS}
    qs = activity_list(viewer=request.user, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = viewer_scope(request.user)
    return render(
        request,
        "activities/list.html",
        {
            "nav": "activities",
            "page": page,
            "filters": filters,
            "kinds": KINDS,
            "groups": list(
                zip(TARGET_GROUP_CODES, (label for _f, label in TARGET_GROUPS), strict=True)
            ),
            "can_create": not scope.is_read_only
            and scope.is_staff_user
            and organiser_choices(viewer=request.user).exists(),
        },
    )


@login_required
@require_GET
def activity_detail(request, pk: int):
    activity = activity_get(viewer=request.user, pk=pk)
    scope = viewer_scope(request.user)
    kind = KIND_BY_CODE.get(activity.kind)
    return render(
        request,
        "activities/detail.html",
        {
            "nav": "activities",
            "a": activity,
            "kind": kind,
            "groups": [label for f, label in TARGET_GROUPS if getattr(activity, f)],
            "can_edit": not scope.is_read_only and scope.can_write_path(activity.organiser_path),
        },
    )


def _form_page(request, *, activity: Activity | None):
    organisers = organiser_choices(viewer=request.user)
    status = 200
    if request.method == "POST":
        form = ActivityForm(request.POST, organisers=organisers)
        if form.is_valid():
            fields = form.service_fields()
            try:
                if activity is None:
                    activity = activity_create(actor=request.user, request=request, **fields)
                else:
                    activity = activity_update(
                        actor=request.user, activity=activity, request=request, **fields
                    )
            except FieldErrors as exc:
                for name, errors in exc.errors.items():
                    for message in errors:
                        form.add_error(name if name in form.fields else None, str(message))
            else:
                messages.success(request, _("已保存活动“%(t)s”") % {"t": activity.title})
                return redirect("activities:detail", pk=activity.pk)
        status = 422
    else:
        initial = ActivityForm.initial_for(activity) if activity else {}
        if activity is None and organisers.count() == 1:
            initial["organiser"] = organisers.first().code
        form = ActivityForm(initial=initial, organisers=organisers)
    return render(
        request,
        "activities/form.html",
        {"nav": "activities", "form": form, "a": activity},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create_page(request):
    scope = viewer_scope(request.user)
    scope.require_staff()
    if scope.is_read_only:
        scope.require_write("")
    return _form_page(request, activity=None)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit_page(request, pk: int):
    activity = activity_get_for_edit(viewer=request.user, pk=pk)
    return _form_page(request, activity=activity)


@login_required
@require_POST
def activity_cancel_page(request, pk: int):
    activity = activity_get_for_edit(viewer=request.user, pk=pk)
    restore = request.POST.get("restore") == "1"
    activity_cancel(actor=request.user, activity=activity, request=request, cancelled=not restore)
    messages.success(request, _("已恢复该活动") if restore else _("已取消该活动"))
    return redirect("activities:detail", pk=activity.pk)
