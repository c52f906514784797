"""Spreadsheet export of the library's overdue loans (the overdue page's export link)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from culture.accounts.masking import mask_name
from culture.library.models import Loan
from culture.spreadsheets.framework import DATE, INT, TEXT, Column, Exporter, register_exporter
from culture.venues.access import venue_q
from culture.venues.models import LIBRARY_KINDS, Venue

OVERDUE_COLUMNS = [
    Column("title", "题名", "Title", TEXT),
    Column("barcode", "条码号", "Barcode", TEXT),
    Column("branch", "借出馆", "Lent at", TEXT),
    Column("reader", "读者", "Reader", TEXT),
    Column("phone", "手机号", "Phone", TEXT),
    Column("due_on", "应还日期", "Due date", DATE),
    Column("days", "逾期天数", "Days overdue", INT),
]


def overdue_loans(*, viewer: Any, branch_code: str = "", today: Any = None) -> Any:
    """Open loans past their due date lent at the library branches the viewer may see (only
    ``branch_code``'s when given), the longest overdue first."""
    today = today or timezone.localdate()
    branches = Venue.objects.filter(venue_q(viewer), kind__in=LIBRARY_KINDS)
    if branch_code:
        branches = branches.filter(code=branch_code)
    return (
        Loan.objects.filter(returned_at__isnull=True, due_on__lt=today, out_branch__in=branches)
        .select_related("copy__title", "out_branch", "reader__resident__user")
        .order_by("due_on", "pk")
    )


@register_exporter
class OverdueExporter(Exporter):
    name = "library_overdue"
    title_zh = "逾期未还图书"
    title_en = "Overdue loans"
    columns = OVERDUE_COLUMNS

    def rows(self, *, viewer: Any, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        today = timezone.localdate()
        code = str(filters.get("branch") or "").strip()[:64]
        for loan in overdue_loans(viewer=viewer, branch_code=code, today=today).iterator(
            chunk_size=2000
        ):
            resident = loan.reader.resident
            yield {
                "title": loan.copy.title.title,
                "barcode": loan.copy.barcode,
                "branch": loan.out_branch.name_zh,
                "reader": mask_name(resident.name),
                "phone": getattr(resident.user, "phone_masked", "") or "",
                "due_on": loan.due_on,
                "days": (today - loan.due_on).days,
            }
