"""Forms of the accounts pages. They only parse input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.core.errors import FieldErrors, ServiceError
from culture.core.roles import Role
from culture.org.models import OrgUnit


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        indent = {"district": "", "subdistrict": "　", "community": "　　"}.get(obj.level, "")
        return f"{indent}{obj.name_zh}（{obj.code}）"


def apply_service_error(
    form: forms.Form, exc: ServiceError, aliases: dict[str, str] | None = None
) -> None:
    """Show a service's field messages on the form (unknown fields as form-level errors)."""
    aliases = aliases or {}
    errors = exc.errors if isinstance(exc, FieldErrors) else {exc.field or "": [exc.message]}
    for field, messages in errors.items():
        name = aliases.get(field, field)
        for message in messages:
            form.add_error(name if name in form.fields else None, str(message))


class UserForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    display_name = forms.CharField(label=_("姓名"), max_length=64, required=False)
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        required=False,
        help_text=_("修改时留空则保持不变"),
    )
    clear_phone = forms.BooleanField(label=_("删除已登记的手机号"), required=False)
    password = forms.CharField(
        label=_("新密码"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("至少10位，不能是常见密码或纯数字；留空则不修改"),
    )
    is_active = forms.BooleanField(label=_("账号有效"), required=False, initial=True)
    reveal = forms.BooleanField(
        label=_("可查看完整证件号码（每次查看记入审计日志）"), required=False
    )


class RoleRowForm(forms.Form):
    role = forms.ChoiceField(
        label=_("角色"), choices=[("", "—")] + list(Role.choices), required=False
    )
    org_unit = UnitChoiceField(
        label=_("所属单位"),
        queryset=OrgUnit.objects.none(),
        required=False,
        to_field_name="code",
        empty_label="—",
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["org_unit"].queryset = units


RoleFormSet = forms.formset_factory(RoleRowForm, extra=2, max_num=20)


class StaffForm(forms.Form):
    staff_number = forms.CharField(label=_("工号"), max_length=32)
    name = forms.CharField(label=_("姓名"), max_length=64)
    org_unit = UnitChoiceField(
        label=_("所属单位"), queryset=OrgUnit.objects.none(), to_field_name="code"
    )
    position = forms.CharField(label=_("岗位"), max_length=64, required=False)
    is_professional = forms.BooleanField(label=_("专业技术人员"), required=False)
    is_fulltime_culture = forms.BooleanField(label=_("专职文化员"), required=False)
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        required=False,
        help_text=_("修改时留空则保持不变"),
    )
    clear_phone = forms.BooleanField(label=_("删除已登记的手机号"), required=False)
    training_current = forms.DecimalField(
        label=_("本年度培训天数"), required=False, min_value=0, max_value=366, decimal_places=1
    )
    training_previous = forms.DecimalField(
        label=_("上年度培训天数"), required=False, min_value=0, max_value=366, decimal_places=1
    )
    training_year = forms.IntegerField(
        label=_("其他年度"), required=False, min_value=2000, max_value=2100
    )
    training_days = forms.DecimalField(
        label=_("该年度培训天数"), required=False, min_value=0, max_value=366, decimal_places=1
    )

    def __init__(self, *args: Any, units: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units
        year = timezone.localdate().year
        self.fields["training_current"].label = _("%(y)d年培训天数") % {"y": year}
        self.fields["training_previous"].label = _("%(y)d年培训天数") % {"y": year - 1}
        self.fields["org_unit"].empty_label = _("请选择")
        if editing:
            self.fields["staff_number"].disabled = True
        else:
            del self.fields["clear_phone"]

    def training(self) -> dict[int, Any]:
        year = timezone.localdate().year
        data = self.cleaned_data
        out: dict[int, Any] = {
            year: data.get("training_current"),
            year - 1: data.get("training_previous"),
        }
        if data.get("training_year"):
            out[data["training_year"]] = data.get("training_days")
        return out


class ResidentForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=64)
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    id_number = forms.CharField(
        label=_("身份证号（社会保障号码）"),
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    community = forms.ChoiceField(label=_("居住社区"), required=False)
    password = forms.CharField(
        label=_("密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少10位，不能是常见密码或纯数字"),
    )

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Communities grouped under their subdistrict, so a long list stays easy to scan.
        self.communities = {unit.code: unit for unit in communities}
        groups: dict[str, list[tuple[str, str]]] = {}
        for unit in self.communities.values():
            parent = unit.parent.name_zh if unit.parent_id else ""
            groups.setdefault(parent, []).append((unit.code, unit.name_zh))
        self.fields["community"].choices = [("", _("请选择（可不填）")), *groups.items()]

    def clean_community(self) -> OrgUnit | None:
        code = self.cleaned_data.get("community")
        return self.communities.get(code) if code else None


class OfficerResidentForm(ResidentForm):
    ssc_card_no = forms.CharField(label=_("社保卡卡号（选填）"), max_length=20, required=False)


class SignupForm(ResidentForm):
    password2 = forms.CharField(
        label=_("再次输入密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    agree = forms.BooleanField(
        label=_("我同意平台按《个人信息保护法》保存和使用我的手机号与身份证号"), required=True
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("两次输入的密码不一致"))
        return data


class SignupVerifyForm(forms.Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("当前密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label=_("新密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少10位，不能是常见密码或纯数字"),
    )


class RevealForm(forms.Form):
    field = forms.ChoiceField(
        choices=[("id_number", "id_number"), ("phone", "phone"), ("ssc_card_no", "ssc_card_no")]
    )
