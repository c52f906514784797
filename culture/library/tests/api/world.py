"""What the /api/library/ tests share: a client with an API token, a JSON POST, and the state a
refused request must leave as it was."""

from __future__ import annotations

import json

from django.test import Client

from culture.accounts.tokens import api_token_issue
from culture.library.models import (
    Loan,
    Reader,
)

API = "/api/library"


def client_of(user) -> Client:
    token = api_token_issue(actor=None, user=user, name="app")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def post(client: Client, path: str, body: dict | None = None):
    return client.post(API + path, json.dumps(body or {}), content_type="application/json")


def state() -> list[tuple]:
    """What a refused request must leave as it was: loans, copies, readers' counters, holds."""
    from culture.library.models import Copy, Hold

    return [
        *Loan.objects.order_by("pk").values_list("pk", "copy_id", "returned_at", "due_on"),
        *Copy.objects.order_by("pk").values_list("pk", "status", "current_branch_id"),
        *Reader.objects.order_by("pk").values_list("pk", "open_loans"),
        *Hold.objects.order_by("pk").values_list("pk", "status", "copy_id"),
    ]
