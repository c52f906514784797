"""The create/edit form of an activity. The page validates types here; the rules (scope, dates,
kinds' fields, duplicates) are the services'; their FieldErrors come back onto the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from culture.activities.kinds import (
    KIND_FIELDS,
    TARGET_GROUP_CODES,
    TARGET_GROUPS,
    BranchSystem,
    Brand,
    get_kind,
    kind_choices,
)
from culture.activities.models import Activity
from culture.org.models import OrgUnit
from culture.venues.models import Venue

DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
DT_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TRI_STATE = [("", _("未填")), ("1", _("是")), ("0", _("否"))]


class ActivityForm(forms.Form):
    title = forms.CharField(
        label=_("活动名称"), max_length=200, error_messages={"required": _("请填写活动名称")}
    )
    kind = forms.ChoiceField(label=_("活动类型"), choices=kind_choices)
    organiser = forms.ModelChoiceField(
        label=_("主办单位"), queryset=OrgUnit.objects.none(), to_field_name="code"
    )
    venue = forms.ModelChoiceField(
        label=_("场馆编码"),
        queryset=Venue.objects.none(),
        required=False,
        to_field_name="code",
        widget=forms.TextInput(attrs={"size": 16, "autocomplete": "off"}),
        help_text=_("可填写任何开放中的场馆的编码；线上活动可留空"),
        error_messages={"invalid_choice": _("没有该编码的场馆")},
    )
    start_at = forms.DateTimeField(label=_("开始时间"), input_formats=DT_FORMATS, widget=DT_WIDGET)
    end_at = forms.DateTimeField(label=_("结束时间"), input_formats=DT_FORMATS, widget=DT_WIDGET)
    online = forms.BooleanField(label=_("线上活动"), required=False)
    attendance = forms.IntegerField(label=_("参与人次"), min_value=0, initial=0)
    groups = forms.MultipleChoiceField(
        label=_("服务对象"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (code, label)
            for code, (_f, label) in zip(TARGET_GROUP_CODES, TARGET_GROUPS, strict=True)
        ],
    )
    partner = forms.CharField(label=_("合作单位"), max_length=200, required=False)
    brand = forms.ChoiceField(
        label=_("品牌活动"), required=False, choices=[("", "—"), *Brand.choices]
    )
    is_signature = forms.BooleanField(label=_("一街一品"), required=False)
    external_id = forms.CharField(
        label=_("外部编号"),
        max_length=64,
        required=False,
        help_text=_("来自其他系统的编号；导入时用于识别同一活动"),
    )
    description = forms.CharField(
        label=_("活动简介"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    film_release_date = forms.DateField(
        label=_("影片上映日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("仅电影放映类活动"),
    )
    film_domestic = forms.TypedChoiceField(
        label=_("国产影片"),
        required=False,
        choices=TRI_STATE,
        empty_value=None,
        coerce=lambda v: v == "1",
        help_text=_("仅电影放映类活动"),
    )
    sessions = forms.IntegerField(
        label=_("服务场次"), required=False, min_value=1, help_text=_("仅线上服务")
    )
    books_count = forms.IntegerField(
        label=_("送书册数"), required=False, min_value=1, help_text=_("仅送书下基层")
    )
    branch_system = forms.ChoiceField(
        label=_("总分馆体系"),
        required=False,
        choices=[("", "—"), *BranchSystem.choices],
        help_text=_("仅总分馆联动服务"),
    )

    def __init__(self, *args: Any, organisers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        # Any venue by code (the services refuse a closed one); never listed in the page.
        self.fields["venue"].queryset = Venue.objects.all()

    @classmethod
    def initial_for(cls, activity: Activity) -> dict[str, Any]:
        data: dict[str, Any] = {
            f: getattr(activity, f)
            for f in (
                "title",
                "kind",
                "start_at",
                "end_at",
                "online",
                "attendance",
                "partner",
                "brand",
                "is_signature",
                "external_id",
                "description",
                *KIND_FIELDS,
            )
        }
        data["organiser"] = activity.organiser.code
        data["venue"] = activity.venue.code if activity.venue else ""
        data["groups"] = activity.target_groups
        if activity.film_domestic is not None:
            data["film_domestic"] = "1" if activity.film_domestic else "0"
        return data

    def service_fields(self) -> dict[str, Any]:
        """Cleaned data as the services' keyword arguments (call after ``is_valid()``)."""
        cd = dict(self.cleaned_data)
        groups = set(cd.pop("groups", []) or [])
        for code, field in TARGET_GROUP_CODES.items():
            cd[field] = code in groups
        for f in ("brand", "branch_system"):
            cd[f] = cd.get(f) or ""
        kind = get_kind(cd.get("kind") or "")
        if kind is not None and kind.always_online:
            cd["online"] = True
        return cd
