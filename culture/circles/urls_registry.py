"""URLs of the circles' registry pages (included by culture/circles/urls.py)."""

from __future__ import annotations

urlpatterns: list = []
