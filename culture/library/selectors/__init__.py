"""Reads of the library, shared by its pages and its API (``culture.library.api``):

- ``holdings``: where a title's copies are, per branch;
- ``reader``: a reader's own loans, history, holds and delivery orders;
- ``desk``: the branches a user may work, and one branch desk's work;
- ``manage``: the rest the staff pages read of a branch (the branches list with today's
  figures, the hold shelf, transfers, batches, a second scan's answer).

The public names are imported here: ``from culture.library import selectors``.
"""

from culture.library.selectors.desk import (
    MAX_DESK_ROWS,
    DeskOverview,
    desk_branches,
    desk_overview,
)
from culture.library.selectors.holdings import (
    Holding,
    title_holdings,
    title_lendable,
    title_queue,
)
from culture.library.selectors.manage import (
    branch_order,
    branches_with_counts,
    grassroots_batches,
    hold_of_copy,
    hold_shelf,
    reader_at_desk,
    reader_holds_here,
    received_today,
    return_seen_today,
    transfers_open,
    written_off,
)
from culture.library.selectors.reader import (
    ReaderTitle,
    reader_deliveries,
    reader_history,
    reader_holds,
    reader_loans,
    reader_of,
    reader_own,
    reader_title,
)

__all__ = [
    "written_off",
    "MAX_DESK_ROWS",
    "DeskOverview",
    "Holding",
    "ReaderTitle",
    "branch_order",
    "branches_with_counts",
    "desk_branches",
    "desk_overview",
    "grassroots_batches",
    "hold_of_copy",
    "hold_shelf",
    "reader_deliveries",
    "reader_history",
    "reader_holds",
    "reader_at_desk",
    "reader_holds_here",
    "reader_loans",
    "reader_of",
    "reader_own",
    "reader_title",
    "received_today",
    "return_seen_today",
    "title_holdings",
    "title_lendable",
    "title_queue",
    "transfers_open",
]
