"""Writes of the library (circulation: readers, loans, holds); every caller goes through these.

``from culture.library.services import loan_checkout`` — the public functions by name.
"""

from culture.library.services.catalogue import copy_upsert, title_upsert
from culture.library.services.deliveries import (
    Placement,
    delivery_cancel,
    delivery_place,
    delivery_placement,
    delivery_refusal,
)
from culture.library.services.delivery_steps import delivery_advance
from culture.library.services.holds import hold_cancel, hold_place, holds_expire
from culture.library.services.loans import (
    ReturnResult,
    loan_checkout,
    loan_renew,
    loan_return,
    loans_overdue,
    transfer_receive,
)
from culture.library.services.readers import (
    age_category,
    normalise_card,
    reader_for_card,
    reader_for_resident,
    reader_update,
)
from culture.library.services.reminders import loans_remind
from culture.library.services.rules import Rule, due_date, loan_rule, loan_rule_set
from culture.library.services.stock import copy_write_off
from culture.library.services.transfers import grassroots_batch_record, transfer_create

__all__ = [
    "copy_write_off",
    "loans_remind",
    "age_category",
    "reader_update",
    "Placement",
    "ReturnResult",
    "Rule",
    "copy_upsert",
    "delivery_advance",
    "delivery_cancel",
    "delivery_place",
    "delivery_placement",
    "delivery_refusal",
    "due_date",
    "grassroots_batch_record",
    "hold_cancel",
    "hold_place",
    "holds_expire",
    "loan_checkout",
    "loan_renew",
    "loan_return",
    "loan_rule",
    "loan_rule_set",
    "loans_overdue",
    "normalise_card",
    "reader_for_card",
    "reader_for_resident",
    "title_upsert",
    "transfer_create",
    "transfer_receive",
]
