"""Forms of the booking pages. They only shape input; every rule (slot grid, opening hours,
capacity below the seats taken...) is in the services, whose errors are put back on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from culture.booking.models import ActivitySeats, RoomBookingRule

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
NUMBER = {"invalid": _("请输入整数"), "required": _("请填写此项")}


EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time within this century (a year like 0001 or 9999 is a typing slip, and
    cannot be stored in UTC at the ends of the calendar)."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise forms.ValidationError(
                _("年份应在 %(lo)s 到 %(hi)s 之间") % {"lo": EARLIEST_YEAR, "hi": LATEST_YEAR}
            )


def _datetime_field(label: Any, *, required: bool = True, help_text: Any = "") -> Any:
    return BoundedDateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_FORMATS,
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "invalid": _("请按“年-月-日 时:分”填写，例如 2026-12-01 09:00"),
            "required": _("请填写此项"),
        },
    )


def put_errors(form: forms.Form, errors: dict[str, list[Any]]) -> None:
    """Service FieldErrors onto the form (unknown names become form-wide errors)."""
    for name, messages in errors.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, str(message))


def put_error(form: forms.Form, exc: Any) -> None:
    """One ServiceError onto its field (or the form)."""
    errors = getattr(exc, "errors", None)
    if errors:
        put_errors(form, errors)
        return
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, str(exc.message))


class RoomRuleForm(forms.Form):
    enabled = forms.BooleanField(label=_("开放预约"), required=False, initial=True)
    bookable_hours = forms.CharField(
        label=_("可预约时段"),
        max_length=500,
        required=False,
        help_text=_(
            "OpenStreetMap 开放时间格式，如 Mo-Fr 09:00-12:00,14:00-17:00；留空即场馆开放时间。"
            "始终以场馆开放时间为上限"
        ),
    )
    slot_minutes = forms.IntegerField(
        label=_("时段长度（分钟）"),
        min_value=15,
        max_value=480,
        initial=60,
        help_text=_("15 的倍数"),
        error_messages=NUMBER,
    )
    max_slots = forms.IntegerField(
        label=_("每次最多连续时段"), min_value=1, max_value=32, initial=2, error_messages=NUMBER
    )
    advance_days = forms.IntegerField(
        label=_("可提前预约天数"), min_value=0, max_value=365, initial=7, error_messages=NUMBER
    )
    per_person_limit = forms.IntegerField(
        label=_("每人未结束预约上限"), min_value=1, max_value=50, initial=2, error_messages=NUMBER
    )
    needs_approval = forms.BooleanField(label=_("预约需审核"), required=False)
    cancel_deadline_hours = forms.IntegerField(
        label=_("开始前多少小时内不可取消"),
        min_value=0,
        max_value=720,
        initial=2,
        error_messages=NUMBER,
    )

    FIELDS = (
        "enabled",
        "bookable_hours",
        "slot_minutes",
        "max_slots",
        "advance_days",
        "per_person_limit",
        "needs_approval",
        "cancel_deadline_hours",
    )

    @classmethod
    def for_rule(cls, rule: RoomBookingRule | None, data: Any = None) -> RoomRuleForm:
        initial = {f: getattr(rule, f) for f in cls.FIELDS} if rule is not None else None
        return cls(data, initial=initial)


class SeatsForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("名额"), min_value=1, max_value=100_000, error_messages=NUMBER
    )
    waitlist_enabled = forms.BooleanField(label=_("允许候补"), required=False, initial=True)
    needs_approval = forms.BooleanField(label=_("预约需审核"), required=False)
    opens_at = _datetime_field(_("开放预约时间"), required=False, help_text=_("留空即现在起可预约"))
    closes_at = _datetime_field(
        _("截止预约时间"), required=False, help_text=_("留空即活动开始时截止")
    )
    cancel_deadline_hours = forms.IntegerField(
        label=_("开始前多少小时内不可取消"),
        min_value=0,
        max_value=720,
        initial=2,
        error_messages=NUMBER,
    )

    FIELDS = (
        "capacity",
        "waitlist_enabled",
        "needs_approval",
        "opens_at",
        "closes_at",
        "cancel_deadline_hours",
    )

    @classmethod
    def for_seats(cls, seats: ActivitySeats | None, data: Any = None) -> SeatsForm:
        initial = {f: getattr(seats, f) for f in cls.FIELDS} if seats is not None else None
        return cls(data, initial=initial)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("截止预约时间必须晚于开放预约时间"))
        return data


class RoomBlockForm(forms.Form):
    start_at = _datetime_field(_("开始时间"))
    end_at = _datetime_field(_("结束时间"))
    reason = forms.CharField(
        label=_("原因"),
        max_length=200,
        error_messages={"required": _("请写明停用原因（会告知被取消预约的居民）")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_at"), data.get("end_at")
        if start and end and end <= start:
            self.add_error("end_at", _("结束时间必须晚于开始时间"))
        return data


class ReasonForm(forms.Form):
    """Cancelling or rejecting a booking: the reason is told to the person."""

    reason = forms.CharField(
        label=_("原因"),
        max_length=200,
        error_messages={"required": _("请写明原因（会告知预约人）")},
    )


class CheckInForm(forms.Form):
    token = forms.CharField(
        label=_("扫码、输入预约码或刷社保卡"),
        max_length=300,
        error_messages={"required": _("请扫描二维码、输入8位预约码或刷社保卡")},
    )
