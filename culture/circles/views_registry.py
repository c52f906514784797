"""Circle pages: the staff registry (list, create, detail with the checklist, edit, accept and
reopen) and the public circle page, its QR code and its printable poster (no sign-in)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from culture.circles import public
from culture.circles.checklist import check_circle, check_circles, radius_m, semi
from culture.circles.models import CircleStatus
from culture.circles.registry import (
    accepted_circle_population,
    circle_accept,
    circle_create,
    circle_get,
    circle_get_for_edit,
    circle_list,
    circle_reopen,
    circle_update,
    communities_without_circle,
)
from culture.core.errors import FieldErrors, ServiceError, ValidationFailed
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel, OrgUnit
from culture.venues import hours
from culture.venues.models import Venue

PAGE_SIZE = 50


def _put_errors(form: forms.Form, errors: dict[str, list[Any]]) -> None:
    for name, found in errors.items():
        for message in found:
            form.add_error(name if name in form.fields else None, str(message))


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


# ----- staff pages ------------------------------------------------------------------------------
@login_required
@require_GET
def circle_list_page(request):
    scope = viewer_scope(request.user)
    scope.require_staff()
    subdistrict = (request.GET.get("subdistrict") or "").strip()
    status = (request.GET.get("status") or "").strip()
    q = (request.GET.get("q") or "").strip()[:100]
    error = ""
    try:
        qs = circle_list(viewer=request.user, subdistrict=subdistrict, status=status, q=q)
    except ValidationFailed as exc:
        error, status = str(exc.message), ""
        qs = circle_list(viewer=request.user, subdistrict=subdistrict, q=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    checks = check_circles(list(page))
    visible = scope.filter(OrgUnit.objects.filter(level=OrgLevel.COMMUNITY), "path")
    subdistricts = OrgUnit.objects.filter(
        level=OrgLevel.SUBDISTRICT, pk__in=visible.values("parent_id")
    ).order_by("code")
    return render(
        request,
        "circles/circle_list.html",
        {
            "nav": "circles",
            "rows": [(c, checks[c.pk]) for c in page],
            "page": page,
            "subdistricts": subdistricts,
            "statuses": CircleStatus.choices,
            "filters": {"subdistrict": subdistrict, "status": status, "q": q},
            "error": error,
            "population": accepted_circle_population(viewer=request.user),
            "can_create": not scope.is_read_only and bool(scope.writes_all or scope.write_paths),
        },
    )


class CircleCreateForm(forms.Form):
    community = forms.ChoiceField(label=gettext_lazy("服务社区"))
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100, required=False,
                           help_text=gettext_lazy("留空则为“社区名称 + 15分钟品质文化生活圈”"))  # fmt: skip
    theme = forms.CharField(label=gettext_lazy("主题（一圈一韵）"), max_length=100, required=False)

    def __init__(self, *args: Any, communities: list[OrgUnit], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.communities = {c.code: c for c in communities}
        _set_choices(
            self,
            "community",
            [(c.code, f"{c.parent.name_zh if c.parent else ''} {c.name_zh}") for c in communities],
        )


@login_required
@require_http_methods(["GET", "POST"])
def circle_create_page(request):
    scope = viewer_scope(request.user)
    scope.require_staff()
    if scope.is_read_only or not (scope.writes_all or scope.write_paths):
        scope.require_write("")
    communities = list(communities_without_circle(viewer=request.user))
    form = CircleCreateForm(request.POST or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        try:
            circle = circle_create(
                actor=request.user,
                request=request,
                community=form.communities[form.cleaned_data["community"]],
                name=form.cleaned_data["name"],
                theme=form.cleaned_data["theme"],
            )
        except FieldErrors as exc:
            _put_errors(form, exc.errors)
        except ValidationFailed as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("已创建 %(name)s，请登记设施") % {"name": circle.name})
            return redirect("circles:circle_edit", code=circle.code)
    return render(
        request,
        "circles/circle_create.html",
        {"nav": "circles", "form": form, "communities": communities},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def circle_detail_page(request, code: str):
    circle = circle_get(viewer=request.user, code=code)
    result = check_circle(circle)
    scope = viewer_scope(request.user)
    facilities = []
    if circle.essential_venue is not None:
        facilities.append((circle.essential_venue, _("必备公共文化场馆")))
    facilities += [(v, _("公益性文化空间")) for v in circle.spaces.order_by("code")]
    return render(
        request,
        "circles/circle_detail.html",
        {
            "nav": "circles",
            "circle": circle,
            "check": result,
            "facilities": [
                (v, role, result.distances.get(v.pk), hours.readable(v.opening_hours))
                for v, role in facilities
            ],  # the opening hours in words (周一至周五 …), as on the public page
            "can_edit": not scope.is_read_only and scope.can_write_path(circle.community_path),
            "can_decide": scope.has_role(Role.DISTRICT_OFFICER),
            "public_url": public.public_url(circle),
        },
    )


class CircleForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100)
    theme = forms.CharField(label=gettext_lazy("主题（一圈一韵）"), max_length=100, required=False)
    essential_venue = forms.ChoiceField(label=gettext_lazy("必备公共文化场馆"), required=False)
    spaces = forms.MultipleChoiceField(label=gettext_lazy("公益性公共文化空间（至少两处）"),
                                       required=False, widget=forms.CheckboxSelectMultiple)  # fmt: skip
    has_information_board = forms.BooleanField(label=gettext_lazy("已设信息公示栏"), required=False)
    has_demand_channel = forms.BooleanField(
        label=gettext_lazy("已开通活动报名与需求征集渠道"), required=False
    )

    def __init__(self, *args: Any, venues: list[Venue], spaces: list[Venue], dist: dict, **kw: Any):
        super().__init__(*args, **kw)
        self.by_code = {v.code: v for v in (*venues, *spaces)}

        def label(v: Venue) -> str:
            d = dist.get(v.pk)
            far = _("%(m)s 米") % {"m": f"{d:,}"} if d is not None else _("超出范围")
            return f"{v.name_zh}（{v.get_kind_display()}）· {far}"

        _set_choices(self, "essential_venue", [("", "—")] + [(v.code, label(v)) for v in venues])
        _set_choices(self, "spaces", [(v.code, label(v)) for v in spaces])

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "theme": d["theme"],
            "essential_venue": self.by_code.get(d["essential_venue"]) if d["essential_venue"] else None,
            "spaces": [self.by_code[c] for c in d["spaces"]],
            "has_information_board": d["has_information_board"],
            "has_demand_channel": d["has_demand_channel"],
        }  # fmt: skip


def _edit_choices(circle) -> tuple[list[Venue], list[Venue], dict[int, int]]:
    """Open venues and spaces within reach (nearest first), plus the circle's own ones."""
    _centre, near = public.reachable(circle)
    dist = {r.venue.pk: r.distance_m for r in near}
    venues = [r.venue for r in near if r.role in ("essential", "venue")]
    spaces = [r.venue for r in near if r.role in ("space", "other_space")]
    current_spaces = list(circle.spaces.order_by("code"))
    if circle.essential_venue is not None and circle.essential_venue.pk not in dist:
        venues.append(circle.essential_venue)
    spaces += [s for s in current_spaces if s.pk not in dist]
    return venues, spaces, dist


