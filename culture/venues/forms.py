"""Venue and room forms. They only shape input; every rule is in the services, whose FieldErrors
are put back on the form's fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from culture.core.scope import viewer_scope
from culture.org.models import OrgUnit
from culture.venues.models import (
    BookroomCertification,
    CoordSystem,
    FeePolicy,
    FreeDay,
    Room,
    TargetGroup,
    Venue,
    VenueGrade,
    VenueKind,
    VenueStatus,
)
from culture.venues.services import BOOL_FIELDS

DECIMAL_ERRORS = {"invalid": _("请输入数字")}

# The form's sections, in order: (title, fields).
SECTIONS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (
        _("基本信息"),
        ("code", "name_zh", "name_en", "kind", "status", "operator_unit", "grade", "floor_area_m2"),
    ),
    (_("位置"), ("coord_system", "lon", "lat", "address")),
    (_("开放与收费"), ("opening_hours", "fee_policy", "ticket_price", "market_price",
                    "waiver_groups", "free_days")),
    (_("设施与服务"), ("has_wifi", "has_signage", "is_accessible", "has_special_group_area",
                    "has_blind_reading", "has_board_of_trustees", "has_culture_steward",
                    "social_operation", "social_operator", "accepts_ssc_card")),
    (_("平台接入"), ("on_zheli_platform", "on_culture_cloud", "on_national_smart_library",
                  "on_one_click_borrowing", "on_media_platform")),
    (_("按类型填写"), ("bookroom_certification", "theatre_seats", "state_owned",
                    "school_open_eligible", "school_open_to_public", "is_happy_culture_centre",
                    "is_satisfying_library")),
)  # fmt: skip


class VenueForm(forms.Form):
    code = forms.CharField(label=_("场馆编码"), max_length=32)
    name_zh = forms.CharField(label=_("中文名称"), max_length=128)
    name_en = forms.CharField(label=_("英文名称"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=VenueKind.choices)
    status = forms.ChoiceField(label=_("状态"), choices=VenueStatus.choices)
    operator_unit = forms.ModelChoiceField(
        label=_("运营单位"),
        queryset=OrgUnit.objects.none(),
        to_field_name="code",
        help_text=_("运营单位决定谁可以编辑；所在社区由坐标自动确定"),
    )
    grade = forms.ChoiceField(label=_("等级"), choices=VenueGrade.choices, required=False)
    floor_area_m2 = forms.DecimalField(
        label=_("建筑面积（平方米）"), required=False, min_value=0, error_messages=DECIMAL_ERRORS
    )
    coord_system = forms.ChoiceField(
        label=_("坐标系"),
        choices=CoordSystem.choices,
        initial=CoordSystem.WGS84,
        help_text=_(
            "从高德/腾讯地图取的坐标选 GCJ-02，从百度地图取的选 BD-09；保存时转换为 WGS-84"
        ),
    )
    lon = forms.FloatField(label=_("经度"), error_messages={"invalid": _("经度必须是数字")})
    lat = forms.FloatField(label=_("纬度"), error_messages={"invalid": _("纬度必须是数字")})
    address = forms.CharField(label=_("地址"), max_length=255, required=False)
    opening_hours = forms.CharField(
        label=_("开放时间"),
        max_length=500,
        required=False,
        help_text=_(
            "OpenStreetMap opening_hours 格式，例如 Mo-Fr 09:00-21:00; Sa,Su 09:00-17:00; PH off"
        ),
    )
    fee_policy = forms.ChoiceField(label=_("收费方式"), choices=FeePolicy.choices)
    ticket_price = forms.DecimalField(
        label=_("票价（元）"), required=False, min_value=0, error_messages=DECIMAL_ERRORS
    )
    market_price = forms.DecimalField(
        label=_("市场价（元）"), required=False, min_value=0, error_messages=DECIMAL_ERRORS
    )
    waiver_groups = forms.MultipleChoiceField(
        label=_("减免对象"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    free_days = forms.MultipleChoiceField(
        label=_("免费开放日"),
        choices=FreeDay.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    social_operator = forms.CharField(label=_("运营机构"), max_length=128, required=False)
    bookroom_certification = forms.ChoiceField(
        label=_("城市书房认证等级"), choices=BookroomCertification.choices, required=False
    )
    theatre_seats = forms.IntegerField(label=_("剧场座位数"), required=False, min_value=0)

    def __init__(self, *args: Any, viewer: Any, venue: Venue | None = None, **kwargs: Any):
        if venue is not None and "initial" not in kwargs:
            initial = {f: getattr(venue, f) for f in self.base_fields if hasattr(venue, f)}
            initial["operator_unit"] = venue.operator_unit.code
            initial["coord_system"] = CoordSystem.WGS84
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for name in BOOL_FIELDS:
            self.fields[name] = forms.BooleanField(
                label=Venue._meta.get_field(name).verbose_name, required=False
            )
        scope = viewer_scope(viewer)
        units = scope.filter(OrgUnit.objects.filter(is_active=True), "path", write=True)
        if venue is not None:
            units = units | OrgUnit.objects.filter(pk=venue.operator_unit_id)
            self.fields["code"].disabled = True
        self.fields["operator_unit"].queryset = units.order_by("code")
        self.fields["operator_unit"].label_from_instance = lambda u: f"{u.code} {u.name_zh}"
        for name, field in self.fields.items():
            if isinstance(field.widget, (forms.TextInput, forms.NumberInput, forms.Select)):
                field.widget.attrs.setdefault("aria-describedby", f"id_{name}-errors")

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[n] for n in names if n in self.fields]) for title, names in SECTIONS]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("code", None)
        for key in ("grade", "bookroom_certification"):
            data[key] = data.get(key) or ""
        return data


class RoomForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=64)
    capacity = forms.IntegerField(
        label=_("容纳人数"), min_value=1, error_messages={"min_value": _("容纳人数须为正整数")}
    )
    area_m2 = forms.DecimalField(
        label=_("面积（平方米）"), required=False, min_value=0, error_messages=DECIMAL_ERRORS
    )
    equipment = forms.CharField(
        label=_("设备"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(label=_("可用"), required=False, initial=True)

    @classmethod
    def for_room(cls, room: Room | None, data: Any = None) -> RoomForm:
        if room is None:
            return cls(data=data)
        return cls(
            data=data,
            initial={f: getattr(room, f) for f in ("name", "capacity", "area_m2", "equipment",
                                                     "is_active")},
        )  # fmt: skip


def put_errors(form: forms.Form, errors: dict[str, list[Any]]) -> None:
    """Service FieldErrors onto the form (unknown names become form-wide errors)."""
    for name, messages in errors.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, str(message))
