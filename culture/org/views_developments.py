"""Pages of residential developments and future communities (S08, S36): a list with filters,
per-person ratios and export links, a detail page and the create/edit form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from culture.core.errors import FieldErrors, ServiceError
from culture.core.scope import viewer_scope
from culture.org.models import OrgUnit
from culture.org.selectors_developments import (
    DevelopmentRow,
    development_communities,
    development_filter_units,
    development_get,
    development_get_for_edit,
    development_list,
    indoor_fitness_standard,
    outdoor_fitness_standard,
)
from culture.org.services import development_upsert

PAGE_SIZE = 30


class CommunityField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return f"{obj.parent.name_zh if obj.parent_id and obj.parent else ''} {obj.name_zh}".strip()


def _area(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=10,
        decimal_places=1,
        initial=0,
        error_messages={
            "invalid": _("面积必须是数字"),
            "min_value": _("面积不能为负数"),
            "max_decimal_places": _("面积最多一位小数"),
        },
    )


class DevelopmentForm(forms.Form):
    code = forms.CharField(
        label=_("小区编号"), max_length=32, help_text=_("唯一编号，导入时按编号更新")
    )
    name = forms.CharField(label=_("小区名称"), max_length=100)
    community = CommunityField(
        label=_("所在社区"), queryset=OrgUnit.objects.none(), to_field_name="code"
    )
    population = forms.IntegerField(
        label=_("居住人口"),
        min_value=0,
        max_value=1_000_000,
        error_messages={"invalid": _("居住人口必须是整数"), "min_value": _("居住人口不能为负数")},
    )
    indoor_fitness_m2 = _area(_("室内健身面积（平方米）"))
    outdoor_fitness_m2 = _area(_("室外健身面积（平方米）"))
    culture_space_m2 = _area(_("文化空间面积（平方米）"))
    is_future_community = forms.BooleanField(label=_("未来社区"), required=False)
    completion_year = forms.IntegerField(label=_("建成年份"), required=False)

    def __init__(self, *args: Any, communities: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities.select_related("parent")
        self.fields["community"].empty_label = _("请选择")
        if editing:
            self.fields["code"].disabled = True


def _initial(dev: Any) -> dict[str, Any]:
    return {
        "code": dev.code,
        "name": dev.name,
        "community": dev.community.code,
        "population": dev.population,
        "indoor_fitness_m2": dev.indoor_fitness_m2,
        "outdoor_fitness_m2": dev.outdoor_fitness_m2,
        "culture_space_m2": dev.culture_space_m2,
        "is_future_community": dev.is_future_community,
        "completion_year": dev.completion_year,
    }


def _standards() -> dict[str, Any]:
    return {
        "indoor_standard": indoor_fitness_standard(),
        "outdoor_standard": outdoor_fitness_standard(),
    }


@login_required
@require_GET
def development_list_page(request):
    qs = development_list(viewer=request.user, filters=request.GET)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = viewer_scope(request.user)
    return render(
        request,
        "org/development_list.html",
        {
            "nav": "developments",
            "page": page,
            "rows": [DevelopmentRow(d) for d in page],
            "filters": request.GET,
            "units": development_filter_units(viewer=request.user),
            "can_edit": not scope.is_read_only and bool(scope.writes_all or scope.write_paths),
            **_standards(),
        },
    )


@login_required
@require_GET
def development_detail(request, code: str):
    dev = development_get(viewer=request.user, code=code)
    scope = viewer_scope(request.user)
    return render(
        request,
        "org/development_detail.html",
        {
            "nav": "developments",
            "dev": dev,
            "row": DevelopmentRow(dev),
            "can_edit": not scope.is_read_only and scope.can_write_path(dev.community.path),
            **_standards(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def development_edit(request, code: str | None = None):
    scope = viewer_scope(request.user)
    dev = development_get_for_edit(viewer=request.user, code=code) if code else None
    if dev is None:
        scope.require_staff()
        if scope.is_read_only or not (scope.writes_all or scope.write_paths):
            scope.require_write("")
    form = DevelopmentForm(
        request.POST or None,
        initial=_initial(dev) if dev else {"completion_year": timezone.localdate().year},
        communities=development_communities(viewer=request.user),
        editing=dev is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved, _status = development_upsert(
                actor=request.user,
                code=dev.code if dev else data["code"],
                name=data["name"],
                community=data["community"],
                population=data["population"],
                indoor_fitness_m2=data["indoor_fitness_m2"],
                outdoor_fitness_m2=data["outdoor_fitness_m2"],
                culture_space_m2=data["culture_space_m2"],
                is_future_community=data["is_future_community"],
                completion_year=data["completion_year"],
                create_only=dev is None,
                request=request,
            )
        except ServiceError as exc:
            errors = (
                exc.errors if isinstance(exc, FieldErrors) else {exc.field or "": [exc.message]}
            )
            for field, msgs in errors.items():
                for m in msgs:
                    form.add_error(field if field in form.fields else None, str(m))
        else:
            messages.success(request, _("已保存小区 %(name)s") % {"name": saved.name})
            return redirect("org:development_detail", code=saved.code)
    return render(
        request,
        "org/development_form.html",
        {"nav": "developments", "form": form, "obj": dev},
        status=422 if request.method == "POST" else 200,
    )
