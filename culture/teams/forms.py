"""Forms of the teams pages: they only parse input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from culture.org.models import OrgUnit
from culture.teams.models import OrganisationKind, TeamKind
from culture.teams.services import format_members, parse_members
from culture.venues.models import Venue


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        indent = {"community": "　　", "subdistrict": "　"}.get(obj.level, "")
        return f"{indent}{obj.name_zh}"


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _CodeForm(forms.Form):
    code = forms.CharField(
        label=_("编号"),
        max_length=32,
        help_text=_("唯一编号，导入时按编号更新"),
        error_messages={"required": _("请填写编号")},
    )
    unit_field = "org_unit"

    def __init__(self, *args: Any, units: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.unit_field].queryset = units
        self.fields[self.unit_field].empty_label = _("请选择")
        if editing:
            self.fields["code"].disabled = True


class TeamForm(_CodeForm):
    name = forms.CharField(label=_("团队名称"), max_length=100)
    kind = forms.ChoiceField(label=_("团队类别"), choices=TeamKind.choices)
    org_unit = UnitChoiceField(
        label=_("所属单位"), queryset=OrgUnit.objects.none(), to_field_name="code"
    )
    members_count = forms.IntegerField(
        label=_("成员人数"),
        min_value=0,
        max_value=100_000,
        initial=0,
        error_messages={"invalid": _("成员人数必须是整数"), "min_value": _("成员人数不能为负数")},
    )
    leader_name = forms.CharField(label=_("负责人"), max_length=64, required=False)
    rehearsal_venue = forms.CharField(
        label=_("排练场馆编码"),
        max_length=32,
        required=False,
        help_text=_("平台登记的场馆编码；没有可留空，填写下面的排练地点"),
    )
    rehearsal_place = forms.CharField(label=_("排练地点"), max_length=200, required=False)
    founded_on = forms.DateField(label=_("成立日期"), required=False, widget=_date_input())
    is_active = forms.BooleanField(label=_("活跃"), required=False, initial=True)
    last_active_on = forms.DateField(label=_("最近活动日期"), required=False, widget=_date_input())
    members = forms.CharField(
        label=_("成员名单"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("可选：每人“姓名:角色”，用逗号或换行分隔"),
    )

    def clean_rehearsal_venue(self) -> Venue | None:
        code = (self.cleaned_data.get("rehearsal_venue") or "").strip()
        if not code:
            return None
        venue = Venue.objects.filter(code=code).first()
        if venue is None:
            raise forms.ValidationError(_("没有编码为 %(code)s 的场馆") % {"code": code})
        return venue

    def clean_members(self) -> list[dict[str, str]]:
        return parse_members(self.cleaned_data.get("members") or "")

    @staticmethod
    def initial_for(team: Any) -> dict[str, Any]:
        return {
            "code": team.code,
            "name": team.name,
            "kind": team.kind,
            "org_unit": team.org_unit.code,
            "members_count": team.members_count,
            "leader_name": team.leader_name,
            "rehearsal_venue": team.rehearsal_venue.code if team.rehearsal_venue else "",
            "rehearsal_place": team.rehearsal_place,
            "founded_on": team.founded_on,
            "is_active": team.is_active,
            "last_active_on": team.last_active_on,
            "members": format_members(team.members or []),
        }


class OrganisationForm(_CodeForm):
    name = forms.CharField(label=_("组织名称"), max_length=120)
    kind = forms.ChoiceField(label=_("组织类别"), choices=OrganisationKind.choices)
    org_unit = UnitChoiceField(
        label=_("所属单位"), queryset=OrgUnit.objects.none(), to_field_name="code"
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=64, required=False)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        required=False,
        help_text=_("单位的办公电话或联系人手机；修改时留空则保持不变"),
    )
    clear_phone = forms.BooleanField(label=_("删除已登记的联系电话"), required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("有效"), required=False, initial=True)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, editing=editing, **kwargs)
        if not editing:
            del self.fields["clear_phone"]

    def phone_arg(self, *, editing: bool) -> str | None:
        if self.cleaned_data.get("clear_phone"):
            return ""
        phone = self.cleaned_data.get("phone") or ""
        return None if editing and not phone else phone

    @staticmethod
    def initial_for(org: Any) -> dict[str, Any]:
        return {
            "code": org.code,
            "name": org.name,
            "kind": org.kind,
            "org_unit": org.org_unit.code,
            "contact_name": org.contact_name,
            "address": org.address,
            "is_active": org.is_active,
        }


class PersonRecordForm(_CodeForm):
    """A culture household or a culture talent."""

    unit_field = "community"
    name = forms.CharField(label=_("名称"), max_length=100)
    community = UnitChoiceField(
        label=_("所在社区"), queryset=OrgUnit.objects.none(), to_field_name="code"
    )
    speciality = forms.CharField(label=_("文化特长"), max_length=100, required=False)
    is_active = forms.BooleanField(label=_("有效"), required=False, initial=True)

    def __init__(self, *args: Any, name_label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if name_label:
            self.fields["name"].label = name_label

    @staticmethod
    def initial_for(obj: Any) -> dict[str, Any]:
        return {
            "code": obj.code,
            "name": obj.name,
            "community": obj.community.code,
            "speciality": obj.speciality,
            "is_active": obj.is_active,
        }


def apply_service_error(form: forms.Form, exc: Any) -> None:
    """Show a service's field messages on the form (unknown fields as form-level errors)."""
    errors = getattr(exc, "errors", None) or {exc.field or "": [exc.message]}
    for field, messages in errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, str(message))
