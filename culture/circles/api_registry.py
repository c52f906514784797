"""API operations of the circles' registry (mounted at /api/circles/ by config/api.py)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["circles"])
