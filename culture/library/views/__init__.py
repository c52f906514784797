"""Library pages: ``resident`` (search, a title, one-click borrowing, my loans) and ``manage``
(library staff: the desk, deliveries, transfers)."""
