"""URLs of the circles' siting pages (included by culture/circles/urls.py)."""

from __future__ import annotations

urlpatterns: list = []
