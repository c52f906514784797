"""Parameters the API operations share.

``row_id()``: a path parameter naming a row by its integer id, bounded to what the databases
store (BIGINT: below 2**63). A larger number is answered 422 by the request validation instead
of reaching the database (SQLite raises OverflowError on it, a 500).
"""

from __future__ import annotations

from typing import Any

from ninja import Path

MAX_ROW_ID = 2**63 - 1


def row_id() -> Any:
    return Path(..., ge=1, le=MAX_ROW_ID)
