"""Django admin for circulation (district officers and superusers only): copies, loans, holds
and transfers read-only and scoped by the branch's operator unit; loan rules editable through
``loan_rule_set`` (district-wide). Every other change goes through the circulation services, so
the reader's loan counter, the hold queue and the audit log stay right."""

from __future__ import annotations

from django.contrib import admin

from culture.core.admin import ScopedServiceAdmin
from culture.core.scope import viewer_scope
from culture.library.models import Copy, Hold, Loan, LoanRule, Transfer
from culture.library.services import loan_rule_set


class _ReadOnlyAdmin(ScopedServiceAdmin):
    actions = None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Copy)
class CopyAdmin(_ReadOnlyAdmin):
    path_field = "current_branch__operator_unit__path"
    list_display = ("barcode", "title", "item_type", "home_branch", "current_branch", "status")
    list_filter = ("status", "item_type")
    search_fields = ("barcode",)
    list_select_related = ("title", "home_branch", "current_branch")


@admin.register(Loan)
class LoanAdmin(_ReadOnlyAdmin):
    path_field = "out_branch__operator_unit__path"
    list_display = ("copy", "reader", "out_branch", "out_at", "due_on", "returned_at")
    search_fields = ("copy__barcode",)
    date_hierarchy = "out_at"
    list_select_related = ("copy", "reader__resident", "out_branch")


@admin.register(Hold)
class HoldAdmin(_ReadOnlyAdmin):
    path_field = "pickup_branch__operator_unit__path"
    list_display = ("title", "reader", "pickup_branch", "status", "position", "expires_on")
    list_filter = ("status",)
    list_select_related = ("title", "reader__resident", "pickup_branch")


@admin.register(Transfer)
class TransferAdmin(_ReadOnlyAdmin):
    path_field = "from_branch__operator_unit__path"
    list_display = ("copy", "from_branch", "to_branch", "reason", "sent_at", "received_at")
    list_select_related = ("copy", "from_branch", "to_branch")


@admin.register(LoanRule)
class LoanRuleAdmin(ScopedServiceAdmin):
    """District-wide rules: every district officer sees them; those who may write change them."""

    list_display = (
        "reader_category",
        "item_type",
        "loan_limit",
        "loan_days",
        "renewals",
        "hold_expiry_days",
    )

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request) and not viewer_scope(request.user).is_read_only

    def save_model(self, request, obj, form, change) -> None:
        saved = loan_rule_set(
            actor=request.user,
            reader_category=obj.reader_category,
            item_type=obj.item_type,
            loan_limit=obj.loan_limit,
            loan_days=obj.loan_days,
            renewals=obj.renewals,
            hold_expiry_days=obj.hold_expiry_days,
        )
        obj.pk = saved.pk