@login_required
@require_http_methods(["GET", "POST"])
def circle_edit_page(request, code: str):
    circle = circle_get_for_edit(viewer=request.user, code=code)
    venues, spaces, dist = _edit_choices(circle)
    initial = {
        "name": circle.name,
        "theme": circle.theme,
        "essential_venue": circle.essential_venue.code if circle.essential_venue else "",
        "spaces": [s.code for s in circle.spaces.all()],
        "has_information_board": circle.has_information_board,
        "has_demand_channel": circle.has_demand_channel,
    }
    form = CircleForm(
        request.POST or None, initial=initial, venues=venues, spaces=spaces, dist=dist
    )
    if request.method == "POST" and form.is_valid():
        try:
            circle_update(actor=request.user, circle=circle, request=request, **form.values())
        except FieldErrors as exc:
            _put_errors(form, exc.errors)
        except ValidationFailed as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("已保存 %(name)s") % {"name": form.cleaned_data["name"]})
            return redirect("circles:circle_detail", code=circle.code)
    return render(
        request,
        "circles/circle_form.html",
        {"nav": "circles", "form": form, "circle": circle, "radius": round(radius_m())},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def circle_accept_page(request, code: str):
    circle = circle_get(viewer=request.user, code=code)
    try:
        circle_accept(actor=request.user, circle=circle, request=request)
    except FieldErrors as exc:
        messages.error(
            request,
            _("尚不能验收，还缺：") + semi(str(m) for m in exc.errors.get("checklist", [])),
        )
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(name)s 已验收") % {"name": circle.name})
    return redirect("circles:circle_detail", code=circle.code)


@login_required
@require_POST
def circle_reopen_page(request, code: str):
    circle = circle_get(viewer=request.user, code=code)
    try:
        circle_reopen(actor=request.user, circle=circle, reason=request.POST.get("reason", ""),
                      request=request)  # fmt: skip
    except ServiceError as exc:
        if exc.status_code == 403:
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已撤销 %(name)s 的验收") % {"name": circle.name})
    return redirect("circles:circle_detail", code=circle.code)


# ----- public pages (no sign-in, no personal data) -------------------------------------------------
@require_GET
def public_page(request, code: str):
    circle = public.public_circle(code=code)
    data = public.public_page_data(circle)
    data["now"] = timezone.localtime()
    return render(request, "circles/public.html", data)


@require_GET
def public_qr_svg(request, code: str):
    circle = public.public_circle(code=code)
    return HttpResponse(public.qr_svg(circle), content_type="image/svg+xml")


@require_GET
def public_qr_png(request, code: str):
    circle = public.public_circle(code=code)
    response = HttpResponse(public.qr_png(circle), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="{circle.code}.png"'
    return response


@require_GET
def public_poster(request, code: str):
    circle = public.public_circle(code=code)
    _centre, near = public.reachable(circle)
    near, _more = public.shortlist(near, total=public.POSTER_FACILITIES)
    return render(
        request,
        "circles/public_poster.html",
        {"circle": circle, "near": near, "url": public.public_url(circle),
         "radius": round(radius_m())},
    )  # fmt: skip
