"""Errors raised by services and selectors; views and the API turn them into clear answers.

Messages are Chinese first (the msgid) with English from the translation catalogue.
"""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A request that cannot be carried out; nothing was changed."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: Any, *, field: str | None = None, code: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        if code:
            self.code = code

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "field": self.field, "message": str(self.message)}


class ValidationFailed(ServiceError):
    """One field (or the whole input) is invalid."""

    status_code = 422
    code = "invalid"


class FieldErrors(ServiceError):
    """Several fields are invalid: ``errors`` maps field -> list of messages."""

    status_code = 422
    code = "invalid"

    def __init__(self, errors: dict[str, list[Any]]):
        first = next(iter(errors.values()))[0] if errors else ""
        super().__init__(first)
        self.errors = errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": str(self.message),
            "errors": {k: [str(m) for m in v] for k, v in self.errors.items()},
        }


class OutOfScope(ServiceError):
    """The object exists but lies outside the viewer's org scope (or the action needs a role)."""

    status_code = 403
    code = "forbidden"


class NotFound(ServiceError):
    status_code = 404
    code = "not_found"
