"""Forms of the reporting, attestation and definition pages: they only parse input; the services
validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.org.models import OrgUnit
from culture.standards import catalogue
from culture.standards.catalogue.types import POLICY_FIRST_YEAR, SHARE
from culture.standards.definitions import INT, TERMS, TIME, Definition
from culture.standards.rules import field_label
from culture.standards.selectors_reporting import SheetRow

DECISIONS = (("approve", _("通过")), ("reject", _("退回")))
ATTEST_DECISIONS = (("accept", _("认定")), ("reject", _("不予认定")))


def value_name(row: SheetRow) -> str:
    return f"v_{row.indicator.id}_{row.field.key}"


def note_name(row: SheetRow) -> str:
    return f"n_{row.indicator.id}_{row.field.key}"


def years() -> list[int]:
    return list(range(timezone.localdate().year, POLICY_FIRST_YEAR - 1, -1))


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        indent = {"community": "　　", "subdistrict": "　"}.get(obj.level, "")
        return f"{indent}{obj.name_zh}"


class ReportSheetForm(forms.Form):
    """One value and one note per report field of the sheet; blank values are left alone."""

    def __init__(self, *args: Any, rows: list[SheetRow], editable: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            figure = row.figure
            help_text = (
                _("占比：0 到 1 之间的小数，或带 % 的百分数（如 85%）")
                if row.field.unit == SHARE
                else ""
            )
            self.fields[value_name(row)] = forms.CharField(
                label=field_label(row.field),
                required=False,
                max_length=40,
                initial=_plain(figure.value) if figure else "",
                help_text=help_text,
                disabled=not editable,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            self.fields[note_name(row)] = forms.CharField(
                label=_("说明"),
                required=False,
                max_length=500,
                initial=figure.note if figure else "",
                disabled=not editable,
            )

    def entries(self) -> list[tuple[SheetRow, str, str]]:
        """(row, value text, note) of every row with a value typed in."""
        out = []
        for row in self.rows:
            text = (self.cleaned_data.get(value_name(row)) or "").strip()
            if text:
                out.append((row, text, (self.cleaned_data.get(note_name(row)) or "").strip()))
        return out

    def bound_pair(self, row: SheetRow) -> tuple[Any, Any]:
        return self[value_name(row)], self[note_name(row)]


def _plain(value: Any) -> str:
    return format(value.normalize(), "f") if value is not None else ""


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结果"), choices=DECISIONS)
    reason = forms.CharField(label=_("审核意见"), required=False, max_length=500)


class AttestationReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结果"), choices=ATTEST_DECISIONS)
    reason = forms.CharField(label=_("审核意见"), required=False, max_length=500)


def attest_indicator_choices() -> list[tuple[str, str]]:
    return [(i.id, f"{i.id} {i.title_zh}") for i in catalogue.CATALOGUE.values() if i.is_attest]


class AttestationUploadForm(forms.Form):
    indicator_id = forms.ChoiceField(label=_("佐证认定项"))
    org_unit = UnitChoiceField(
        label=_("单位"), queryset=OrgUnit.objects.none(), to_field_name="code"
    )
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    title = forms.CharField(label=_("佐证标题"), max_length=200)
    file = forms.FileField(
        label=_("佐证文件"),
        help_text=_("PDF、JPEG、PNG、DOCX 或 XLSX；按文件内容识别类型，不接受改扩展名或带宏的文件"),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator_id"].choices = attest_indicator_choices()
        self.fields["org_unit"].queryset = units
        self.fields["org_unit"].empty_label = _("请选择")
        self.fields["year"].choices = [(y, str(y)) for y in years()]


class DefinitionForm(forms.Form):
    """The value of one named definition, in the input its type needs."""

    def __init__(self, *args: Any, definition: Definition, current: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        if definition.type == TIME:
            field: forms.Field = forms.CharField(
                max_length=5, widget=forms.TimeInput(attrs={"type": "time"}), initial=current
            )
        elif definition.type == INT:
            field = forms.IntegerField(min_value=0, max_value=100_000, initial=current)
        elif definition.type == TERMS:
            field = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 6}),
                initial=format_terms(current),
                help_text=_(
                    "每行一个学期：名称, 开始日期, 结束日期（如：春季学期, 2025-02-17, 2025-06-30）"
                ),
            )
        else:
            field = forms.CharField(max_length=100, initial=current)
        field.label = definition.label_zh
        self.fields["value"] = field

    def clean_value(self) -> Any:
        value = self.cleaned_data["value"]
        if self.definition.type != TERMS:
            return value
        terms = []
        for number, line in enumerate(str(value).splitlines(), start=1):
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if not any(parts):
                continue
            if len(parts) != 3:
                raise forms.ValidationError(
                    _("第 %(n)d 行应为“名称, 开始日期, 结束日期”") % {"n": number}
                )
            terms.append({"name": parts[0], "start": parts[1], "end": parts[2]})
        return terms


def format_terms(terms: Any) -> str:
    lines = []
    for t in terms or []:
        lines.append(f"{t.get('name', '')}, {t.get('start', '')}, {t.get('end', '')}")
    return "\n".join(lines)


def show_value(definition: Definition, value: Any) -> str:
    if definition.type == TERMS:
        return "；".join(
            f"{t.get('name', '')} {t.get('start', '')}—{t.get('end', '')}" for t in value or []
        )
    return str(value)
