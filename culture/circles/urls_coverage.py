"""URLs of the circles' coverage pages (included by culture/circles/urls.py)."""

from __future__ import annotations

urlpatterns: list = []
