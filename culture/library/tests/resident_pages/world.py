"""What the residents' library page tests share: residents' numbers, titles and copies made
quickly, the state a refused request must leave unchanged, a page's text."""

from __future__ import annotations

from culture.accounts.services import resident_register
from culture.library.models import (
    Copy,
    DeliveryOrder,
    Hold,
    Loan,
    Reader,
)
from culture.library.services import (
    reader_for_resident,
    title_upsert,
)

PASSWORD = "a-long-resident-password-7"


IDS = ["330105199001011233", "330105198503171232", "330105197211084562"]


def make_resident(community, n: int = 1):
    return resident_register(
        actor=None,
        name=f"读者{n}",
        phone=f"1395711{n:04d}",
        password=PASSWORD,
        id_number=IDS[n - 1],
        community=community,
    )


def make_book(title: str, source_id: str, **fields):
    return title_upsert(actor=None, source_id=source_id, title=title, **fields)[0]


def make_copy(title, branch, barcode, **fields):
    return Copy.objects.create(
        title=title, barcode=barcode, home_branch=branch, current_branch=branch, **fields
    )


def as_reader(resident) -> Reader:
    return reader_for_resident(resident=resident)


def state():
    """What a refused request must leave unchanged."""
    return (
        sorted(DeliveryOrder.objects.values_list("pk", "status")),
        sorted(Hold.objects.values_list("pk", "status", "position")),
        sorted(Copy.objects.values_list("barcode", "status")),
        sorted(Loan.objects.values_list("pk", "due_on", "renewals_used", "returned_at")),
        sorted(Reader.objects.values_list("pk", "open_loans")),
    )


def page_text(response) -> str:
    return response.content.decode()
