"""Path converters of the pages' URLs.

``<id:name>``: a row's integer id in a page's path, bounded to what the databases store (BIGINT:
1 .. 2**63 - 1, ``MAX_ROW_ID``, the API's bound too). A larger number does not match the
pattern, so the page answers 404 instead of reaching the database (SQLite raises OverflowError
on it, a 500). Every page path that names a row by id uses it instead of Django's ``<int:>``
(``culture/core/tests/test_converters.py`` fails on an ``<int:>`` left in any URL pattern).
"""

from __future__ import annotations

from culture.core.api_params import MAX_ROW_ID


class RowIdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ROW_ID:
            raise ValueError(value)  # Django: this pattern does not match; the URL is a 404
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))
