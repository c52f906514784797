"""Reads of the library, shared by its pages and its API (``culture.library.api``):

- ``holdings``: where a title's copies are, per branch;
- ``reader``: a reader's own loans, history, holds and delivery orders;
- ``desk``: the branches a user may work, and one branch desk's work.

The public names are imported here: ``from culture.library import selectors``.
"""

from culture.library.selectors.desk import (
    MAX_DESK_ROWS,
    DeskOverview,
    desk_branches,
    desk_overview,
)
from culture.library.selectors.holdings import Holding, title_holdings
from culture.library.selectors.reader import (
    reader_deliveries,
    reader_history,
    reader_holds,
    reader_loans,
)

__all__ = [
    "MAX_DESK_ROWS",
    "DeskOverview",
    "Holding",
    "desk_branches",
    "desk_overview",
    "reader_deliveries",
    "reader_history",
    "reader_holds",
    "reader_loans",
    "title_holdings",
]
