"""The edit form of an org unit; the page and the API both validate through it, then call
``org_unit_update`` (which checks the scope and writes the audit log)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from culture.core.errors import FieldErrors
from culture.org.models import OrgUnit

FORM_FIELDS = ("name_zh", "name_en", "population", "area_km2")


class OrgUnitEditForm(forms.Form):
    name_zh = forms.CharField(
        label=_("中文名称"), max_length=64, error_messages={"required": _("请填写中文名称")}
    )
    name_en = forms.CharField(label=_("英文名称"), max_length=128, required=False)
    population = forms.IntegerField(
        label=_("常住人口"),
        min_value=0,
        max_value=5_000_000,
        error_messages={
            "invalid": _("常住人口必须是整数"),
            "min_value": _("常住人口不能为负数"),
            "max_value": _("常住人口不能超过 %(limit_value)s"),
            "required": _("请填写常住人口"),
        },
    )
    area_km2 = forms.DecimalField(
        label=_("面积（平方公里）"),
        required=False,
        min_value=Decimal("0"),
        max_digits=8,
        decimal_places=3,
        help_text=_("最多三位小数；留空表示未知"),
        error_messages={"invalid": _("面积必须是数字"), "min_value": _("面积不能为负数")},
    )

    @classmethod
    def for_unit(cls, unit: OrgUnit, data: Mapping[str, Any] | None = None) -> OrgUnitEditForm:
        return cls(data=data, initial={f: getattr(unit, f) for f in FORM_FIELDS})

    def changes(self, unit: OrgUnit) -> dict[str, Any]:
        """The cleaned values that differ from the unit (call after ``is_valid()``)."""
        out: dict[str, Any] = {}
        for f in FORM_FIELDS:
            new = self.cleaned_data.get(f)
            if f == "name_en" and new is None:
                new = ""
            if new != getattr(unit, f):
                out[f] = new
        return out


def unit_changes_from_payload(unit: OrgUnit, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a partial update (API PATCH) with the same form; FieldErrors if invalid."""
    unknown = sorted(set(payload) - set(FORM_FIELDS))
    if unknown:
        raise FieldErrors({k: [_("该字段不可修改")] for k in unknown})
    data = {f: getattr(unit, f) for f in FORM_FIELDS}
    data.update(payload)
    data = {k: ("" if v is None else v) for k, v in data.items()}
    form = OrgUnitEditForm(data=data)
    if not form.is_valid():
        raise FieldErrors({k: list(v) for k, v in form.errors.items()})
    return {k: v for k, v in form.changes(unit).items() if k in payload}
